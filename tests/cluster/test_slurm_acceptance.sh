#!/bin/bash
# test_slurm_acceptance.sh RAILCHECK_BIN SUITE_JSON SBATCH_FILE [SCHEMA_JSON] - (run inside
# `with_cluster.sh --slurm`) `sbatch -N <hosts> SBATCH_FILE` runs the suite with one task per host; the job
# must end COMPLETED with ExitCode 0:0 and leave results.jsonl and a valid results.json listing every host
# under <results root>/<job id>/.
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
echo PASS
