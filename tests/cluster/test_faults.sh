#!/bin/bash
# test_faults.sh - (run inside with_cluster.sh, >= 3 hosts) fault.sh really does what it says, measured
# with iperf3 between host namespaces: `rate` caps node3 both ways and leaves node1<->node2 alone, `loss`
# drops packets (nft counters), `down` partitions node3, `clear` undoes each.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=cluster_env.sh
. "$here/cluster_env.sh"
rate=${RC_FAULT_RATE_MBIT:-100}
fail() { echo "FAIL: $*"; exit 1; }

for ns in node2 node3; do ip netns exec "$ns" iperf3 -s -D -I "$RC_CLUSTER_WORK/iperf3-$ns.pid"; done
sleep 0.3
# mbit FROM_NS TO_IP [-R]: 1 s iperf3 TCP throughput in Mbit/s (received side)
mbit() {
  ip netns exec "$1" iperf3 -c "$2" -t 1 -J "${@:3}" |
    /usr/bin/python3 -c 'import json,sys; print(int(json.load(sys.stdin)["end"]["sum_received"]["bits_per_second"]/1e6))'
}
connects() { ip netns exec "$1" timeout 2 bash -c "exec 3<>/dev/tcp/$2/5201" 2>/dev/null; }

base=$(mbit node1 "$RC_NET.3")
echo "unshaped node1->node3: $base Mbit/s"

"$here/fault.sh" rate node3 "${rate}mbit"
to3=$(mbit node1 "$RC_NET.3"); from3=$(mbit node1 "$RC_NET.3" -R); other=$(mbit node1 "$RC_NET.2")
echo "node3 shaped to $rate Mbit/s: node1->node3 $to3, node3->node1 $from3, node1->node2 $other Mbit/s"
[ "$to3" -lt $((2 * rate)) ] || fail "traffic into node3 not capped"
[ "$from3" -lt $((2 * rate)) ] || fail "traffic out of node3 not capped"
[ "$other" -gt $((5 * rate)) ] || fail "node1->node2 slowed by node3's cap"

"$here/fault.sh" clear node3
tc -n node3 qdisc show dev eth0 | grep -q tbf && fail "tbf left on node3 eth0"
tc qdisc show dev "${RC_VETH_PREFIX}3" | grep -q tbf && fail "tbf left on ${RC_VETH_PREFIX}3"
after=$(mbit node1 "$RC_NET.3")
echo "cleared: node1->node3 $after Mbit/s"
[ "$after" -gt $((5 * rate)) ] || fail "node3 still slow after clear"

"$here/fault.sh" loss node3 20
mbit node1 "$RC_NET.3" >/dev/null || true
drops=$(ip netns exec node3 nft list table inet railcheck_fault | sed -n 's/.*counter packets \([0-9]*\).*/\1/p' | tr '\n' ' ')
echo "loss 20%: packets dropped in, out: $drops"
read -r din dout <<< "$drops"
if [ "${din:-0}" -eq 0 ] || [ "${dout:-0}" -eq 0 ]; then fail "no packets dropped both ways"; fi
"$here/fault.sh" clear node3
ip netns exec node3 nft list table inet railcheck_fault >/dev/null 2>&1 && fail "nft table left after clear"

"$here/fault.sh" down node3
connects node1 "$RC_NET.3" && fail "node3 reachable while its link is down"
echo "down: node3 unreachable"
"$here/fault.sh" clear node3
for _ in $(seq 1 20); do connects node1 "$RC_NET.3" && break; sleep 0.1; done
connects node1 "$RC_NET.3" || fail "node3 unreachable after clear"
echo "cleared: node3 reachable"
echo PASS
