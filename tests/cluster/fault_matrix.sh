#!/bin/bash
# fault_matrix.sh RAILCHECK_BIN SUITE [SCHEMA] - (inside with_cluster.sh --nodes 6) issue #12, acceptance 1:
# `railcheck run SUITE` across the namespace hosts under each fault shape a fabric has, each shape
# RC_MATRIX_REPEATS times (default 3) with the same outcome:
#   both_ways  node3 capped both ways (tbf)               exit 1; node3 fails; nothing on another host
#   one_way    node2 -> node5 only capped (htb + u32)     exit 1; only link node2<->node5 fails, direction
#                                                         a_to_b; no NIC or node verdict for either end
#   loss       2 % random drop on node1 (nftables)        exit 1; node1 fails (retransmits); nobody else
#   two_hosts  node3 and node5 capped both ways           exit 1; both fail; nothing on another host
#   link_down  node4's eth0 down 8 s into a -T 20 run     railcheck's processes gone within timeout + 30 s,
#                                                         results.jsonl ends with a watchdog record naming
#                                                         node4, the records measured before it are kept
# RC_MATRIX_SHAPES picks shapes (space separated). Prints one line per run, and a summary table.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=cluster_env.sh
. "$here/cluster_env.sh"
bin=${1:?usage: $0 RAILCHECK_BIN SUITE [SCHEMA]}
suite=${2:?usage: $0 RAILCHECK_BIN SUITE [SCHEMA]}
schema=${3:-}
repeats=${RC_MATRIX_REPEATS:-3}
shapes=${RC_MATRIX_SHAPES:-both_ways one_way loss two_hosts link_down}
schema_args=()
[ -n "$schema" ] && [ -f "$schema" ] && schema_args=(--schema "$schema")
nodes=$(wc -l < "$RC_RUN_DIR/nodes")
[ "$nodes" -ge 6 ] || { echo "SKIP: the fault matrix needs 6 hosts (with_cluster.sh --nodes 6), have $nodes"; exit 77; }

clear_all() { for k in $(seq 1 "$nodes"); do "$here/fault.sh" clear "node$k"; done; }

inject() {
  case "$1" in
    both_ways) "$here/fault.sh" rate node3 400mbit ;;
    one_way) "$here/fault.sh" rate-to node2 node5 200mbit 2>/dev/null ;;
    loss) "$here/fault.sh" loss node1 2 ;;
    two_hosts) "$here/fault.sh" rate node3 400mbit; "$here/fault.sh" rate node5 400mbit ;;
  esac
}

judge() {  # judge SHAPE RESULTS_JSON
  case "$1" in
    both_ways) "$here/check_verdicts.py" "$2" --bad-host node3 "${schema_args[@]}" ;;
    one_way) "$here/check_verdicts.py" "$2" --only-link node2,node5,a_to_b "${schema_args[@]}" ;;
    loss) "$here/check_verdicts.py" "$2" --bad-host node1 "${schema_args[@]}" ;;
    two_hosts) "$here/check_verdicts.py" "$2" --bad-host node3 --bad-host node5 "${schema_args[@]}" ;;
  esac
}

run_link_down() {  # run_link_down DIR -> 0 when every point holds
  local dir=$1 timeout_s=20 t0 pid gone=""
  t0=$(date +%s)
  "$here/cluster_mpirun.sh" -- "$bin" run "$suite" -T "$timeout_s" --output-dir "$dir" > "$dir.log" 2>&1 &
  pid=$!
  sleep 8
  "$here/fault.sh" down node4
  # The railcheck processes must end by themselves; mpirun may go on waiting for node4's unreachable orted.
  for _ in $(seq 1 $(( (timeout_s + 30) * 2 ))); do
    sleep 0.5
    if ! pgrep -x railcheck > /dev/null; then gone=$(( $(date +%s) - t0 )); break; fi
  done
  kill -9 "$pid" 2>/dev/null || true
  pkill -9 -x orted 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  if [ -z "$gone" ]; then echo "FAIL: railcheck processes still running $(( timeout_s + 38 )) s after the start"; pkill -9 -x railcheck || true; return 1; fi
  echo "  railcheck processes gone after ${gone} s (timeout ${timeout_s} s)"
  python3 - "$dir/results.jsonl" <<'PY'
import json, sys
lines = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
last = lines[-1]
problems = []
if last.get("type") != "watchdog":
    problems.append("results.jsonl does not end with a watchdog record (last: %s)" % last.get("type"))
else:
    lost = {r["host"] for r in last["lost_ranks"]}
    if "node4" not in lost:
        problems.append("the watchdog did not name node4: %s" % sorted(lost))
    print("  watchdog: step %r, lost %s" % (last["step"], sorted(lost)))
measured = sum(1 for l in lines if l.get("type") in ("record", "p2p"))
if measured == 0:
    problems.append("no record measured before the link went down was kept")
print("  %d records kept" % measured)
if problems:
    print("FAIL: " + "; ".join(problems)); sys.exit(1)
PY
}

failures=0
summary=()
for shape in $shapes; do
  outcomes=()
  for i in $(seq 1 "$repeats"); do
    dir="$RC_CLUSTER_WORK/$shape$i"
    echo "== $shape run $i"
    clear_all
    if [ "$shape" = link_down ]; then
      if run_link_down "$dir"; then outcomes+=(ok); else outcomes+=(FAIL); failures=$((failures + 1)); fi
      clear_all
      continue
    fi
    inject "$shape"
    rc=0
    "$here/cluster_mpirun.sh" -- "$bin" run "$suite" --output-dir "$dir" > "$dir.log" 2>&1 || rc=$?
    clear_all
    grep -E '^# (VERDICT|verdicts)' "$dir.log" || true
    ok=1
    [ "$rc" = 1 ] || { echo "FAIL: $shape run $i exited $rc (expected 1)"; tail -20 "$dir.log"; ok=0; }
    judge "$shape" "$dir/results.json" || ok=0
    if [ "$ok" = 1 ]; then outcomes+=(ok); else outcomes+=(FAIL); failures=$((failures + 1)); fi
  done
  summary+=("$(printf '%-10s %s' "$shape" "${outcomes[*]}")")
done
echo "== fault matrix (${repeats} runs each, 6 hosts)"
printf '%s\n' "${summary[@]}"
[ "$failures" = 0 ] || { echo "FAIL: $failures run(s) failed"; exit 1; }
echo "PASS: every shape named the same part in all $repeats runs"
