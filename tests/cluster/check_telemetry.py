#!/usr/bin/python3
"""check_telemetry.py RESULTS --host H --nic N --metric "SOURCE COUNTER" [--at-least K]

Checks a run's telemetry verdicts: H's NIC N fails on telemetry evidence of METRIC that grew by at least K,
the telemetry records of H show that growth, and no other host has a failing or warning verdict whose
evidence comes from telemetry (the fault was on H's link alone). Prints what it saw; exit 0 when all hold."""
import argparse
import json
import sys


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("results")
    ap.add_argument("--host", required=True)
    ap.add_argument("--nic", required=True)
    ap.add_argument("--metric", required=True)
    ap.add_argument("--at-least", type=float, default=1)
    a = ap.parse_args()
    doc = json.load(open(a.results))
    source, counter = a.metric.split(" ", 1)
    fail = []

    grew = {}
    for r in doc["records"]:
        if r.get("kind") != "telemetry":
            continue
        for d in r["devices"]:
            if d["source"] == source and counter in d["deltas"]:
                key = (r["host"], d["device"])
                grew[key] = grew.get(key, 0) + d["deltas"][counter]
                print(f"  telemetry {r['host']} {d['device']} {counter} +{d['deltas'][counter]} during {r['window']}"
                      + (f" (first in {d['first_grew_in'][counter]})" if d["first_grew_in"].get(counter) else ""))
    if grew.get((a.host, a.nic), 0) < a.at_least:
        fail.append(f"{a.host} {a.nic} {counter} grew by {grew.get((a.host, a.nic), 0)}, expected >= {a.at_least}")

    named = False
    for v in doc["verdicts"]:
        c = v["component"]
        telemetry = [e for e in v["evidence"] if e.get("source") == "telemetry"]
        if not telemetry or v["status"] not in ("fail", "warn"):
            continue
        for e in telemetry:
            print(f"  {v['status'].upper()} {c['kind']} {c['host']} {c.get('nic', '')}: {e['text']}")
        if c["kind"] == "nic" and c["host"] == a.host and c.get("nic") == a.nic and v["status"] == "fail" and \
                any(e["metric"] == a.metric for e in telemetry):
            named = True
            print(f"  action: {v['action']}")
        elif c["host"] != a.host:
            fail.append(f"{c['host']} is blamed by telemetry: {telemetry[0]['text']}")
    if not named:
        fail.append(f"no failing verdict on {a.host} NIC {a.nic} from telemetry {a.metric}")
    for f in fail:
        print("FAIL:", f)
    if not fail:
        print(f"PASS: {a.host} NIC {a.nic} named from {a.metric}; no other host blamed by telemetry")
    return 1 if fail else 0


if __name__ == "__main__":
    sys.exit(main())
