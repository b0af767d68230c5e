#!/bin/bash
# healthy_acceptance_runs.sh RAILCHECK_BIN SUITE [RUNS] - (inside tests/cluster/with_cluster.sh --nodes 6) issue
# #12, acceptance 2: RUNS (default 10) consecutive `railcheck run SUITE` on the healthy namespace hosts must name
# nothing (no warn, no fail). Prints one line per run (exit code, verdict counts, wall time, the p2p centre)
# and a closing line; exit 1 when any run named anything. Its output is kept in docs/verdicts.md.
set -euo pipefail
cluster=$(cd "$(dirname "${BASH_SOURCE[0]}")/../cluster" && pwd)
bin=${1:?usage: $0 RAILCHECK_BIN SUITE [RUNS]}
suite=${2:?usage: $0 RAILCHECK_BIN SUITE [RUNS]}
runs=${3:-10}
named_runs=0
echo "# $runs healthy runs of $(basename "$suite") on $(grep -c . "$RC_RUN_DIR/nodes") namespace hosts, $(date -u +%Y-%m-%dT%H:%M:%SZ)"
echo "# run  exit  fail  warn  pass  skip  wall_s  p2p.bw median GB/s  named"
for i in $(seq 1 "$runs"); do
  dir="$RC_CLUSTER_WORK/healthy$i"
  t0=$(date +%s.%N)
  rc=0
  "$cluster/cluster_mpirun.sh" -- "$bin" run "$suite" --output-dir "$dir" > "$dir.log" 2>&1 || rc=$?
  wall=$(python3 -c "import time; print(f'{time.time() - $t0:.1f}')")
  line=$(python3 - "$dir/results.json" <<'PY'
import json, statistics, sys
doc = json.load(open(sys.argv[1]))
v = doc.get("verdicts", [])
count = {s: sum(x["status"] == s for x in v) for s in ("fail", "warn", "pass", "skip")}
bw = [r["bw_gbps"] for r in doc["records"] if r.get("kind") == "p2p" and r.get("op") == "bw" and r.get("bw_gbps")
      and r.get("phase", "first") == "first"]
named = [x["evidence"][0]["text"] for x in v if x["status"] in ("fail", "warn")]
print(f'{count["fail"]:4d}  {count["warn"]:4d}  {count["pass"]:4d}  {count["skip"]:4d}', end="")
print(f'  BW {statistics.median(bw) if bw else 0:.2f}', end="")
print("  " + ("; ".join(named) if named else "-"))
PY
)
  printf '%5d  %4d  %s\n' "$i" "$rc" "$(echo "$line" | sed "s/  BW /  $(printf '%6s' "$wall")  /")"
  if [ "$rc" != 0 ] || ! echo "$line" | grep -q '^   0     0 '; then named_runs=$((named_runs + 1)); fi
done
echo "# $((runs - named_runs)) of $runs runs named nothing"
[ "$named_runs" = 0 ]
