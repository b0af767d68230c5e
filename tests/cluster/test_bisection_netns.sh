#!/bin/bash
# test_bisection_netns.sh RAILCHECK_BIN [SCHEMA] - (inside with_cluster.sh, 4 hosts) issue #6, in-job bisection
# across real hosts: an all-reduce over the 4 namespace hosts with "bisect", then a TCP pairwise pass.
#   1. no fault, expectation far below: one round, exit 0; its busbw B is the healthy figure;
#   2. node3's link limited by tc tbf, expectation B/4: round 1 slow and split, round 2 the half without node3
#      ok and the half with it slow and isolated; the pairwise pass fails node3's NIC, which confirms node3
#      and explains its half-mate (not named); exit 1 and no other host named.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=cluster_env.sh
. "$here/cluster_env.sh"
bin=${1:?usage: $0 RAILCHECK_BIN [SCHEMA]}
schema=${2:-}
rate=${RC_BISECT_RATE_MBIT:-200}

suite() {  # suite FILE EXPECTED_GBPS WITH_P2P
  python3 - "$@" <<'PY'
import json, sys
path, expected, with_p2p = sys.argv[1], float(sys.argv[2]), sys.argv[3] == "1"
tests = [{"collective": "all_reduce", "min_bytes": "4M", "max_bytes": "4M", "iters": 5, "warmup_iters": 1,
          "check": 1, "placement": "out_of_place", "bisect": {"expected_busbw_gbps": expected}}]
if with_p2p:
    tests.append({"name": "tcp_links", "p2p": "tcp", "size": "1M", "iters": 16, "tx_depth": 8, "streams": 2,
                  "lat_iters": 50})
json.dump({"schema_version": 1, "name": "bisect-netns", "backend": "mpi", "timeout_s": 300, "tests": tests},
          open(path, "w"))
PY
}

suite "$RC_CLUSTER_WORK/healthy.json" 0.000001 0
rc=0
"$here/cluster_mpirun.sh" -- "$bin" run "$RC_CLUSTER_WORK/healthy.json" --output-dir "$RC_CLUSTER_WORK/healthy" \
  > "$RC_CLUSTER_WORK/healthy.log" 2>&1 || rc=$?
grep '^# bisect' "$RC_CLUSTER_WORK/healthy.log" || true
[ "$rc" = 0 ] || { echo "FAIL: healthy run exited $rc"; tail -30 "$RC_CLUSTER_WORK/healthy.log"; exit 1; }
healthy=$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print([r for r in d["records"] if r.get("kind") == "bisection"][0]["busbw_gbps"])' \
  "$RC_CLUSTER_WORK/healthy/results.json")
# B/4: the slow half (200 Mbit/s) measures about B/15; the healthy half shares this 2-core machine with the
# slow half's polling ranks and has measured B/2.5 - B/1.5, so a quarter leaves room on both sides
expected=$(python3 -c "print($healthy / 4)")
echo "healthy busbw ${healthy} GB/s; the degraded run expects ${expected}"

suite "$RC_CLUSTER_WORK/degraded.json" "$expected" 1
"$here/fault.sh" rate node3 "${rate}mbit"
rc=0
"$here/cluster_mpirun.sh" -- "$bin" run "$RC_CLUSTER_WORK/degraded.json" --output-dir "$RC_CLUSTER_WORK/degraded" \
  > "$RC_CLUSTER_WORK/degraded.log" 2>&1 || rc=$?
"$here/fault.sh" clear node3
grep -E '^# (bisect|VERDICT|verdicts)' "$RC_CLUSTER_WORK/degraded.log" || true
[ "$rc" = 1 ] || { echo "FAIL: degraded run exited $rc (expected 1)"; tail -30 "$RC_CLUSTER_WORK/degraded.log"; exit 1; }

python3 - "$RC_CLUSTER_WORK/healthy/results.json" "$RC_CLUSTER_WORK/degraded/results.json" "$schema" <<'PY'
import json, sys
healthy, degraded, schema = (json.load(open(sys.argv[1])), json.load(open(sys.argv[2])), sys.argv[3])
fail = []
if schema:  # the degraded document is validated by check_verdicts.py below
    import jsonschema
    errors = list(jsonschema.Draft202012Validator(json.load(open(schema))).iter_errors(healthy))
    if errors:
        fail.append(f"healthy: schema: {errors[0].json_path}: {errors[0].message[:200]}")
def rounds(doc):
    return [r for r in doc["records"] if r.get("kind") == "bisection"]
def hosts(r):
    return {m["host"] for m in r["members"]}
h = rounds(healthy)
if len(h) != 1 or h[0]["slow"] or len(h[0]["members"]) != 4 or h[0]["units"] != "node":
    fail.append(f"healthy: expected one ok round over 4 nodes, got {[(r['round'], r['slow']) for r in h]}")
d = rounds(degraded)
print("degraded rounds:", [(r["round"], sorted(hosts(r)), round(r["busbw_gbps"], 3), r["slow"], r["split"]) for r in d])
if not d or not (d[0]["slow"] and d[0]["split"]):
    fail.append("degraded: round 1 should be slow and split")
second = [r for r in d if r["round"] == 2]
slow_half = [r for r in second if "node3" in hosts(r)]
ok_half = [r for r in second if "node3" not in hosts(r)]
if len(second) != 2 or not slow_half or not ok_half:
    fail.append(f"degraded: round 2 should measure two halves, got {[sorted(hosts(r)) for r in second]}")
else:
    if not (slow_half[0]["slow"] and not slow_half[0]["split"]):
        fail.append("degraded: the half with node3 should be slow and isolated")
    if ok_half[0]["slow"]:
        fail.append(f"degraded: the half without node3 should be ok ({ok_half[0]['busbw_gbps']:.3g} GB/s)")
node3 = [v for v in degraded["verdicts"] if v["component"] == {"kind": "node", "host": "node3"}]
if not node3 or node3[0]["status"] != "fail":
    fail.append("degraded: node3 should fail")
elif not any(e["source"] == "bisection" for e in node3[0]["evidence"]):
    fail.append("degraded: node3's verdict should carry the bisection evidence")
if fail:
    print("FAIL: " + "; ".join(fail))
    sys.exit(1)
PY
# Nothing on another host named, node3's failing verdicts with evidence and action (prints what is named).
schema_args=()
[ -n "$schema" ] && [ -f "$schema" ] && schema_args=(--schema "$schema")
"$here/check_verdicts.py" "$RC_CLUSTER_WORK/degraded/results.json" --bad-host node3 "${schema_args[@]}"
echo "PASS: bisection isolated node3's half, the pairwise pass confirmed node3, nothing else named"
