#!/bin/bash
# fabric_testbed.sh - a two-tier leaf-spine fabric between the hosts of netns_cluster.sh (issue #18,
# acceptance 1): every leaf and spine a routed network namespace, every cable a veth pair, static routes set
# destination-mod-k as OpenSM's ftree/dmodk would, so the routes are the ones railcheck's route oracle walks
# for tests/fixtures/fabric/testbed.topo.
#
#   fabric_testbed.sh up [LEAVES PLACES SPINES]   (default 3 2 2) needs hosts node1..node(LEAVES x PLACES)
#   fabric_testbed.sh topology                    prints the railcheck-topo file of what `up` built
#   fabric_testbed.sh lfts                        prints each switch namespace's forwarding table, read from its
#                                                 kernel (`ip route get` per host), as dump_lfts.sh prints an
#                                                 InfiniBand fabric's (LID k = host k, port = the pN it leaves by)
#   fabric_testbed.sh ecmp                        ECMP instead of dmodk: each leaf routes every remote host
#                                                 over all spines (a multipath route, hashed on the flow's
#                                                 5-tuple: fib_multipath_hash_policy 1), as a routed RoCE
#                                                 fabric's switches do; `--routes ecmp`
#   fabric_testbed.sh check                       every host reaches every other over the fabric, and each
#                                                 leaf's route to each remote host takes the dmodk spine (after
#                                                 `ecmp`: every spine)
#   (netns_cluster.sh down removes it: the switch namespaces and, with them, every fabric veth.)
#
# Layout (ports are interface names, so a directed link's sending end is `ip -n <ns> ... dev p<port>`):
#   host K = node K on leaf L = (K-1) / PLACES + 1, place j = (K-1) % PLACES, leaf port j+1; in the host the
#   interface fab0, 10.78.K.2/24, the leaf's side p<j+1> 10.78.K.1/24; the host routes 10.78.0.0/16 there.
#   leaf L port PLACES+S <-> spine S port L: 10.78.(100+10L+S).1 (leaf) / .2 (spine).
#   leaf L routes remote host K (place j) via spine (j mod SPINES) + 1; spine S routes host K via its leaf.
# Forwarding on, rp_filter off (a flow's ACKs come back over another spine).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=cluster_env.sh
. "$here/cluster_env.sh"

state="$RC_RUN_DIR/fabric_shape"

leaf_ns() { echo "${RC_FABRIC_PREFIX}leaf$1"; }
spine_ns() { echo "${RC_FABRIC_PREFIX}spine$1"; }
host_ns() { echo "$RC_NODE_PREFIX$1"; }

router() {  # a switch namespace that forwards
  ip netns add "$1"
  ip -n "$1" link set lo up
  ip netns exec "$1" sysctl -qw net.ipv4.ip_forward=1 net.ipv4.conf.all.rp_filter=0 net.ipv4.conf.default.rp_filter=0
}

