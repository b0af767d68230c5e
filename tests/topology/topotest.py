"""Shared helpers for the topology tests: run railcheck, load and validate JSON against results-schema/.

Environment (set by ctest): RAILCHECK_BIN, RAILCHECK_SOURCE_DIR, RAILCHECK_WORK_DIR.
"""
import json
import os
import shutil
import subprocess
import sys

import jsonschema

BIN = os.environ["RAILCHECK_BIN"]
SOURCE_DIR = os.environ["RAILCHECK_SOURCE_DIR"]
WORK_DIR = os.environ.get("RAILCHECK_WORK_DIR", "/tmp/railcheck-topology-tests")
FIXTURES = os.path.join(SOURCE_DIR, "tests", "unit", "fixtures", "sysfs")
PROFILES = os.path.join(SOURCE_DIR, "suites", "profiles")


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


def railcheck(args, timeout=60):
    """Runs railcheck directly (no launcher); returns CompletedProcess with text stdout/stderr."""
    command = [BIN] + args
    print("$ " + " ".join(command), flush=True)
    result = subprocess.run(command, capture_output=True, text=True, timeout=timeout)
    print(result.stdout[-3000:])
    print(result.stderr[-3000:], file=sys.stderr)
    return result


def schema(name):
    with open(os.path.join(SOURCE_DIR, "results-schema", name)) as f:
        return json.load(f)


def validator(name):
    return jsonschema.Draft202012Validator(schema(name))


def load(path):
    with open(path) as f:
        return json.load(f)
