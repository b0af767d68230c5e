#!/usr/bin/python3
"""check_verdicts.py RESULTS_JSON [--schema S] (--bad-host H [--bad-host H2 ...] | --only-link A,B[,DIR] | --healthy)

Checks the verdicts of a `railcheck run` results document (issues #6 and #12):
  --bad-host H  some component on H fails (on each H given), and no component of any other host fails or
                warns (a link verdict counts for both of its ends); the failing verdicts carry evidence.
  --only-link A,B[,DIR]  the link between hosts A and B fails (in direction DIR, a_to_b or b_to_a, when
                given: a is the host that sorts first) and nothing else fails or warns: no NIC, GPU or
                node verdict for either end.
  --healthy     no component fails or warns.
Prints the failing and warning verdicts either way.
"""
import argparse
import json
import sys


def hosts_of(component):
    return {h for h in (component.get("host"), component.get("peer_host")) if h}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("results")
    ap.add_argument("--schema")
    group = ap.add_mutually_exclusive_group(required=True)
    group.add_argument("--bad-host", action="append")
    group.add_argument("--only-link")
    group.add_argument("--healthy", action="store_true")
    a = ap.parse_args()
    doc = json.load(open(a.results))
    fail = []
    if a.schema:
        import jsonschema
        errors = list(jsonschema.Draft202012Validator(json.load(open(a.schema))).iter_errors(doc))
        if errors:
            fail.append(f"schema: {errors[0].json_path}: {errors[0].message[:300]}")
    verdicts = doc.get("verdicts")
    if not isinstance(verdicts, list) or not verdicts:
        fail.append("no verdicts in the results document")
        verdicts = []
    named = [v for v in verdicts if v["status"] in ("fail", "warn")]
    for v in named:
        ev = v["evidence"][0]["text"] if v.get("evidence") else "(no evidence)"
        print(f"  {v['status'].upper()} {v['component']}: {ev}")
    print(f"  {len(verdicts)} verdicts, {sum(v['status'] == 'fail' for v in verdicts)} fail, "
          f"{sum(v['status'] == 'warn' for v in verdicts)} warn")
    if a.healthy:
        if named:
            fail.append(f"healthy cluster, but {len(named)} components named")
    elif a.only_link:
        parts = a.only_link.split(",")
        ends, direction = set(parts[:2]), parts[2] if len(parts) > 2 else None
        links = [v for v in named if v["component"]["kind"] == "link" and hosts_of(v["component"]) == ends]
        if not any(v["status"] == "fail" for v in links):
            fail.append(f"link {sorted(ends)} does not fail")
        for v in links:
            if direction and v.get("direction") != direction:
                fail.append(f"link {sorted(ends)} named with direction {v.get('direction')}, expected {direction}")
        others = [v for v in named if v not in links]
        if others:
            fail.append(f"other components named: {[v['component'] for v in others]}")
    else:
        for bad_host in a.bad_host:
            failing = [v for v in verdicts if v["status"] == "fail" and bad_host in hosts_of(v["component"])]
            if not failing:
                fail.append(f"no failing component on {bad_host}")
            for v in failing:
                if not v.get("evidence") or not v.get("action"):
                    fail.append(f"failing verdict without evidence or action: {v['component']}")
        others = [v for v in named if not set(a.bad_host) & hosts_of(v["component"])]
        if others:
            fail.append(f"components of other hosts named: {[v['component'] for v in others]}")
    if fail:
        # Every piece of evidence of every named part (first pass, re-tests, why not re-tested): a flake in CI
        # can then be read from the log alone, after the cluster's temporary files are gone.
        # A part that should have failed and passed shows why too (its first-pass and re-test evidence).
        missed = [v for v in verdicts if v not in named and a.bad_host and set(a.bad_host) & hosts_of(v["component"])
                  and v["component"]["kind"] != "node" and len(v.get("evidence", [])) > 1]
        for v in named + missed:
            print(f"  evidence of {v['status'].upper()} {v['component']}:")
            for ev in v.get("evidence", []):
                print(f"    [{ev.get('source')}] {ev.get('text')}")
        print("FAIL: " + "; ".join(fail))
        sys.exit(1)
    print("ok")


if __name__ == "__main__":
    main()
