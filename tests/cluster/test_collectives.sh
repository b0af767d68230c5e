#!/bin/bash
# test_collectives.sh RAILCHECK_BIN [SCHEMA_JSON] - (run inside with_cluster.sh) railcheck allreduce and
# alltoall across the host namespaces, one rank per host, mpi backend over TCP on the bridge: each must
# exit 0, find no wrong element, and list every host by its own name.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
bin=${1:?usage: $0 RAILCHECK_BIN [SCHEMA_JSON]}
schema=${2:-}
hosts=$("$here/netns_cluster.sh" nodes | wc -l)
for pair in allreduce:all_reduce alltoall:all_to_all; do
  cmd=${pair%%:*} collective=${pair#*:}
  out=$RC_CLUSTER_WORK/$cmd
  rc=0
  "$here/cluster_mpirun.sh" -- "$bin" "$cmd" -b 1M -e 16M -f 2 -n 5 -w 2 -c 1 --backend mpi --output-dir "$out" || rc=$?
  [ "$rc" = 0 ] || { echo "FAIL: railcheck $cmd exited $rc"; exit 1; }
  "$here/check_results.py" "$out/results.json" --hosts "$hosts" --collective "$collective" ${schema:+--schema "$schema"}
done
echo PASS
