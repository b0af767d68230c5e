#!/bin/bash
# test_shaping.sh RAILCHECK_BIN - (run inside with_cluster.sh, >= 3 hosts) all-reduce bus bandwidth falls
# as expected when one host's link is capped with tc tbf: runs railcheck allreduce unshaped, then with
# node3 capped at RC_SHAPE_RATE_MBIT (default 400) both ways; prints measured vs expected ratios exactly
# and asserts loosely (compare_busbw.py). Correctness must still hold on the shaped link.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=cluster_env.sh
. "$here/cluster_env.sh"
bin=${1:?usage: $0 RAILCHECK_BIN}
rate=${RC_SHAPE_RATE_MBIT:-400}
hosts=$("$here/netns_cluster.sh" nodes | wc -l)
# 4 and 16 MiB: bandwidth dominates; few iterations: out-of-place + in-place, the shaped run moves ~180 MiB
# through a 50 MB/s link
flags=(allreduce -b 4M -e 16M -f 4 -n 2 -w 1 -c 1 --backend mpi)

for run in unshaped shaped; do
  [ "$run" = shaped ] && "$here/fault.sh" rate node3 "${rate}mbit"
  rc=0
  "$here/cluster_mpirun.sh" -- "$bin" "${flags[@]}" --output-dir "$RC_CLUSTER_WORK/$run" || rc=$?
  [ "$rc" = 0 ] || { echo "FAIL: $run railcheck allreduce exited $rc"; exit 1; }
done
echo "tbf on node3 (eth0 inside, ${RC_VETH_PREFIX}3 outside):"
tc -s -n node3 qdisc show dev eth0 | head -3
tc -s qdisc show dev "${RC_VETH_PREFIX}3" | head -3
"$here/fault.sh" clear node3

"$here/check_results.py" "$RC_CLUSTER_WORK/shaped/results.json" --hosts "$hosts" --collective all_reduce
"$here/compare_busbw.py" "$RC_CLUSTER_WORK/unshaped/results.json" "$RC_CLUSTER_WORK/shaped/results.json" \
  --rate-mbit "$rate" --collective all_reduce --max-ratio 0.5
