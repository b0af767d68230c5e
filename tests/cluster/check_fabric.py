#!/usr/bin/python3
"""check_fabric.py RESULTS_JSON [--expect "FROM -> TO[;FROM -> TO...]"] [--ecmp-group] [--schema SCHEMA] [--max-stages N]
                [--flows N] [--confirmed]

Issue #18, acceptance 1: a fabric test's results on the namespace testbed. With --expect, the run fails exactly
one part, the fabric_link FROM -> TO (that direction), on fabric evidence, and warns about nothing; without, it
fails and warns about nothing (a healthy fabric names nothing). Always: every fabric flow record has its route
and its acknowledgements' route, the plan ran in at most --max-stages stages (3) with --flows flows (18), every
flow of a healthy run measured (a last round that only measures again flows of earlier rounds is railcheck's
re-measure of bad flows no link explained: allowed beyond the plan, reported). --confirmed: confirmation stages followed the plan (legal ones, one of their flows over
the --expect link). --expect with several links (';'): exactly those fail; --ecmp-group: each says it is one of
an ECMP group (routes untraced, --routes ecmp). Prints the verdict lines it judged."""
import argparse
import json
import sys


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("results")
    ap.add_argument("--expect", default="")
    ap.add_argument("--schema", default="")
    ap.add_argument("--max-stages", type=int, default=3)
    ap.add_argument("--flows", type=int, default=18)
    ap.add_argument("--ecmp-group", action="store_true",
                    help="the --expect links (several, ';'-separated) fail as one ECMP group, each saying so")
    ap.add_argument("--pair-warn", default="",
                    help="SRC,DST: a fault of that one pair, which no cable explains: nothing fails, the pair's link "
                         "alone warns, bad again when railcheck measured it again in its re-measure round")
    ap.add_argument("--confirmed", action="store_true",
                    help="the plan's stages (--flows flows) and then confirmation stages, each with every host at "
                         "most one flow out and one in, one of them over the --expect link")
    args = ap.parse_args()
    with open(args.results) as f:
        doc = json.load(f)
    problems = []
    if args.schema:
        import jsonschema
        with open(args.schema) as f:
            schema = json.load(f)
        errors = list(jsonschema.Draft202012Validator(schema).iter_errors(doc))
        problems += ["schema: %s at %s" % (e.message[:200], "/".join(map(str, e.absolute_path))) for e in errors[:5]]

    flows = [r for r in doc["records"] if r.get("kind") == "p2p" and r.get("phase") == "fabric"]
    # A last round beyond the plan whose every flow repeats an earlier one's two hosts is railcheck measuring
    # again the bad flows no link explained (the "re-measure" stage): allowed beyond --max-stages, reported.
    remeasured = []
    rounds = sorted({r["round"] for r in flows})
    if len(rounds) > args.max_stages:
        last = [r for r in flows if r["round"] == rounds[-1]]
        earlier = {(r["src_host"], r["dst_host"]) for r in flows if r["round"] != rounds[-1]}
        if all((r["src_host"], r["dst_host"]) in earlier for r in last):
            remeasured = last
            flows = [r for r in flows if r["round"] != rounds[-1]]
    stages = sorted({r["round"] for r in flows})
    plan_rounds = sorted({r["round"] for r in flows})[:3]
    planned = [r for r in flows if r["round"] in plan_rounds] if args.confirmed else flows
    if len(planned) != args.flows:
        problems.append("%d fabric flow records in the plan's stages, expected %d" % (len(planned), args.flows))
    if args.confirmed:
        confirming = [r for r in flows if r["round"] not in plan_rounds]
        if not confirming:
            problems.append("no confirmation stage ran")
        for stage in sorted({r["round"] for r in confirming}):
            members = [r for r in confirming if r["round"] == stage]
            if len({r["src_host"] for r in members}) != len(members) or len({r["dst_host"] for r in members}) != len(members):
                problems.append("confirmation stage %d: a host sends or receives two flows" % stage)
        if args.expect and not any(args.expect in r["route"] for r in confirming):
            problems.append("no confirmation flow crosses %s" % args.expect)
    if not stages or stages[-1] >= args.max_stages:
        problems.append("stages %s: more than %d" % (stages, args.max_stages))
    for r in flows:
        if not r.get("route") or not r.get("return_route"):
            problems.append("flow %s -> %s in stage %d has no route or return_route" % (r["src_host"], r["dst_host"], r["round"]))

    verdicts = doc.get("verdicts", [])
    bad = [v for v in verdicts if v["status"] in ("fail", "warn")]
    for v in bad:
        c = v["component"]
        name = "%s -> %s" % (c["host"], c.get("peer_host", "")) if c["kind"] == "fabric_link" else c["host"]
        print("  %s %s %s: %s" % (v["status"].upper(), c["kind"], name, v["evidence"][0]["text"][:300]))
    if args.expect:
        wanted = sorted(tuple(link.split(" -> ")) for link in args.expect.split(";"))
        fails = [v for v in bad if v["status"] == "fail"]
        ok = (sorted((v["component"]["host"], v["component"].get("peer_host")) for v in fails) == wanted
              and all(v["component"]["kind"] == "fabric_link" and v["direction"] == "a_to_b"
                      and v["evidence"][0]["source"] == "fabric" for v in fails))
        if not ok:
            problems.append("expected exactly the failing part(s) %s (fabric links, a_to_b, fabric evidence); got %s"
                            % (args.expect, [(v["component"]["kind"], v["component"]["host"],
                                              v["component"].get("peer_host"), v["status"]) for v in bad]))
        if args.ecmp_group and not all("one of the ECMP group" in v["evidence"][0]["text"] for v in fails):
            problems.append("the failing links are not said to be one ECMP group")
        if len(bad) != len(fails):
            problems.append("warnings beside the named link: %s" % [v["component"] for v in bad if v["status"] == "warn"])
    elif args.pair_warn:
        src, dst = args.pair_warn.split(",")
        ok = (len(bad) == 1 and bad[0]["status"] == "warn" and bad[0]["component"]["kind"] == "link"
              and {bad[0]["component"]["host"], bad[0]["component"].get("peer_host")} == {src, dst}
              and "bad again when measured again" in bad[0]["evidence"][0]["text"])
        if not ok:
            problems.append("expected one warning, on link %s <-> %s, bad again when measured again; got %s"
                            % (src, dst, [(v["component"]["kind"], v["component"]["host"],
                                           v["component"].get("peer_host"), v["status"]) for v in bad]))
        if not any((r["src_host"], r["dst_host"]) == (src, dst) for r in remeasured):
            problems.append("no re-measure round measured %s -> %s again" % (src, dst))
    else:
        if bad:
            problems.append("a healthy fabric named %d part(s)" % len(bad))
        failed = [r for r in flows if r["status"] != "ok"]
        if failed:
            problems.append("%d flow(s) failed on a healthy fabric: %s" % (len(failed), failed[0].get("error")))
    if problems:
        for p in problems:
            print("FAIL: " + p)
        return 1
    rates = sorted(r["bw_gbps"] for r in flows if r["status"] == "ok")
    print("ok: %d flows in %d stages (GB/s min %.3f median %.3f max %.3f)%s%s" % (
        len(flows), len(stages), rates[0], rates[len(rates) // 2], rates[-1],
        ", named " + args.expect if args.expect else ", nothing named",
        "; re-measured %s" % ", ".join("%s -> %s %.3f GB/s" % (r["src_host"], r["dst_host"], r.get("bw_gbps") or 0)
                                       for r in remeasured) if remeasured else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
