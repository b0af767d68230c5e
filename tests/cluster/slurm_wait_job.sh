#!/bin/bash
# slurm_wait_job.sh JOBID [TIMEOUT_S] - waits for a Slurm job to end by polling squeue every 0.2 s
# (`sbatch --wait` polls slowly: seconds to tens of seconds late), then prints its JobState and ExitCode.
# Exit 0 if it COMPLETED with ExitCode 0:0; 1 if it ended otherwise, or was still running after TIMEOUT_S
# (default 300; it is then cancelled). Needs SLURM_CONF.
set -euo pipefail
: "${SLURM_CONF:?set SLURM_CONF (without it Slurm clients try a DNS SRV lookup)}"
job=${1:?usage: $0 JOBID [TIMEOUT_S]}
timeout_s=${2:-300}
deadline=$((SECONDS + timeout_s))
state=
while :; do
  state=$(squeue -h -j "$job" -t all -o %T 2>/dev/null || true)
  case "$state" in
    PENDING|CONFIGURING|RUNNING|COMPLETING|SUSPENDED|REQUEUED|RESIZING|SIGNALING|STAGE_OUT|"") ;;
    *) break ;;
  esac
  if [ "$SECONDS" -ge "$deadline" ]; then
    echo "slurm_wait_job.sh: job $job still '$state' after ${timeout_s}s; cancelling" >&2
    scancel "$job" || true
    exit 1
  fi
  sleep 0.2
done
info=$(scontrol show job -o "$job")
exit_code=$(sed -n 's/.* ExitCode=\([0-9]*:[0-9]*\).*/\1/p' <<< "$info")
echo "job $job JobState=$state ExitCode=$exit_code"
[ "$state" = COMPLETED ] && [ "$exit_code" = 0:0 ]
