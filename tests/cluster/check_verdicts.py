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

Every run writes results.html beside its results: it must agree with the verdicts (check_report): one fail row
per failing part, and in every link heatmap exactly the cells the verdicts mark (a failing host's row and column
on the rails where it fails, a failing link's direction).
"""
import argparse
import json
import os
import sys
from html.parser import HTMLParser


def hosts_of(component):
    return {h for h in (component.get("host"), component.get("peer_host")) if h}


class ReportDom(HTMLParser):
    """The parts of results.html check_report reads: verdict rows, and each heatmap's rail and cells."""

    def __init__(self):
        super().__init__()
        self.rows, self.heatmaps = [], []

    def handle_starttag(self, tag, attrs):
        at = dict(attrs)
        classes = (at.get("class") or "").split()
        if tag == "tr" and at.get("data-status"):
            self.rows.append((at["data-status"], at.get("data-host"), at.get("data-part")))
        elif tag == "svg" and "heatmap" in classes:
            self.heatmaps.append({"rail": int(at["data-rail"]), "metric": at.get("data-metric"), "cells": []})
        elif tag == "rect" and "cell" in classes and self.heatmaps:
            self.heatmaps[-1]["cells"].append((at["data-src"], at["data-dst"], set(classes)))


def rail_marks(verdicts, rail):
    """The hosts a rail's heatmap outlines as failing (report_data.h rail_marks): a failing NIC on that rail or on
    no known rail, a failing GPU, or a failing node verdict with no bad NIC or GPU behind it."""
    with_parts = {v["component"]["host"] for v in verdicts
                  if v["component"]["kind"] in ("gpu", "nic") and v["status"] in ("warn", "fail")}
    out = set()
    for v in verdicts:
        c = v["component"]
        if v["status"] != "fail":
            continue
        if ((c["kind"] == "nic" and c.get("rail", -1) in (rail, -1)) or c["kind"] == "gpu" or
                (c["kind"] == "node" and c["host"] not in with_parts)):
            out.add(c["host"])
    return out


def failing_directions(verdicts):
    out = set()
    for v in verdicts:
        c = v["component"]
        if c["kind"] != "link" or v["status"] != "fail":
            continue
        if v.get("direction") != "b_to_a":
            out.add((c["host"], c["peer_host"], c["rail"]))
        if v.get("direction") != "a_to_b":
            out.add((c["peer_host"], c["host"], c["rail"]))
    return out


def check_report(html_path, verdicts, fail):
    if not os.path.exists(html_path):
        fail.append(f"no {html_path} beside the results")
        return
    dom = ReportDom()
    with open(html_path, encoding="utf-8") as f:
        dom.feed(f.read())
    fail_rows = [r for r in dom.rows if r[0] == "fail"]
    failing = [v for v in verdicts if v["status"] == "fail"]
    if len(fail_rows) != len(failing) or {r[1] for r in fail_rows} != {v["component"]["host"] for v in failing}:
        fail.append(f"results.html's fail rows {fail_rows} are not the {len(failing)} failing verdicts")
    directions = failing_directions(verdicts)
    for h in dom.heatmaps:
        hosts = rail_marks(verdicts, h["rail"])
        wrong = []
        for src, dst, classes in h["cells"]:
            if ("failing-host" in classes) != bool({src, dst} & hosts):
                wrong.append(f"{src}->{dst} failing-host")
            if ("failing-link" in classes) != ((src, dst, h["rail"]) in directions):
                wrong.append(f"{src}->{dst} failing-link")
        if wrong:
            fail.append(f"results.html heatmap {h['metric']} rail {h['rail']}: marks disagree with the verdicts: "
                        + ", ".join(wrong[:8]))
    print(f"  results.html: {len(fail_rows)} fail rows, {len(dom.heatmaps)} heatmaps checked against the verdicts")


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
    check_report(os.path.join(os.path.dirname(os.path.abspath(a.results)), "results.html"), verdicts, fail)
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
