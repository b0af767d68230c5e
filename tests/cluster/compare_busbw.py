#!/usr/bin/python3
"""compare_busbw.py - compares bus bandwidth of an unshaped and a tc-shaped railcheck run.

    compare_busbw.py UNSHAPED_JSON SHAPED_JSON --rate-mbit R [--collective all_reduce] [--max-ratio 0.5]

Prints, for every (size, in_place) in both runs, the unshaped and shaped busbw, the measured ratio
shaped/unshaped and the expected ratio bound/unshaped, where bound = R * 1e6 / 8 / 1e9 GB/s is the busbw a
ring all-reduce can reach when one host's link carries R Mbit/s each way. Asserts, loosely, at the largest
size (bandwidth-dominated): shaped < max-ratio x unshaped, and shaped < 2 x bound (shaping took effect and
busbw is on the scale the link allows). Exit 0 = pass, 1 = fail.
"""
import argparse
import json
import sys


def busbw(path, collective):
    with open(path) as f:
        doc = json.load(f)
    return {(r["size_bytes"], r["in_place"]): r["busbw_gbps"]
            for r in doc["records"] if r.get("collective") == collective}


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("unshaped")
    ap.add_argument("shaped")
    ap.add_argument("--rate-mbit", type=float, required=True, help="tbf rate on the shaped host, Mbit/s")
    ap.add_argument("--collective", default="all_reduce")
    ap.add_argument("--max-ratio", type=float, default=0.5)
    args = ap.parse_args()
    base, shaped = busbw(args.unshaped, args.collective), busbw(args.shaped, args.collective)
    keys = sorted(set(base) & set(shaped))
    if not keys:
        print(f"FAIL: no {args.collective} records common to both runs")
        return 1
    bound = args.rate_mbit * 1e6 / 8 / 1e9
    print(f"{args.collective}: link bound {bound:.6f} GB/s ({args.rate_mbit:g} Mbit/s); measured_ratio = shaped/unshaped, "
          f"expected_ratio = bound/unshaped (the ratio if the shaped run reached the link bound exactly)")
    print(f"{'size_bytes':>12} {'in_place':>8} {'unshaped_gbps':>14} {'shaped_gbps':>12} "
          f"{'measured_ratio':>15} {'expected_ratio':>15}")
    for k in keys:
        print(f"{k[0]:>12} {str(k[1]):>8} {base[k]:>14.6f} {shaped[k]:>12.6f} "
              f"{shaped[k] / base[k]:>15.6f} {bound / base[k]:>15.6f}")
    largest = max(size for size, _ in keys)
    ok = True
    for k in (k for k in keys if k[0] == largest):
        ratio = shaped[k] / base[k]
        if not ratio < args.max_ratio:
            print(f"FAIL: size {k[0]} in_place={k[1]}: shaped/unshaped = {ratio:.6f}, want < {args.max_ratio}")
            ok = False
        if not shaped[k] < 2 * bound:
            print(f"FAIL: size {k[0]} in_place={k[1]}: shaped busbw {shaped[k]:.6f} GB/s >= 2 x bound {bound:.6f}")
            ok = False
    print("PASS" if ok else "FAIL")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
