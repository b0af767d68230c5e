#!/bin/bash
# test_slurm_drain.sh - (run inside `with_cluster.sh --slurm`, >= 3 hosts) draining a node the way the
# harness would after localizing a bad link: node3 drains with a reason, a job for all hosts waits, a job
# for the rest runs without node3, and `state=resume` brings node3 back to idle.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
fail() { echo "FAIL: $*"; exit 1; }
hosts=$("$here/netns_cluster.sh" nodes | wc -l)
node_state() { sinfo -h -N -n "$1" -o %T; }
wait_state() {   # wait_state NODE STATE: up to 10 s
  for _ in $(seq 1 100); do [ "$(node_state "$1")" = "$2" ] && return 0; sleep 0.1; done
  fail "$1 is '$(node_state "$1")', want '$2'"
}

reason="railcheck: slow link (test)"
scontrol update nodename=node3 state=drain reason="$reason"
wait_state node3 drained
sinfo -h -R -o '%N|%E' | grep -qxF "node3|$reason" || fail "sinfo -R does not show node3 with its reason"
echo "node3 drained: $(sinfo -h -R -o '%N %E')"

all=$(sbatch --parsable -N "$hosts" --output=/dev/null --wrap true)
sleep 0.5
pending=$(squeue -h -j "$all" -o '%T %r')
echo "job $all for $hosts nodes: $pending"
[ "${pending%% *}" = PENDING ] || fail "job for all hosts should wait while node3 is drained"
scancel "$all"

rest=$(sbatch --parsable -N $((hosts - 1)) --output="$RC_CLUSTER_WORK/rest-%j.out" --wrap 'srun hostname | sort')
"$here/slurm_wait_job.sh" "$rest" 60
ran_on=$(tr '\n' ' ' < "$RC_CLUSTER_WORK/rest-$rest.out")
echo "job $rest for $((hosts - 1)) nodes ran on: $ran_on"
case " $ran_on" in *" node3 "*) fail "job ran on drained node3" ;; esac
[ "$(wc -w <<< "$ran_on")" = $((hosts - 1)) ] || fail "want $((hosts - 1)) hosts"

scontrol update nodename=node3 state=resume
wait_state node3 idle
echo "node3 resumed: $(node_state node3)"
echo PASS
