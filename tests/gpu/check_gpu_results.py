#!/usr/bin/env python3
"""Judges one GPU session's results (tests/gpu/run_gpu_checks.sh): every results directory validates against
results-schema/results.schema.json, the acceptance ratios of tests/gpu/acceptance.json hold on every GPU, the
NCCL run passed its correctness check, the quick suite ran. Prints one PASS/FAIL line per point; exit 0 when
all pass, 1 otherwise, 2 for bad arguments.

usage: check_gpu_results.py --source DIR --gpu-check DIR --nccl DIR --quick DIR
"""
import argparse
import json
import os
import sys

def validate_dir(directory, schema):
    """Problems with results.json and results.jsonl in `directory` (empty: valid)."""
    try:
        import jsonschema
    except ImportError:
        return ["python3-jsonschema is missing: cannot validate (apt-get install python3-jsonschema)"]
    problems = []
    try:
        with open(os.path.join(directory, "results.json")) as f:
            jsonschema.Draft202012Validator(schema).validate(json.load(f))
        # $defs/stream_line dispatches each line on its "type" (the kinds of record_kinds.h).
        line_schema = {"$schema": schema["$schema"], "$defs": schema["$defs"], "$ref": "#/$defs/stream_line"}
        validator = jsonschema.Draft202012Validator(line_schema)
        with open(os.path.join(directory, "results.jsonl")) as f:
            for number, text in enumerate(f, 1):
                line = json.loads(text)
                for error in validator.iter_errors(line):
                    problems.append("results.jsonl line %d (type %r): %s" % (number, line.get("type"), error.message))
    except (OSError, ValueError, jsonschema.ValidationError, jsonschema.SchemaError) as e:
        problems.append(str(e).splitlines()[0])
    return problems


def load(directory):
    with open(os.path.join(directory, "results.json")) as f:
        return json.load(f)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    for flag in ("--source", "--gpu-check", "--nccl", "--quick"):
        parser.add_argument(flag, required=True)
    args = parser.parse_args()
    with open(os.path.join(args.source, "results-schema", "results.schema.json")) as f:
        schema = json.load(f)
    with open(os.path.join(args.source, "tests", "gpu", "acceptance.json")) as f:
        acceptance = json.load(f)

    results = []  # (ok, line)

    def report(ok, text):
        results.append(ok)
        print(("PASS " if ok else "FAIL ") + text, flush=True)

    for name, directory in (("gpu-check", args.gpu_check), ("nccl", args.nccl), ("quick", args.quick)):
        problems = validate_dir(directory, schema)
        report(not problems, "%s results validate against results.schema.json%s" %
               (name, "" if not problems else ": " + "; ".join(problems)))

    try:
        gpu = load(args.gpu_check)
        by_device = {}
        for r in gpu["records"]:
            by_device.setdefault(r["device"], {})[r["test_key"]] = r
        for device, records in sorted(by_device.items(), key=lambda item: str(item[0])):
            for point in acceptance["points"]:
                r = records.get(point["test_key"])
                low, high = point.get("min_ratio", 0.0), point.get("max_ratio", float("inf"))
                if r is None or r.get("ratio") is None:
                    status = "no ratio" if r is None else "%s, no ratio (%s)" % (
                        r["status"], r.get("skip_reason") or r.get("error") or "reference missing")
                    report(False, "%s on gpu %s: %s" % (point["name"], device, status))
                    continue
                ok = low <= r["ratio"] <= high and r["status"] == "ok"
                bounds = ">= %.2f" % low if high == float("inf") else "in [%.2f, %.2f]" % (low, high)
                report(ok, "%s on gpu %s (%s): ratio %.3f %s; %s; status %s" %
                       (point["name"], device, r.get("pci_bus_id"), r["ratio"], bounds, point["what"], r["status"]))
        bad = [r["test_key"] + " gpu " + str(r["device"]) for r in gpu["records"] if r["status"] in ("wrong", "error")]
        report(not bad, "gpu-check correctness and CUDA calls%s" % ("" if not bad else ": " + ", ".join(bad)))
    except (OSError, ValueError, KeyError) as e:
        report(False, "gpu-check results unreadable: %s" % e)

    for name, directory in (("nccl one-rank all_reduce", args.nccl), ("quick suite (nccl, one rank)", args.quick)):
        try:
            document = load(directory)
            records = [r for r in document["records"] if r.get("kind", "collective") == "collective"]
            measured = [r for r in records if r.get("status") != "skipped"]
            wrong = [r for r in records if r.get("status") == "wrong"]
            backend = document["manifest"]["backend"]
            checked = [r for r in measured if r.get("wrong_elements", -1) >= 0]
            ok = backend == "nccl" and measured and not wrong and checked and document["summary"]["exit_code"] == 0
            report(bool(ok), "%s: backend %s, %d records measured, %d checked, %d wrong, exit %s" %
                   (name, backend, len(measured), len(checked), len(wrong), document["summary"]["exit_code"]))
        except (OSError, ValueError, KeyError) as e:
            report(False, "%s results unreadable: %s" % (name, e))

    passed = sum(results)
    print("%s: %d of %d points pass" % ("PASS" if passed == len(results) else "FAIL", passed, len(results)))
    return 0 if passed == len(results) else 1


if __name__ == "__main__":
    sys.exit(main())