up() {
  local leaves=${1:-3} places=${2:-2} spines=${3:-2}
  local hosts=$((leaves * places)) k l s j
  for k in $(seq 1 "$hosts"); do
    [ -e "/run/netns/$(host_ns "$k")" ] || { echo "fabric_testbed.sh: host $(host_ns "$k") is not up (netns_cluster.sh up $hosts)" >&2; exit 2; }
  done
  mkdir -p "$RC_RUN_DIR"
  echo "$leaves $places $spines" > "$state"
  rm -f "$RC_RUN_DIR/fabric_ecmp"
  for l in $(seq 1 "$leaves"); do router "$(leaf_ns "$l")"; done
  for s in $(seq 1 "$spines"); do router "$(spine_ns "$s")"; done
  for k in $(seq 1 "$hosts"); do
    l=$(((k - 1) / places + 1)) j=$(((k - 1) % places))
    ip link add fab0 netns "$(host_ns "$k")" type veth peer name "p$((j + 1))" netns "$(leaf_ns "$l")"
    ip -n "$(host_ns "$k")" addr add "$RC_FABRIC_NET.$k.2/24" dev fab0
    ip -n "$(host_ns "$k")" link set fab0 up
    ip netns exec "$(host_ns "$k")" sysctl -qw net.ipv4.conf.all.rp_filter=0 net.ipv4.conf.fab0.rp_filter=0
    ip -n "$(host_ns "$k")" route add "$RC_FABRIC_NET.0.0/16" via "$RC_FABRIC_NET.$k.1" dev fab0
    ip -n "$(leaf_ns "$l")" addr add "$RC_FABRIC_NET.$k.1/24" dev "p$((j + 1))"
    ip -n "$(leaf_ns "$l")" link set "p$((j + 1))" up
  done
  for l in $(seq 1 "$leaves"); do
    for s in $(seq 1 "$spines"); do
      local net="$RC_FABRIC_NET.$((100 + 10 * l + s))"
      ip link add "p$((places + s))" netns "$(leaf_ns "$l")" type veth peer name "p$l" netns "$(spine_ns "$s")"
      ip -n "$(leaf_ns "$l")" addr add "$net.1/24" dev "p$((places + s))"
      ip -n "$(spine_ns "$s")" addr add "$net.2/24" dev "p$l"
      ip -n "$(leaf_ns "$l")" link set "p$((places + s))" up
      ip -n "$(spine_ns "$s")" link set "p$l" up
    done
  done
  for k in $(seq 1 "$hosts"); do
    local home=$(((k - 1) / places + 1)) spine=$((((k - 1) % places) % spines + 1))
    for l in $(seq 1 "$leaves"); do
      [ "$l" = "$home" ] && continue
      ip -n "$(leaf_ns "$l")" route add "$RC_FABRIC_NET.$k.0/24" via "$RC_FABRIC_NET.$((100 + 10 * l + spine)).2"
    done
    for s in $(seq 1 "$spines"); do
      ip -n "$(spine_ns "$s")" route add "$RC_FABRIC_NET.$k.0/24" via "$RC_FABRIC_NET.$((100 + 10 * home + s)).1"
    done
  done
}

ecmp() {  # every leaf's route to a remote host: a multipath route over every spine, hashed per flow (L4)
  local leaves places spines k l s home
  read -r leaves places spines < <(shape)
  for l in $(seq 1 "$leaves"); do
    ip netns exec "$(leaf_ns "$l")" sysctl -qw net.ipv4.fib_multipath_hash_policy=1
    for k in $(seq 1 $((leaves * places))); do
      home=$(((k - 1) / places + 1))
      [ "$l" = "$home" ] && continue
      local hops=()
      for s in $(seq 1 "$spines"); do hops+=(nexthop via "$RC_FABRIC_NET.$((100 + 10 * l + s)).2"); done
      ip -n "$(leaf_ns "$l")" route replace "$RC_FABRIC_NET.$k.0/24" "${hops[@]}"
    done
  done
  touch "$RC_RUN_DIR/fabric_ecmp"
}

shape() { [ -f "$state" ] || { echo "fabric_testbed.sh: no fabric is up" >&2; exit 2; }; cat "$state"; }

topology() {
  local leaves places spines k l s j
  read -r leaves places spines < <(shape)
  echo "# railcheck-topo v1"
  echo "# The namespace testbed of tests/cluster/fabric_testbed.sh (issue #18, acceptance 1): $leaves leaves of $places hosts,"
  echo "# $spines spines, one NIC (fab0) per host. Leaf ports 1-$places: hosts; $((places + 1))-$((places + spines)): spines. Spine port k: leafk."
  for l in $(seq 1 "$leaves"); do echo "switch id=leaf$l tier=leaf"; done
  for s in $(seq 1 "$spines"); do echo "switch id=spine$s tier=spine"; done
  for k in $(seq 1 $((leaves * places))); do echo "nic id=$(host_ns "$k")-fab0 host=$(host_ns "$k") dev=fab0 rail=0"; done
  for l in $(seq 1 "$leaves"); do
    for j in $(seq 1 "$places"); do echo "cable a=leaf$l:$j b=$(host_ns $(((l - 1) * places + j)))-fab0:1"; done
    for s in $(seq 1 "$spines"); do echo "cable a=leaf$l:$((places + s)) b=spine$s:$l"; done
  done
}

