#!/bin/bash
# fabric_fault.sh - faults on one direction of one cable of fabric_testbed.sh's fabric, named as railcheck
# names a directed link: the sending port, " -> ", the receiving port.
#
#   fabric_fault.sh rate "leaf1:4 -> spine2:1" 200mbit   tc tbf on the sending port's egress only (RC_TBF_BURST,
#                                                         RC_TBF_LATENCY as fault.sh): slow that way, not back
#   fabric_fault.sh loss "spine1:2 -> leaf2:3" 3          nftables numgen drop of PCT % of what leaves the
#                                                         sending port (forwarded or sent), that way only
#   fabric_fault.sh rate-to node2/fab0 node3 200mbit      htb on node2's fab0, only what it sends to node3's fabric
#                                                         address at RATE: a fault of one pair, which no cable of
#                                                         the topology explains (every link carries other flows)
#   fabric_fault.sh clear "leaf1:4 -> spine2:1"           removes them from that port (clear node2/fab0: rate-to's)
#   fabric_fault.sh where "node4/fab0 -> leaf2:2"         prints the namespace and interface that send it
#
# A sending end "nodeK/fab0" is host K's fab0; "leafL:P" / "spineS:P" is interface pP in that switch.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=cluster_env.sh
. "$here/cluster_env.sh"

usage() { echo "usage: $0 rate LINK RATE | rate-to NIC HOST RATE | loss LINK PCT | clear LINK | where LINK  (LINK: \"leaf1:4 -> spine2:1\", NIC: node2/fab0)" >&2; exit 2; }
[ $# -ge 2 ] || usage
action=$1 link=$2
from=${link%% -> *}
# rate-to names a sending NIC; clear takes either (node2/fab0 clears what rate-to set there)
[ "$from" != "$link" ] || [ "$action" = rate-to ] || { [ "$action" = clear ] && [[ "$link" == */* ]]; } ||
  { echo "fabric_fault.sh: '$link' is not a directed link (FROM -> TO)" >&2; exit 2; }
if [[ "$from" =~ ^(${RC_NODE_PREFIX}[0-9]+)/(.+)$ ]]; then
  ns=${BASH_REMATCH[1]} dev=${BASH_REMATCH[2]}
elif [[ "$from" =~ ^((leaf|spine)[0-9]+):([0-9]+)$ ]]; then
  ns=$RC_FABRIC_PREFIX${BASH_REMATCH[1]} dev=p${BASH_REMATCH[3]}
else
  echo "fabric_fault.sh: cannot tell the sending port of '$link'" >&2; exit 2
fi
ip -n "$ns" link show "$dev" >/dev/null 2>&1 || { echo "fabric_fault.sh: no interface $dev in $ns (is the fabric up?)" >&2; exit 2; }
table=(inet "railcheck_fault_$dev")

clear_fault() {
  if tc -n "$ns" qdisc show dev "$dev" root | grep -qE '^qdisc (tbf|htb)'; then tc -n "$ns" qdisc del dev "$dev" root; fi
  if ip netns exec "$ns" nft list table "${table[@]}" >/dev/null 2>&1; then ip netns exec "$ns" nft delete table "${table[@]}"; fi
}

case "$action" in
  where) echo "$ns $dev" ;;
  rate)
    [ $# -eq 3 ] || usage
    tc -n "$ns" qdisc replace dev "$dev" root tbf rate "$3" burst "${RC_TBF_BURST:-32kbit}" latency "${RC_TBF_LATENCY:-50ms}"
    ;;
  rate-to)
    [ $# -eq 4 ] && [[ "$3" =~ ^${RC_NODE_PREFIX}([0-9]+)$ ]] || usage
    peer_k=${BASH_REMATCH[1]}
    tc -n "$ns" qdisc replace dev "$dev" root handle 1: htb default 20
    tc -n "$ns" class replace dev "$dev" parent 1: classid 1:10 htb rate "$4" ceil "$4" burst "${RC_TBF_BURST:-32kbit}"
    tc -n "$ns" class replace dev "$dev" parent 1: classid 1:20 htb rate 100gbit
    tc -n "$ns" filter replace dev "$dev" parent 1: protocol ip prio 1 u32 match ip dst "$RC_FABRIC_NET.$peer_k.2/32" flowid 1:10
    ;;
  loss)
    if [ $# -ne 3 ] || ! [[ "$3" =~ ^[0-9]+$ ]] || [ "$3" -gt 100 ]; then usage; fi
    clear_fault
    # nft 1.0.6 needs the rules written across lines; forward: a switch's traffic, output: a host's own
    ip netns exec "$ns" nft -f - <<NFT
table ${table[*]} {
  chain forward {
    type filter hook forward priority 0; policy accept;
    oifname "$dev" numgen random mod 100 < $3 counter drop
  }
  chain out {
    type filter hook output priority 0; policy accept;
    oifname "$dev" numgen random mod 100 < $3 counter drop
  }
}
NFT
    ;;
  clear) clear_fault ;;
  *) usage ;;
esac
