#!/bin/bash
# fault.sh - inject a fault on one host's link of the netns cluster, or clear it.
#
#   fault.sh rate  nodeK RATE   cap the link both ways with tc tbf (RATE in tc units, e.g. 200mbit): on eth0
#                               inside nodeK (its egress) and on the root-side veth (its ingress)
#   fault.sh rate-to nodeK nodeJ RATE
#                               cap only what nodeK sends to nodeJ (one direction of one link: a weak laser,
#                               one bad lane): htb on nodeK's eth0, a class at RATE picked by a u32 filter on
#                               nodeJ's address; everything else nodeK sends goes through a fast default class
#   fault.sh loss  nodeK PCT    drop PCT % of IP packets in and out of nodeK's eth0 at random (nftables
#                               numgen, with counters; table inet railcheck_fault inside nodeK)
#   fault.sh down  nodeK        take nodeK's eth0 down (a partition)
#   fault.sh flap  nodeK [N] [S]
#                               the cable of nodeK flaps N times (default 2): the root-side veth goes down for S
#                               seconds (default 1) and comes back, so nodeK's eth0 loses its carrier (counted
#                               in its carrier_changes) while staying up with its address and routes
#   fault.sh clear nodeK        undo all of the above on nodeK (safe when nothing is set)
#
# There is no delay/jitter fault: this kernel has no sch_netem (nor fq), and modules cannot be loaded.
# RC_TBF_BURST (default 32kbit) and RC_TBF_LATENCY (default 50ms) tune tbf.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=cluster_env.sh
. "$here/cluster_env.sh"

usage() {
  echo "usage: $0 rate nodeK RATE | rate-to nodeK nodeJ RATE | loss nodeK PCT | down nodeK | flap nodeK [N] [S] |" \
    "clear nodeK" >&2
  exit 2
}
[ $# -ge 2 ] || usage
action=$1 ns=$2
k=${ns#"$RC_NODE_PREFIX"}
if ! [[ "$k" =~ ^[0-9]+$ ]] || [ ! -e "/run/netns/$ns" ]; then echo "fault.sh: no such host '$ns'" >&2; exit 2; fi
veth=$RC_VETH_PREFIX$k
table=(inet railcheck_fault)

clear_fault() {
  if tc -n "$ns" qdisc show dev eth0 root | grep -qE '^qdisc (tbf|htb)'; then tc -n "$ns" qdisc del dev eth0 root; fi
  if tc qdisc show dev "$veth" root | grep -q '^qdisc tbf'; then tc qdisc del dev "$veth" root; fi
  if ip netns exec "$ns" nft list table "${table[@]}" >/dev/null 2>&1; then ip netns exec "$ns" nft delete table "${table[@]}"; fi
  ip -n "$ns" link set eth0 up
  ip link set "$veth" up
}

case "$action" in
  rate)
    [ $# -eq 3 ] || usage
    tbf=(tbf rate "$3" burst "${RC_TBF_BURST:-32kbit}" latency "${RC_TBF_LATENCY:-50ms}")
    tc -n "$ns" qdisc replace dev eth0 root "${tbf[@]}"
    tc qdisc replace dev "$veth" root "${tbf[@]}"
    ;;
  rate-to)
    [ $# -eq 4 ] || usage
    peer_k=${3#"$RC_NODE_PREFIX"}
    [[ "$peer_k" =~ ^[0-9]+$ ]] && [ -e "/run/netns/$3" ] || { echo "fault.sh: no such host '$3'" >&2; exit 2; }
    tc -n "$ns" qdisc replace dev eth0 root handle 1: htb default 20
    tc -n "$ns" class replace dev eth0 parent 1: classid 1:10 htb rate "$4" ceil "$4" burst "${RC_TBF_BURST:-32kbit}"
    tc -n "$ns" class replace dev eth0 parent 1: classid 1:20 htb rate 100gbit
    tc -n "$ns" filter replace dev eth0 parent 1: protocol ip prio 1 u32 match ip dst "$RC_NET.$peer_k/32" flowid 1:10
    ;;
  loss)
    if [ $# -ne 3 ] || ! [[ "$3" =~ ^[0-9]+$ ]] || [ "$3" -gt 100 ]; then usage; fi
    if ip netns exec "$ns" nft list table "${table[@]}" >/dev/null 2>&1; then ip netns exec "$ns" nft delete table "${table[@]}"; fi
    # nft 1.0.6 needs the rule written across lines; a one-line `chain { ...; numgen ... }` is a syntax error
    ip netns exec "$ns" nft -f - <<NFT
table ${table[*]} {
  chain in {
    type filter hook input priority 0; policy accept;
    iifname "eth0" numgen random mod 100 < $3 counter drop
  }
  chain out {
    type filter hook output priority 0; policy accept;
    oifname "eth0" numgen random mod 100 < $3 counter drop
  }
}
NFT
    ;;
  down) [ $# -eq 2 ] || usage; ip -n "$ns" link set eth0 down ;;
  flap)
    times=${3:-2} down_s=${4:-1}
    [[ "$times" =~ ^[0-9]+$ ]] && [[ "$down_s" =~ ^[0-9.]+$ ]] || usage
    for ((i = 0; i < times; i++)); do
      [ "$i" = 0 ] || sleep "$down_s"
      ip link set "$veth" down
      sleep "$down_s"
      ip link set "$veth" up
    done
    ;;
  clear) [ $# -eq 2 ] || usage; clear_fault ;;
  *) usage ;;
esac
