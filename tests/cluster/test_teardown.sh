#!/bin/bash
# test_teardown.sh - tear-down leaves nothing behind even when the test inside fails or is killed:
#  1. with_cluster.sh --slurm runs a command that sets every kind of fault, leaves stray processes inside
#     a host namespace and in the root namespace, then fails (exit 1);
#  2. with_cluster.sh runs a command that hangs, and the runner is sent SIGTERM;
#  3. the same with SIGKILL (no trap can run): the next `netns_cluster.sh up` must clear the stale cluster,
#     and its `down` the rest (only the work directory, with its logs, stays; this test removes it).
# After each: no host namespace, bridge, veth, qdisc of ours, nft table, daemon, stray process, run
# directory or work directory may remain. Run directly (not under with_cluster.sh); it tears down itself
# on exit too, so that its own failure leaves nothing for the next test.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=cluster_env.sh
. "$here/cluster_env.sh"
[ "$(id -u)" = 0 ] || { echo "SKIP: needs root"; exit 77; }
rec=$(mktemp -d "${TMPDIR:-/tmp}/railcheck-teardown.XXXXXX")
trap '"$here/netns_cluster.sh" down; rm -rf "$rec"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

# the command run inside the cluster: records what it can see, then misbehaves as told by $1
cat > "$rec/body.sh" <<'BODY'
#!/bin/bash
set -euo pipefail
rec=$REC
echo "$RC_CLUSTER_WORK" > "$rec/work"
cat "$RC_RUN_DIR/nodes" > "$rec/nodes"
for f in "$RC_RUN_DIR"/*.pid; do [ -e "$f" ] && cat "$f"; done > "$rec/pids"
ip netns exec node1 sleep 600 & echo $! >> "$rec/pids"     # stray inside a host namespace
sleep 600 & echo $! >> "$rec/pids"                         # stray in the root namespace
if [ "$1" = fail ]; then
  "$RC_CLUSTER_DIR/fault.sh" rate node2 100mbit
  "$RC_CLUSTER_DIR/fault.sh" loss node3 10
  "$RC_CLUSTER_DIR/fault.sh" down node4
  echo "body: faults set, daemons $(wc -l < "$rec/pids") pids recorded; failing on purpose"
  exit 1
fi
touch "$rec/ready"
sleep 600
BODY
chmod +x "$rec/body.sh"
export REC=$rec

check_nothing_left() {
  local what=$1 ns p
  [ -s "$rec/nodes" ] || fail "$what: the command recorded nothing"
  while read -r ns; do [ ! -e "/run/netns/$ns" ] || fail "$what: netns $ns left"; done < "$rec/nodes"
  ! ip netns list | grep -qE "^${RC_NODE_PREFIX}[0-9]+( |\$)" || fail "$what: a ${RC_NODE_PREFIX}N netns left"
  ! ip link show "$RC_BRIDGE" >/dev/null 2>&1 || fail "$what: bridge $RC_BRIDGE left"
  ! ip -o link show | grep -q ": ${RC_VETH_PREFIX}[0-9]" || fail "$what: a ${RC_VETH_PREFIX}N veth left"
  ! tc qdisc show | grep -qE "dev (${RC_BRIDGE}|${RC_VETH_PREFIX}[0-9])" || fail "$what: a qdisc of ours left"
  ! nft list tables 2>/dev/null | grep -q railcheck_fault || fail "$what: nft table railcheck_fault in root ns"
  while read -r p; do   # gone, or a zombie about to be reaped
    for _ in $(seq 1 20); do
      if [ ! -e "/proc/$p" ] || [ "$(awk '{print $3}' "/proc/$p/stat" 2>/dev/null)" = Z ]; then break; fi
      sleep 0.1
    done
    [ ! -e "/proc/$p" ] || [ "$(awk '{print $3}' "/proc/$p/stat" 2>/dev/null)" = Z ] ||
      fail "$what: process $p ($(cat "/proc/$p/comm" 2>/dev/null)) left running"
  done < "$rec/pids"
  [ ! -e "$RC_RUN_DIR" ] || fail "$what: $RC_RUN_DIR left"
  [ ! -e "$(cat "$rec/work")" ] || fail "$what: work dir $(cat "$rec/work") left"
  echo "$what: nothing left ($(wc -l < "$rec/nodes") namespaces, $(wc -l < "$rec/pids") processes checked)"
}

# 1. the command fails after setting faults, with Slurm up
rc=0
"$here/with_cluster.sh" --slurm -- "$rec/body.sh" fail || rc=$?
[ "$rc" != 77 ] || exit 77   # skipped, reason printed by with_cluster.sh
[ "$rc" = 1 ] || fail "with_cluster.sh returned $rc for a command that exited 1"
check_nothing_left "failing command"

# 2. the runner is terminated while its command hangs
rm -f "$rec"/{nodes,pids,work,ready}
"$here/with_cluster.sh" -- "$rec/body.sh" hang &
runner=$!
for _ in $(seq 1 100); do [ -e "$rec/ready" ] && break; sleep 0.1; done
[ -e "$rec/ready" ] || fail "the hanging command never started"
kill -TERM "$runner"
rc=0
wait "$runner" || rc=$?
[ "$rc" = 143 ] || fail "with_cluster.sh returned $rc after SIGTERM, want 143"
check_nothing_left "SIGTERM"

# 3. the runner is killed outright; a later up + down must leave nothing
rm -f "$rec"/{nodes,pids,work,ready}
"$here/with_cluster.sh" --slurm -- "$rec/body.sh" hang &
runner=$!
for _ in $(seq 1 100); do [ -e "$rec/ready" ] && break; sleep 0.1; done
[ -e "$rec/ready" ] || fail "the hanging command never started"
kill -KILL "$runner"
wait "$runner" || true
[ -e "/run/netns/node1" ] || fail "SIGKILL: expected the cluster to be still up"
"$here/netns_cluster.sh" up 2
"$here/netns_cluster.sh" down
rm -rf "$(cat "$rec/work")"
check_nothing_left "SIGKILL, then up + down"
echo PASS
