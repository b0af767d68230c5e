#!/bin/bash
# cluster_mpirun.sh - mpirun across the netns cluster, one rank per host, Open MPI over TCP on the bridge.
#
#   cluster_mpirun.sh [mpirun options...] -- PROGRAM [ARGS...]   runs it (exec)
#   cluster_mpirun.sh --print                                   prints the command line (shell-quoted)
#
# Uses the hostfile written by `netns_cluster.sh up` and nsrsh as rsh agent; restricts the btl and oob to
# the cluster subnet (mpirun sits in the root namespace, on the bridge). Runs as root, hence the
# OMPI_ALLOW_RUN_AS_ROOT pair. --bind-to none: every namespace host shares this machine's cores, and Open MPI's
# per-host default (bind a host's first rank to core 0) would put every host's rank on the same core.
# TCP keepalive on mpirun's daemon connections (10 s idle, 4 probes 4 s apart): a host whose link goes down
# is then noticed by mpirun 16-26 s later ("ORTE has lost communication with a remote daemon ... on node
# nodeK") and mpirun ends the job (exit 205). With Open MPI's default (300 s + 9 x 20 s) it waits for that
# host's daemon for many minutes. railcheck's watchdog names the silent host 10 s after it went quiet and then
# leaves mpirun 20 s to do this (an abort started first makes mpirun wait for the lost daemon for good: its
# kill order sits unacknowledged on a connection keepalive never probes). See README "Watchdog".
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=cluster_env.sh
. "$here/cluster_env.sh"
hostfile=$RC_RUN_DIR/hostfile
[ -s "$hostfile" ] || { echo "cluster_mpirun.sh: no cluster; run netns_cluster.sh up first" >&2; exit 2; }
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
cmd=(mpirun --hostfile "$hostfile" -np "$(grep -c . "$hostfile")"
     --mca plm_rsh_agent "$here/nsrsh" --mca plm_rsh_no_tree_spawn 1
     --mca btl "tcp,self" --mca btl_tcp_if_include "$RC_NET.0/24" --mca oob_tcp_if_include "$RC_NET.0/24"
     --mca oob_tcp_keepalive_time 10 --mca oob_tcp_keepalive_intvl 4 --mca oob_tcp_keepalive_probes 4
     --bind-to none)
if [ "${1:-}" = --print ]; then
  printf '%q ' env OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 "${cmd[@]}"
  echo
  exit 0
fi
extra=()
while [ $# -gt 0 ] && [ "$1" != -- ]; do extra+=("$1"); shift; done
[ "${1:-}" = -- ] && shift
[ $# -gt 0 ] || { echo "usage: $0 [mpirun options...] -- PROGRAM [ARGS...] | --print" >&2; exit 2; }
exec "${cmd[@]}" "${extra[@]}" "$@"
