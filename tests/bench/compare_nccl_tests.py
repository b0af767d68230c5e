#!/usr/bin/python3
"""compare_nccl_tests.py NCCL_TESTS_OUT RAILCHECK_OUT [--min-bytes N] [--low 0.98] [--high 1.02] [--json FILE]

Puts two nccl-tests tables side by side: the console of nccl-tests' `all_reduce_perf` and of `railcheck
allreduce` run with the same flags on the same card. Rows are joined by (size, type, redop, root); for each
size it prints both times (out-of-place and in-place) and the ratio railcheck / nccl-tests. The verdict looks
at rows of at least --min-bytes (1 MiB): every ratio within [--low, --high] (issue #14: 0.98 .. 1.02).
Exit 0 within, 1 outside, 2 when the tables cannot be read or share no row.
"""
import argparse
import json
import re
import sys

ROW = re.compile(r"^\s*(\d+)\s+(\d+)\s+(\S+)\s+(\S+)\s+(-?\d+)\s+(.*)$")


def number(text):
    try:
        return float(text)
    except ValueError:
        return None  # N/A


def read_table(path):
    """{(size, type, redop, root): (oop_time_us, ip_time_us)} from an nccl-tests-style console."""
    rows = {}
    with open(path, errors="replace") as f:
        for line in f:
            if line.startswith("#"):
                continue
            m = ROW.match(line)
            if not m:
                continue
            fields = m.group(6).split()
            if len(fields) < 8:
                continue
            key = (int(m.group(1)), m.group(3), m.group(4), int(m.group(5)))
            rows[key] = (number(fields[0]), number(fields[4]))
    return rows


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("nccl_tests")
    ap.add_argument("railcheck")
    ap.add_argument("--min-bytes", type=int, default=1 << 20)
    ap.add_argument("--low", type=float, default=0.98)
    ap.add_argument("--high", type=float, default=1.02)
    ap.add_argument("--json")
    a = ap.parse_args()
    theirs, ours = read_table(a.nccl_tests), read_table(a.railcheck)
    shared = sorted(set(theirs) & set(ours))
    if not shared:
        print(f"FAIL: no row in both tables ({len(theirs)} rows in {a.nccl_tests}, {len(ours)} in {a.railcheck})")
        return 2
    print(f"# {'size':>12} {'type':>8} {'nccl-tests oop':>14} {'railcheck oop':>14} {'ratio':>7}"
          f" {'nccl-tests ip':>14} {'railcheck ip':>13} {'ratio':>7}")
    judged, outside, out_rows = 0, [], []
    for key in shared:
        size = key[0]
        entry = {"size": size, "type": key[1], "redop": key[2], "root": key[3]}
        cells = []
        for half, name in ((0, "out_of_place"), (1, "in_place")):
            t, r = theirs[key][half], ours[key][half]
            ratio = r / t if t and r is not None and t > 0 else None
            entry[name] = {"nccl_tests_us": t, "railcheck_us": r, "ratio": ratio}
            cells += [f"{t if t is not None else 'N/A':>14}", f"{r if r is not None else 'N/A':>14}",
                      f"{ratio:7.3f}" if ratio is not None else f"{'N/A':>7}"]
            if size >= a.min_bytes and ratio is not None:
                judged += 1
                if not a.low <= ratio <= a.high:
                    outside.append(f"{size} B {name}: {ratio:.3f}")
        out_rows.append(entry)
        print(f"  {size:>12} {key[1]:>8} " + " ".join(cells))
    if a.json:
        with open(a.json, "w") as f:
            json.dump({"rows": out_rows, "min_bytes": a.min_bytes, "low": a.low, "high": a.high}, f, indent=2)
    if judged == 0:
        print(f"FAIL: no measured row of at least {a.min_bytes} B in both tables")
        return 2
    if outside:
        print(f"OUTSIDE {a.low}..{a.high} at >= {a.min_bytes} B: " + "; ".join(outside))
        return 1
    print(f"PASS: all {judged} time ratios at >= {a.min_bytes} B within {a.low}..{a.high}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
