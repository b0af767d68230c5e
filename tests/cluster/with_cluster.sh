#!/bin/bash
# with_cluster.sh - trap-protected runner: brings up the netns cluster (and optionally Slurm), runs a
# command in it, and always tears everything down afterwards, whether the command passes, fails or the
# runner is interrupted (EXIT/INT/TERM/HUP trap). Exits with the command's status.
#
#   with_cluster.sh [--nodes N] [--slurm] -- COMMAND [ARGS...]
#
# The command sees RC_CLUSTER_WORK (a fresh per-run directory under ${TMPDIR:-/tmp}, removed afterwards
# unless RC_KEEP_WORK=1), the cluster_env.sh variables, RC_CLUSTER_DIR (this folder) and, with --slurm,
# SLURM_CONF. Exits 77 (ctest: skipped) with a reason when root or a needed tool is missing.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=cluster_env.sh
. "$here/cluster_env.sh"

nodes=${RC_NODES:-4} slurm=0
while [ $# -gt 0 ] && [ "$1" != -- ]; do
  case "$1" in
    --nodes) nodes=$2; shift 2 ;;
    --slurm) slurm=1; shift ;;
    *) echo "usage: $0 [--nodes N] [--slurm] -- COMMAND [ARGS...]" >&2; exit 2 ;;
  esac
done
[ "${1:-}" = -- ] && shift
[ $# -gt 0 ] || { echo "usage: $0 [--nodes N] [--slurm] -- COMMAND [ARGS...]" >&2; exit 2; }

skip() { echo "SKIP: $*"; exit 77; }
[ "$(id -u)" = 0 ] || skip "needs root (network namespaces, tc, nft)"
tools=(ip tc nft nsenter unshare mpirun)
[ "$slurm" = 1 ] && tools+=(munged slurmctld slurmd sbatch squeue scontrol sinfo)
for t in "${tools[@]}"; do command -v "$t" >/dev/null || skip "'$t' not installed"; done
ip netns add "rc-probe-$$" 2>/dev/null || skip "cannot create network namespaces here"
ip netns del "rc-probe-$$"

RC_CLUSTER_WORK=$(mktemp -d "${TMPDIR:-/tmp}/railcheck-cluster.XXXXXX")
export RC_CLUSTER_WORK RC_CLUSTER_DIR=$here

cleanup() {
  local rc=$?
  trap - EXIT INT TERM HUP
  if [ "$rc" != 0 ] && [ -d "$RC_CLUSTER_WORK/slurm/log" ]; then
    echo "--- with_cluster.sh: command failed (rc $rc); tail of the Slurm logs:" >&2
    tail -n 5 "$RC_CLUSTER_WORK"/slurm/log/*.log >&2 || true
  fi
  if ! "$here/netns_cluster.sh" down; then
    echo "with_cluster.sh: tear-down reported an error" >&2
    [ "$rc" != 0 ] || rc=1
  fi
  if [ "${RC_KEEP_WORK:-0}" = 1 ]; then echo "with_cluster.sh: kept $RC_CLUSTER_WORK" >&2; else rm -rf "$RC_CLUSTER_WORK"; fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP

"$here/netns_cluster.sh" up "$nodes"
if [ "$slurm" = 1 ]; then
  "$here/slurm_cluster.sh" start >/dev/null
  export SLURM_CONF=$RC_CLUSTER_WORK/slurm/slurm.conf
fi
# In the background so that a signal runs the trap at once instead of after the command ends; in a process
# group of its own (pgid = its pid: a background job of a non-interactive shell is no group leader, so
# setsid does not fork) so that tear-down can find all of it.
# `down` stops what is left of that group (recorded pgid), even after this runner was killed with -9.
setsid "$@" &
echo $! > "$RC_RUN_DIR/command.pgid"
wait $!
