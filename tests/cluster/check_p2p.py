#!/usr/bin/python3
"""check_p2p.py RESULTS_JSON [--schema S] [--hosts N] [--slow-host H --max-ratio R]

Checks a `railcheck p2p` results document: every unordered host pair measured exactly once (lat + bw), the
circle method's round count and disjoint pairs per round, the pairs of a round measured at the same time
(their wall-clock intervals overlap), every record's transfer send (TCP's only one), and prints the bandwidth matrix. With --slow-host: every bandwidth with
that host is below R x the slowest bandwidth without it.
"""
import argparse
import itertools
import json
import sys


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("results")
    ap.add_argument("--schema")
    ap.add_argument("--hosts", type=int, default=4)
    ap.add_argument("--slow-host")
    ap.add_argument("--max-ratio", type=float, default=0.5)
    a = ap.parse_args()
    doc = json.load(open(a.results))
    fail = []
    if a.schema:
        import jsonschema
        schema = json.load(open(a.schema))
        errors = list(jsonschema.Draft202012Validator(schema).iter_errors(doc))
        if errors:
            fail.append(f"schema: {errors[0].message[:300]}")
    recs = [r for r in doc["records"] if r.get("kind") == "p2p" and not r["within_node"]]
    not_send = [r for r in recs if r.get("transfer") != "send"]
    if not_send:
        fail.append(f"{len(not_send)} TCP records whose transfer is not send, first: {not_send[0].get('transfer')}")
    bad = [r for r in recs if r["status"] != "ok"]
    if bad:
        fail.append(f"{len(bad)} failed links, first: {bad[0].get('error')}")
    hosts = sorted({r["src_host"] for r in recs} | {r["dst_host"] for r in recs})
    if len(hosts) != a.hosts:
        fail.append(f"hosts {hosts}, expected {a.hosts}")
    n = a.hosts
    rounds = {}
    for r in recs:
        rounds.setdefault(r["round"], []).append(r)
    expected_rounds = n - 1 if n % 2 == 0 else n
    if len(rounds) != expected_rounds:
        fail.append(f"{len(rounds)} rounds, expected {expected_rounds}")
    seen = {}
    for k, rs in sorted(rounds.items()):
        pairs = {tuple(sorted((r["src_host"], r["dst_host"]))) for r in rs}
        busy = [h for p in pairs for h in p]
        if len(busy) != len(set(busy)):
            fail.append(f"round {k}: a host is in two pairs: {sorted(pairs)}")
        if len(pairs) != n // 2:
            fail.append(f"round {k}: {len(pairs)} pairs, expected {n // 2}")
        for p in pairs:
            if p in seen:
                fail.append(f"pair {p} measured in rounds {seen[p]} and {k}")
            seen[p] = k
        # concurrency: each pair's span [first start, last end]; all spans of the round overlap
        spans = {}
        for r in rs:
            p = tuple(sorted((r["src_host"], r["dst_host"])))
            s, e = spans.get(p, (r["start_unix_s"], r["end_unix_s"]))
            spans[p] = (min(s, r["start_unix_s"]), max(e, r["end_unix_s"]))
        latest_start = max(s for s, _ in spans.values())
        earliest_end = min(e for _, e in spans.values())
        overlap = earliest_end - latest_start
        print(f"round {k}: pairs {sorted(pairs)}, overlap of their measurement spans {overlap * 1e3:.1f} ms")
        if overlap <= 0:
            fail.append(f"round {k}: pairs did not run at the same time (spans {spans})")
    all_pairs = set(itertools.combinations(hosts, 2))
    if set(seen) != all_pairs:
        fail.append(f"pairs measured {sorted(seen)}, expected all {sorted(all_pairs)}")

    bw = {(r["src_host"], r["dst_host"]): r["bw_gbps"] for r in recs if r["op"] in ("bw", "bw_bidir") and r["status"] == "ok"}
    print("bandwidth GB/s (row src, column dst):")
    print("%8s" % "" + "".join("%10s" % h for h in hosts))
    for s in hosts:
        print("%8s" % s + "".join("%10s" % ("%.4f" % bw[(s, d)] if (s, d) in bw else "-") for d in hosts))
    if a.slow_host:
        with_slow = [v for (s, d), v in bw.items() if a.slow_host in (s, d)]
        without = [v for (s, d), v in bw.items() if a.slow_host not in (s, d)]
        if not with_slow or not without:
            fail.append("no bandwidth records to compare")
        else:
            ratio = max(with_slow) / min(without)
            print(f"max bw with {a.slow_host} {max(with_slow):.4f} GB/s, min bw without {min(without):.4f} GB/s, "
                  f"ratio {ratio:.3f} (must be < {a.max_ratio})")
            if ratio >= a.max_ratio:
                fail.append(f"slow host {a.slow_host} not singled out: ratio {ratio:.3f} >= {a.max_ratio}")
    for f in fail:
        print("FAIL:", f)
    return 1 if fail else 0


if __name__ == "__main__":
    sys.exit(main())