lfts() {  # each switch's forwarding table read from its kernel (ip route get), as dump_lfts.sh prints an IB one
  local leaves places spines k sw n=0 dev
  [ -e "$RC_RUN_DIR/fabric_ecmp" ] && { echo "fabric_testbed.sh lfts: the leaves route by ECMP: no one table" >&2; exit 2; }
  read -r leaves places spines < <(shape)
  local hosts=$((leaves * places))
  for sw in $(seq -f "leaf%g" 1 "$leaves") $(seq -f "spine%g" 1 "$spines"); do
    n=$((n + 1))
    printf 'Unicast lids [0x1-0x%x] of switch Lid %d guid 0x%016x (%s):\n' "$hosts" $((100 + n)) $((0xfab000 + n)) "$sw"
    printf '  Lid  Out   Destination\n       Port     Info \n'
    for k in $(seq 1 "$hosts"); do
      dev=$(ip -n "$RC_FABRIC_PREFIX$sw" route get "$RC_FABRIC_NET.$k.2" | sed -n 's/.* dev p\([0-9]*\).*/\1/p')
      [ -n "$dev" ] || { echo "fabric_testbed.sh lfts: $sw has no route to $(host_ns "$k")" >&2; exit 1; }
      printf "0x%04x %03d : (Channel Adapter portguid 0x%016x: '%s fab0')\n" "$k" "$dev" $((0xcafe00 + k)) "$(host_ns "$k")"
    done
    printf '%d valid lids dumped \n' "$hosts"
  done
}

check() {
  local leaves places spines k m l
  read -r leaves places spines < <(shape)
  local hosts=$((leaves * places)) bad=0
  # reachability: a TCP listener (iperf3) on every host's fabric address, a connect from every other host
  for m in $(seq 1 "$hosts"); do
    ip netns exec "$(host_ns "$m")" iperf3 -s -D -p 5299 -B "$RC_FABRIC_NET.$m.2" -I "$RC_RUN_DIR/fabric_check.$m.pid"
  done
  for m in $(seq 1 "$hosts"); do  # iperf3 -D returns before it listens
    for _ in $(seq 1 50); do
      ip netns exec "$(host_ns "$m")" ss -Hltn "sport = :5299" | grep -q . && break
      sleep 0.05
    done
  done
  for k in $(seq 1 "$hosts"); do
    for m in $(seq 1 "$hosts"); do
      [ "$k" = "$m" ] && continue
      if ! ip netns exec "$(host_ns "$k")" timeout 2 bash -c "exec 3<>/dev/tcp/$RC_FABRIC_NET.$m.2/5299"; then
        echo "fabric_testbed.sh check: $(host_ns "$k") cannot reach $(host_ns "$m") over the fabric" >&2
        bad=1
      fi
    done
  done
  for m in $(seq 1 "$hosts"); do
    kill "$(cat "$RC_RUN_DIR/fabric_check.$m.pid")" 2>/dev/null || true
    rm -f "$RC_RUN_DIR/fabric_check.$m.pid"
  done
  if [ -e "$RC_RUN_DIR/fabric_ecmp" ]; then  # ECMP: each leaf's route to a remote host has every spine
    for k in $(seq 1 "$hosts"); do
      for l in $(seq 1 "$leaves"); do
        [ "$l" = "$(((k - 1) / places + 1))" ] && continue
        local n
        n=$(ip -n "$(leaf_ns "$l")" route show "$RC_FABRIC_NET.$k.0/24" | grep -c nexthop || true)
        if [ "$n" != "$spines" ]; then
          echo "fabric_testbed.sh check: leaf$l routes $(host_ns "$k") over $n spines, ECMP wants $spines" >&2
          bad=1
        fi
      done
    done
    return "$bad"
  fi
  for k in $(seq 1 "$hosts"); do
    local home=$(((k - 1) / places + 1)) want="p$((places + ((k - 1) % places) % spines + 1))"
    for l in $(seq 1 "$leaves"); do
      [ "$l" = "$home" ] && continue
      local dev
      dev=$(ip -n "$(leaf_ns "$l")" route get "$RC_FABRIC_NET.$k.2" | sed -n 's/.* dev \([^ ]*\).*/\1/p')
      if [ "$dev" != "$want" ]; then
        echo "fabric_testbed.sh check: leaf$l routes $(host_ns "$k") out of $dev, dmodk says $want" >&2
        bad=1
      fi
    done
  done
  return "$bad"
}

case "${1:-}" in
  up) shift; up "$@" ;;
  topology) topology ;;
  lfts) lfts ;;
  ecmp) ecmp ;;
  check) check ;;
  *) echo "usage: $0 up [LEAVES PLACES SPINES] | topology | lfts | ecmp | check" >&2; exit 2 ;;
esac
