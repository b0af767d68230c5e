#!/bin/bash
# slurm_cluster.sh - a real Slurm on the netns cluster: a private munged, slurmctld in the root namespace
# (at $RC_NET.254, SlurmctldHost = `hostname -s`) and one slurmd per host namespace.
#
#   slurm_cluster.sh start   needs `netns_cluster.sh up` first and RC_CLUSTER_WORK (a per-test directory
#                            outside the repo). Writes $RC_CLUSTER_WORK/slurm/slurm.conf from slurm.conf.in,
#                            starts the daemons and waits until every node is idle. Clients need
#                            SLURM_CONF=$RC_CLUSTER_WORK/slurm/slurm.conf (printed on stdout).
#   slurm_cluster.sh stop    stops slurmd x N, slurmctld, munged by their pidfiles in $RC_RUN_DIR (each pid is
#                            checked against the expected command name first). Safe when nothing runs.
#
# Each slurmd is started with `nsenter --net` (not `ip netns exec`, which remounts /sys without cgroups and
# slurmd dies) plus `unshare --uts --mount`: its own hostname, and a private PMIx client tmpdir bind-mounted
# onto the one path mpi.conf names (PMIxCliTmpDirBase does not expand %n; shared, the steps collide).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=cluster_env.sh
. "$here/cluster_env.sh"

# pid_of FILE COMM: prints the pid in FILE if that process is still a COMM (a stale pidfile may name a reused pid).
pid_of() {
  local pid
  [ -s "$1" ] || return 0
  pid=$(cat "$1")
  if [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = "$2" ]; then echo "$pid"; fi
}

stop() {
  local f pids
  mapfile -t pids < <(
    for f in "$RC_RUN_DIR"/slurmd-*.pid; do [ -e "$f" ] && pid_of "$f" slurmd; done
    pid_of "$RC_RUN_DIR/slurmctld.pid" slurmctld
    pid_of "$RC_RUN_DIR/munged.pid" munged
  )
  if [ ${#pids[@]} -gt 0 ]; then
    # all at once: each daemon takes about 2 s to exit on TERM; KILL whatever is left after 5 s
    kill -TERM "${pids[@]}" 2>/dev/null || true
    for _ in $(seq 1 50); do
      local alive=0 p
      for p in "${pids[@]}"; do kill -0 "$p" 2>/dev/null && alive=1; done
      [ "$alive" = 0 ] && break
      sleep 0.1
    done
    kill -KILL "${pids[@]}" 2>/dev/null || true
  fi
  rm -rf "$RC_RUN_DIR"/slurmd-*.pid "$RC_RUN_DIR/slurmctld.pid" "$RC_RUN_DIR/munged.pid" "$RC_RUN_DIR/munge"
}

start() {
  local work=${RC_CLUSTER_WORK:?set RC_CLUSTER_WORK to a per-test work directory}
  [ -s "$RC_RUN_DIR/nodes" ] || { echo "slurm_cluster.sh: no cluster; run netns_cluster.sh up first" >&2; exit 2; }
  local nodes n s=$work/slurm
  mapfile -t nodes < "$RC_RUN_DIR/nodes"
  n=${#nodes[@]}
  mkdir -p "$s/state" "$s/log" "$s/nodetmp/cur" "$work/munge" "$RC_RUN_DIR/munge"
  chmod 755 "$RC_RUN_DIR" "$RC_RUN_DIR/munge"   # munged wants its socket dir reachable by all

  # munge: a private key and socket, so a site munged (if any) is never touched
  local sock=$RC_RUN_DIR/munge/munge.socket
  dd if=/dev/urandom of="$work/munge/munge.key" bs=1024 count=1 status=none
  chmod 400 "$work/munge/munge.key"
  munged --socket="$sock" --key-file="$work/munge/munge.key" --pid-file="$RC_RUN_DIR/munged.pid" \
    --log-file="$work/munge/munged.log" --seed-file="$work/munge/munged.seed"

  sed -e "s|@CTLD_HOST@|$(hostname -s)|g" -e "s|@NET@|$RC_NET|g" -e "s|@MUNGE_SOCKET@|$sock|g" \
      -e "s|@WORK@|$work|g" -e "s|@RUN_DIR@|$RC_RUN_DIR|g" -e "s|@NODE_PREFIX@|$RC_NODE_PREFIX|g" \
      -e "s|@NODES@|$n|g" -e "s|@CPUS@|$(nproc)|g" "$here/slurm.conf.in" > "$s/slurm.conf"
  echo "PMIxCliTmpDirBase=$s/nodetmp/cur" > "$s/mpi.conf"
  export SLURM_CONF=$s/slurm.conf

  slurmctld
  local ns
  for ns in "${nodes[@]}"; do
    mkdir -p "$s/spool/$ns" "$s/nodetmp/$ns"
    # shellcheck disable=SC2016  # expanded by the inner sh
    nsenter --net="/run/netns/$ns" unshare --uts --mount sh -c \
      'hostname "$1" && mount --bind "$2" "$3" && exec slurmd -N "$1"' sh "$ns" "$s/nodetmp/$ns" "$s/nodetmp/cur"
  done
  for _ in $(seq 1 300); do
    [ "$(sinfo -h -N -t idle -o %N 2>/dev/null | sort -u | wc -l)" = "$n" ] && { echo "SLURM_CONF=$SLURM_CONF"; return 0; }
    sleep 0.1
  done
  echo "slurm_cluster.sh: nodes not idle after 30 s" >&2
  sinfo -N >&2 || true
  exit 1
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  *) echo "usage: $0 start | stop" >&2; exit 2 ;;
esac
