#!/bin/bash
# test_netns_mpi.sh - (run inside with_cluster.sh) the cluster itself, without railcheck: every host
# namespace reaches every other over the bridge, and mpirun through nsrsh starts one process per host
# whose hostname is that host's name.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=cluster_env.sh
. "$here/cluster_env.sh"
mapfile -t nodes < <("$here/netns_cluster.sh" nodes)

# reachability: a TCP listener in the last host, a client in every other (bash /dev/tcp, 2 s timeout)
last=${nodes[-1]} last_ip=$RC_NET.${#nodes[@]}
ip netns exec "$last" iperf3 -s -D -p 5201 -I "$RC_CLUSTER_WORK/iperf3.pid"
sleep 0.3
for ns in "${nodes[@]:0:${#nodes[@]}-1}"; do
  ip netns exec "$ns" timeout 2 bash -c "exec 3<>/dev/tcp/$last_ip/5201" || { echo "FAIL: $ns cannot reach $last_ip"; exit 1; }
done
echo "every host reaches $last ($last_ip)"

got=$("$here/cluster_mpirun.sh" -- hostname | sort | tr '\n' ' ')
want=$(printf '%s\n' "${nodes[@]}" | sort | tr '\n' ' ')
echo "mpirun hostnames: $got"
[ "$got" = "$want" ] || { echo "FAIL: want '$want'"; exit 1; }
echo PASS
