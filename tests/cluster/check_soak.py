#!/usr/bin/python3
"""check_soak.py RESULTS_JSON --host H --capped-at UNIX_S [--started-at UNIX_S]

Checks a degraded `railcheck soak` (issue #15): H's NIC fails with soak evidence (drift) that names the interval
the drop began in, and that interval is the one during which the cap was put on or the next one (the records of
the interval the cap came in started before it; a pass under way may finish before the cap bites). Prints every
interval's start, relative to --started-at when given.
"""
import argparse
import json
import re
import sys


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("results")
    ap.add_argument("--host", required=True)
    ap.add_argument("--capped-at", type=float, required=True)
    ap.add_argument("--started-at", type=float, default=0.0)
    a = ap.parse_args()
    doc = json.load(open(a.results))
    starts = {}
    for r in doc["records"]:
        # A soak record is its interval's median pass; its passes began at passes.start_unix_s.
        start = r.get("passes", {}).get("start_unix_s") or r.get("start_unix_s")
        if "interval" in r and start and r.get("kind") != "telemetry":
            i = r["interval"]
            starts[i] = min(starts.get(i, start), start)
    for i in sorted(starts):
        print(f"  interval {i}: from +{starts[i] - a.started_at:.1f} s")
    print(f"  cap at +{a.capped_at - a.started_at:.1f} s")
    cap_interval = max((i for i in starts if starts[i] <= a.capped_at), default=None)
    fail = []
    nic = [v for v in doc["verdicts"] if v["component"]["kind"] == "nic" and v["component"]["host"] == a.host
           and v["status"] == "fail"]
    if not nic:
        fail.append(f"no failing NIC on {a.host}")
    began = set()
    for v in nic:
        for ev in v["evidence"]:
            if ev.get("source") != "soak" or ev.get("status") != "fail":
                continue
            print(f"  [{ev.get('direction')}] {ev['text']}")
            m = re.search(r"from interval (\d+)", ev["text"])
            if m:
                began.add(int(m.group(1)))
    if nic and not began:
        fail.append(f"{a.host}'s NIC fails without soak drift evidence naming the interval it began in")
    for b in began:
        if cap_interval is None or not cap_interval <= b <= cap_interval + 1:
            fail.append(f"drift named from interval {b}; the cap came during interval {cap_interval}")
    if fail:
        print("FAIL: " + "; ".join(fail))
        sys.exit(1)
    print(f"ok: drift from interval(s) {sorted(began)}, cap during interval {cap_interval}")


if __name__ == "__main__":
    main()
