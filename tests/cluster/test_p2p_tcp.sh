#!/bin/bash
# test_p2p_tcp.sh RAILCHECK_BIN [SCHEMA] - (inside with_cluster.sh, 4 hosts) `railcheck p2p --transport tcp`
# measures all 6 host pairs in 3 rounds, each round's 2 pairs at the same time; then with node3's link capped by
# tc tbf (RC_P2P_RATE_MBIT, default 200) every pair with node3 is the slow one: max(bw with node3) <
# 0.5 x min(bw without) (check_p2p.py prints the matrix and the ratio).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=cluster_env.sh
. "$here/cluster_env.sh"
bin=${1:?usage: $0 RAILCHECK_BIN [SCHEMA]}
schema=${2:-}
rate=${RC_P2P_RATE_MBIT:-200}
hosts=$("$here/netns_cluster.sh" nodes | wc -l)
schema_args=()
[ -n "$schema" ] && [ -f "$schema" ] && schema_args=(--schema "$schema")
common=(p2p --transport tcp --subnet "$RC_NET.0/24" -q 2 -t 8 --lat_iters 50 -T 20)

# One-sided transfers are RDMA's: on TCP `--op write` is refused before anything runs (exit 2, one line).
rc=0
out=$("$here/cluster_mpirun.sh" -- "$bin" "${common[@]}" --op write 2>&1) || rc=$?
[ "$rc" = 2 ] && grep -q -- "--op write: TCP has no one-sided operations" <<< "$out" ||
  { echo "FAIL: p2p --op write on TCP: exit $rc, expected 2 naming --op: $out"; exit 1; }

# unshaped: 4 MiB x 40 per direction; shaped: 1 MiB x 8 (8 MiB through a 25 MB/s link: ~0.35 s per direction)
"$here/cluster_mpirun.sh" -- "$bin" "${common[@]}" -s 4M -n 40 --output-dir "$RC_CLUSTER_WORK/unshaped"
"$here/check_p2p.py" "$RC_CLUSTER_WORK/unshaped/results.json" --hosts "$hosts" "${schema_args[@]}"

"$here/fault.sh" rate node3 "${rate}mbit"
rc=0
"$here/cluster_mpirun.sh" -- "$bin" "${common[@]}" -s 1M -n 8 --output-dir "$RC_CLUSTER_WORK/shaped" || rc=$?
"$here/fault.sh" clear node3
[ "$rc" = 0 ] || { echo "FAIL: shaped railcheck p2p exited $rc"; exit 1; }
"$here/check_p2p.py" "$RC_CLUSTER_WORK/shaped/results.json" --hosts "$hosts" "${schema_args[@]}" \
  --slow-host node3 --max-ratio 0.5
