"""Shared helpers for railcheck's MPI tests: launch railcheck under mpirun, read and validate its results.

Environment (set by ctest): RAILCHECK_BIN, RAILCHECK_SOURCE_DIR, MPIEXEC, RAILCHECK_WORK_DIR.
"""
import json
import os
import shutil
import subprocess
import sys

import jsonschema

BIN = os.environ["RAILCHECK_BIN"]
SOURCE_DIR = os.environ["RAILCHECK_SOURCE_DIR"]
MPIEXEC = os.environ.get("MPIEXEC", "mpirun")
WORK_DIR = os.environ.get("RAILCHECK_WORK_DIR", "/tmp/railcheck-mpi-tests")


def fail(message):
    print("FAIL: " + message, file=sys.stderr)
    sys.exit(1)


def expect(condition, message):
    if not condition:
        fail(message)


def fresh_dir(name):
    path = os.path.join(WORK_DIR, name)
    shutil.rmtree(path, ignore_errors=True)
    os.makedirs(path)
    return path


def mpirun(args, np=4, timeout=300):
    """Runs railcheck on `np` local ranks; returns CompletedProcess with text stdout/stderr."""
    command = [MPIEXEC, "-n", str(np), BIN] + args
    print("$ " + " ".join(command), flush=True)
    result = subprocess.run(command, capture_output=True, text=True, timeout=timeout)
    print(result.stdout[-4000:])
    print(result.stderr[-4000:], file=sys.stderr)
    return result


def run_single(args, timeout=60):
    """Runs railcheck without a launcher (a singleton MPI process, or no MPI at all for input errors)."""
    command = [BIN] + args
    print("$ " + " ".join(command), flush=True)
    result = subprocess.run(command, capture_output=True, text=True, timeout=timeout)
    print(result.stdout[-3000:])
    print(result.stderr[-3000:], file=sys.stderr)
    return result


def expect_input_error(args, needles):
    """Runs railcheck ARGS alone and expects bad input's contract: exit 2, one stderr line starting
    'railcheck: error: ' that contains every needle, nothing on stdout."""
    result = run_single(args)
    lines = result.stderr.strip().splitlines()
    print(args, "->", result.returncode, lines)
    expect(result.returncode == 2, "%s: exit 2, got %d" % (args, result.returncode))
    expect(len(lines) == 1, "%s: exactly one line on stderr, got %d" % (args, len(lines)))
    expect(lines[0].startswith("railcheck: error: "), "%s: message starts with 'railcheck: error: '" % args)
    for needle in needles:
        expect(needle in lines[0], "%s: message names %r: %s" % (args, needle, lines[0]))
    expect(result.stdout == "", "%s: nothing on stdout" % args)


def schema(name):
    with open(os.path.join(SOURCE_DIR, "results-schema", name)) as f:
        return json.load(f)


def load_results(directory):
    """The final results document, validated against results.schema.json."""
    with open(os.path.join(directory, "results.json")) as f:
        document = json.load(f)
    jsonschema.Draft202012Validator(schema("results.schema.json")).validate(document)
    return document


def records_of(document, kind="collective"):
    """The document's records of one kind (a record without "kind" was written before kinds: collective)."""
    return [r for r in document["records"] if r.get("kind", "collective") == kind]


def load_stream(directory):
    """Every line of results.jsonl, each validated against $defs/stream_line (which dispatches on "type")."""
    results_schema = schema("results.schema.json")
    sub = {"$ref": "#/$defs/stream_line", "$defs": results_schema["$defs"], "$schema": results_schema["$schema"]}
    validator = jsonschema.Draft202012Validator(sub)
    lines = []
    with open(os.path.join(directory, "results.jsonl")) as f:
        for number, text in enumerate(f, 1):
            line = json.loads(text)
            errors = sorted(validator.iter_errors(line), key=lambda e: list(e.absolute_path))
            expect(not errors, "results.jsonl line %d (type %r): %s" % (number, line.get("type"),
                                                                         "; ".join(e.message for e in errors[:3])))
            lines.append(line)
    return lines
