#!/bin/bash
# test_acceptance_verdicts.sh RAILCHECK_BIN SUITE [SCHEMA] - (inside with_cluster.sh, 4 hosts) issue #6,
# acceptance 2: `railcheck run suites/acceptance.json` across the namespace hosts
#   - with node3's link limited by tc tbf (RC_ACCEPT_RATE_MBIT, default 400) exits 1 and its verdicts name
#     node3 (and nothing on another host), with evidence, 3 times in a row;
#   - with no fault exits 0 and names nothing, 3 times in a row.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=cluster_env.sh
. "$here/cluster_env.sh"
bin=${1:?usage: $0 RAILCHECK_BIN SUITE [SCHEMA]}
suite=${2:?usage: $0 RAILCHECK_BIN SUITE [SCHEMA]}
schema=${3:-}
rate=${RC_ACCEPT_RATE_MBIT:-400}
repeats=${RC_ACCEPT_REPEATS:-3}
schema_args=()
[ -n "$schema" ] && [ -f "$schema" ] && schema_args=(--schema "$schema")

run_suite() {  # run_suite OUTPUT_DIR -> railcheck's exit code
  local rc=0
  "$here/cluster_mpirun.sh" -- "$bin" run "$suite" --output-dir "$1" > "$1.log" 2>&1 || rc=$?
  grep -E '^# (VERDICT|verdicts)' "$1.log" || true
  return $rc
}

failures=0
for i in $(seq 1 "$repeats"); do
  echo "== degraded run $i: node3 at ${rate} Mbit/s"
  "$here/fault.sh" rate node3 "${rate}mbit"
  rc=0
  run_suite "$RC_CLUSTER_WORK/degraded$i" || rc=$?
  "$here/fault.sh" clear node3
  if [ "$rc" != 1 ]; then
    echo "FAIL: degraded run $i exited $rc (expected 1)"; tail -30 "$RC_CLUSTER_WORK/degraded$i.log"; failures=$((failures + 1))
  fi
  "$here/check_verdicts.py" "$RC_CLUSTER_WORK/degraded$i/results.json" --bad-host node3 "${schema_args[@]}" ||
    failures=$((failures + 1))
done
for i in $(seq 1 "$repeats"); do
  echo "== healthy run $i"
  rc=0
  run_suite "$RC_CLUSTER_WORK/healthy$i" || rc=$?
  if [ "$rc" != 0 ]; then
    echo "FAIL: healthy run $i exited $rc (expected 0)"; tail -30 "$RC_CLUSTER_WORK/healthy$i.log"; failures=$((failures + 1))
  fi
  "$here/check_verdicts.py" "$RC_CLUSTER_WORK/healthy$i/results.json" --healthy "${schema_args[@]}" ||
    failures=$((failures + 1))
done
[ "$failures" = 0 ] || { echo "FAIL: $failures check(s) failed"; exit 1; }
echo "PASS: node3 named in $repeats degraded runs, nothing named in $repeats healthy runs"
