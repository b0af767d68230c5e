#!/bin/bash
# netns_cluster.sh - a cluster of hosts on one machine, one network namespace per host.
#
#   netns_cluster.sh up [N]   N hosts (default $RC_NODES or 4) node1..nodeN: netns + veth pair to bridge
#                             rcbr0 (10.77.0.K/24 on eth0 inside nodeK, 10.77.0.254 on the bridge).
#                             Cleans any stale cluster first, so it is safe to run twice.
#   netns_cluster.sh down     Tears down everything this tooling creates: what is left of the command
#                             with_cluster.sh ran (its process group), Slurm/munge daemons (by pidfile),
#                             every process left inside the host namespaces, the namespaces (and with them
#                             their qdiscs and nft tables), the root-side veths (and their qdiscs), the bridge,
#                             fabric_testbed.sh's switch namespaces (with their veths to the hosts) and
#                             $RC_RUN_DIR. Safe to run when nothing is up.
#   netns_cluster.sh nodes    Prints the host names, one a line.
#
# Needs root, iproute2. Names and addresses: see cluster_env.sh.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=cluster_env.sh
. "$here/cluster_env.sh"

# Host namespaces this tooling may own: the recorded list, the peers of our veths, and any netns named
# <prefix><number> (a crashed `up` may not have recorded it).
known_nodes() {
  {
    [ -f "$RC_RUN_DIR/nodes" ] && cat "$RC_RUN_DIR/nodes"
    ip -o link show 2>/dev/null | sed -n "s/^[0-9]*: ${RC_VETH_PREFIX}\([0-9]\+\)[@:].*/${RC_NODE_PREFIX}\1/p"
    ip netns list 2>/dev/null | awk '{print $1}' | grep -E "^${RC_NODE_PREFIX}[0-9]+\$" || true
  } | sort -u
}

# fabric_testbed.sh's switch namespaces (<prefix>leafL, <prefix>spineS).
known_switches() {
  ip netns list 2>/dev/null | awk '{print $1}' | grep -E "^${RC_FABRIC_PREFIX}(leaf|spine)[0-9]+\$" || true
}

# Sends TERM, then KILL after up to 1 s, to the given pids (ids only, never names).
kill_pids() {
  [ $# -gt 0 ] || return 0
  kill -TERM "$@" 2>/dev/null || true
  for _ in $(seq 1 10); do
    local alive=0 p
    for p in "$@"; do kill -0 "$p" 2>/dev/null && alive=1; done
    [ "$alive" = 0 ] && return 0
    sleep 0.1
  done
  kill -KILL "$@" 2>/dev/null || true
}

up() {
  local n=${1:-${RC_NODES:-4}}
  if ! [[ "$n" =~ ^[0-9]+$ ]] || [ "$n" -lt 1 ] || [ "$n" -gt 253 ]; then echo "up: bad host count '$n'" >&2; exit 2; fi
  down
  mkdir -p "$RC_RUN_DIR"
  : > "$RC_RUN_DIR/nodes"
  : > "$RC_RUN_DIR/hostfile"
  ip link add "$RC_BRIDGE" type bridge
  ip addr add "$RC_NET.254/24" dev "$RC_BRIDGE"
  ip link set "$RC_BRIDGE" up
  local i ns
  for i in $(seq 1 "$n"); do
    ns=$RC_NODE_PREFIX$i
    ip netns add "$ns"
    echo "$ns" >> "$RC_RUN_DIR/nodes"   # recorded before configuring, so a half-done up is still torn down
    ip link add "$RC_VETH_PREFIX$i" type veth peer name eth0 netns "$ns"
    ip link set "$RC_VETH_PREFIX$i" master "$RC_BRIDGE" up
    ip -n "$ns" addr add "$RC_NET.$i/24" dev eth0
    ip -n "$ns" link set eth0 up
    ip -n "$ns" link set lo up
    echo "$ns slots=1" >> "$RC_RUN_DIR/hostfile"
  done
}

down() {
  # what is left of the command with_cluster.sh ran: its process group, recorded there (setsid: pgid = pid)
  local pgid
  pgid=$(cat "$RC_RUN_DIR/command.pgid" 2>/dev/null || true)
  if [[ "$pgid" =~ ^[0-9]+$ ]] && kill -0 -- "-$pgid" 2>/dev/null; then
    kill -TERM -- "-$pgid" 2>/dev/null || true
    for _ in $(seq 1 20); do kill -0 -- "-$pgid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL -- "-$pgid" 2>/dev/null || true
  fi
  "$here/slurm_cluster.sh" stop
  local ns veth
  for ns in $(known_nodes); do
    # shellcheck disable=SC2046  # one pid a word
    if [ -e "/run/netns/$ns" ]; then kill_pids $(ip netns pids "$ns" 2>/dev/null || true); fi
  done
  # Root-side veths first: deleting one removes its peer too. (A netns is freed asynchronously, so listing
  # veths after `ip netns del` races with the kernel.)
  for veth in $(ip -o link show 2>/dev/null | sed -n "s/^[0-9]*: \(${RC_VETH_PREFIX}[0-9]\+\)[@:].*/\1/p"); do
    ip link del "$veth"
  done
  for ns in $(known_nodes) $(known_switches); do
    if [ -e "/run/netns/$ns" ]; then ip netns del "$ns"; fi
  done
  if ip link show "$RC_BRIDGE" >/dev/null 2>&1; then ip link del "$RC_BRIDGE"; fi
  rm -rf "$RC_RUN_DIR"
}

case "${1:-}" in
  up) shift; up "$@" ;;
  down) down ;;
  nodes) cat "$RC_RUN_DIR/nodes" ;;
  *) echo "usage: $0 up [N] | down | nodes" >&2; exit 2 ;;
esac
