#!/bin/bash
# test_slurm_acceptance.sh RAILCHECK_BIN SUITE_JSON SBATCH_FILE [SCHEMA_JSON] - (run inside
# `with_cluster.sh --slurm`) the Slurm templates as sbatch runs them (issue #16):
#   1. `sbatch -N <hosts> SBATCH_FILE` (acceptance.sbatch) runs the suite with one task per host; the job must end
#      COMPLETED with ExitCode 0:0 and leave results.jsonl and a valid results.json listing every host under
#      <results root>/<job id>/;
#   2. every template beside it passes `sbatch --test-only` (its #SBATCH lines are valid for this Slurm);
#   3. burnin.sbatch with a 10-minute soak of 10 s intervals under a 2-minute time limit (--signal=TERM@60):
#      Slurm's SIGTERM ends the soak before the limit: the job COMPLETED (not TIMEOUT) with ExitCode 0:0, and
#      results.json holds the verdicts, the summary and the intervals measured, with junit.xml and results.html;
#   4. bisect.sbatch with an all-reduce expected far below what the hosts reach: one bisection round over every
#      host, nothing slow, exit 0.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=cluster_env.sh
. "$here/cluster_env.sh"
[ $# -ge 3 ] || { echo "usage: $0 RAILCHECK_BIN SUITE_JSON SBATCH_FILE [SCHEMA_JSON]" >&2; exit 2; }
bin=$1 suite=$2 sbatch_file=$3 schema=${4:-}
[ -f "$suite" ] || { echo "FAIL: suite $suite does not exist"; exit 1; }
hosts=$("$here/netns_cluster.sh" nodes | wc -l)

# what a site would set in its environment: the template's settings, and Open MPI on the cluster subnet
export RAILCHECK_BIN=$bin RAILCHECK_SUITE=$suite RAILCHECK_RESULTS_ROOT=$RC_CLUSTER_WORK/results RAILCHECK_BACKEND=mpi
export OMPI_MCA_btl=tcp,self OMPI_MCA_btl_tcp_if_include=$RC_NET.0/24 OMPI_MCA_oob_tcp_if_include=$RC_NET.0/24

job=$(sbatch --parsable -N "$hosts" --chdir="$RC_CLUSTER_WORK" --output="$RC_CLUSTER_WORK/job-%j.out" "$sbatch_file")
echo "submitted job $job"
rc=0
"$here/slurm_wait_job.sh" "$job" 300 || rc=$?
echo "--- job output:"
cat "$RC_CLUSTER_WORK/job-$job.out" || true
echo "---"
[ "$rc" = 0 ] || { echo "FAIL: job $job did not complete with exit code 0"; exit 1; }

dir=$RAILCHECK_RESULTS_ROOT/$job
[ -s "$dir/results.jsonl" ] || { echo "FAIL: no $dir/results.jsonl"; exit 1; }
/usr/bin/python3 -c 'import json,sys; [json.loads(l) for l in open(sys.argv[1]) if l.strip()]' "$dir/results.jsonl" ||
  { echo "FAIL: $dir/results.jsonl is not JSON lines"; exit 1; }
"$here/check_results.py" "$dir/results.json" --hosts "$hosts" ${schema:+--schema "$schema"}

# 2. Every template's #SBATCH lines, as this Slurm reads them.
templates=$(dirname "$(realpath "$sbatch_file")")
for t in "$templates"/*.sbatch; do
  sbatch --test-only -N "$hosts" --chdir="$RC_CLUSTER_WORK" "$t" 2>&1 | grep -q 'to start at' ||
    { echo "FAIL: sbatch --test-only $t"; sbatch --test-only -N "$hosts" "$t"; exit 1; }
done
echo "sbatch --test-only accepts: $(cd "$templates" && ls ./*.sbatch | tr '\n' ' ')"

# 3. The burn-in template: the time limit's SIGTERM ends the soak, which judges what it measured.
soak_suite=$RC_CLUSTER_WORK/soak.json
cat > "$soak_suite" <<'JSON'
{"schema_version": 1, "name": "slurm-soak", "backend": "mpi", "timeout_s": 120,
 "soak": {"duration": "10m", "interval": "10s"},
 "tests": [{"collective": "all_reduce", "min_bytes": "1M", "max_bytes": "1M", "iters": 5, "warmup_iters": 1, "check": 1},
           {"name": "tcp_links", "p2p": "tcp", "size": "1M", "iters": 8, "tx_depth": 4, "streams": 1, "lat_iters": 0}]}
JSON
started=$SECONDS
job=$(RAILCHECK_SUITE=$soak_suite sbatch --parsable -N "$hosts" --time=2 --signal=TERM@60 \
  --chdir="$RC_CLUSTER_WORK" --output="$RC_CLUSTER_WORK/burnin-%j.out" "$templates/burnin.sbatch")
echo "submitted burn-in job $job (10-minute soak, 2-minute limit)"
rc=0
"$here/slurm_wait_job.sh" "$job" 200 || rc=$?
took=$((SECONDS - started))
if [ "$rc" != 0 ]; then
  echo "--- burn-in job output:"; cat "$RC_CLUSTER_WORK/burnin-$job.out" || true
  echo "---"; scontrol show job "$job" || true
  for n in $("$here/netns_cluster.sh" nodes); do
    grep -h "\[$job\." "$RC_CLUSTER_WORK/slurm/log/slurmd-$n.log" 2>/dev/null | sed "s/^/$n: /" || true
  done
  grep "JobId=$job" "$RC_CLUSTER_WORK/slurm/log/slurmctld.log" || true
  echo "FAIL: burn-in job $job did not complete with exit code 0"
  exit 1
fi
tail -8 "$RC_CLUSTER_WORK/burnin-$job.out" || true
dir=$RAILCHECK_RESULTS_ROOT/$job
/usr/bin/python3 - "$dir/results.json" <<'PY' || { echo "FAIL: the burn-in's results.json"; exit 1; }
import json, sys
doc = json.load(open(sys.argv[1]))
intervals = sorted({r["interval"] for r in doc["records"] if "interval" in r})
assert "verdicts" in doc and "summary" in doc, "no verdicts or summary"
assert intervals and intervals == list(range(len(intervals))), "intervals %s" % intervals
assert len(intervals) < 60, "the soak ran its whole 10 minutes?"
print("burn-in judged %d verdicts over intervals %s" % (len(doc["verdicts"]), intervals))
PY
for f in junit.xml results.html; do [ -s "$dir/$f" ] || { echo "FAIL: no $dir/$f"; exit 1; }; done
echo "the burn-in ended on Slurm's SIGTERM after ${took}s, before its 120 s limit, judged"

# 4. The bisection template on the healthy hosts: one round, nothing slow.
bisect_suite=$RC_CLUSTER_WORK/bisect.json
cat > "$bisect_suite" <<'JSON'
{"schema_version": 1, "name": "slurm-bisect", "backend": "mpi", "timeout_s": 120,
 "tests": [{"collective": "all_reduce", "min_bytes": "1M", "max_bytes": "1M", "iters": 5, "warmup_iters": 1,
            "check": 1, "placement": "out_of_place", "bisect": {"expected_busbw_gbps": 0.000001}}]}
JSON
job=$(RAILCHECK_SUITE=$bisect_suite sbatch --parsable -N "$hosts" --chdir="$RC_CLUSTER_WORK" \
  --output="$RC_CLUSTER_WORK/bisect-%j.out" "$templates/bisect.sbatch")
rc=0
"$here/slurm_wait_job.sh" "$job" 120 || rc=$?
grep '^# bisect' "$RC_CLUSTER_WORK/bisect-$job.out" || true
[ "$rc" = 0 ] || { echo "FAIL: bisect job $job did not complete with exit code 0"; cat "$RC_CLUSTER_WORK/bisect-$job.out"; exit 1; }
/usr/bin/python3 - "$RAILCHECK_RESULTS_ROOT/$job/results.json" "$hosts" <<'PY' || { echo "FAIL: the bisection's results"; exit 1; }
import json, sys
doc = json.load(open(sys.argv[1]))
rounds = [r for r in doc["records"] if r.get("kind") == "bisection"]
assert len(rounds) == 1 and len(rounds[0]["units"]) == int(sys.argv[2]), rounds
print("bisect.sbatch: one round over %d hosts, nothing slow" % len(rounds[0]["units"]))
PY
echo PASS
