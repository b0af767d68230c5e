#!/bin/bash
# test_slurm_drain.sh RAILCHECK_BIN SUITE_JSON SBATCH_FILE [SCHEMA_JSON] - (run inside `with_cluster.sh --slurm`,
# 4 hosts) issue #16, acceptance 1, on the real Slurm:
#   1. node3's link capped both ways; `sbatch -N 4 slurm/acceptance.sbatch` with RAILCHECK_ACT=drain: the job
#      ends 1:0, node3 is drained with railcheck's reason naming the job, nothing else is, and the job's
#      junit.xml (valid against junit-10.xsd) fails node3; a job for every host then waits, one for the rest runs
#      without node3;
#   2. `railcheck resume` without --apply changes nothing; with it node3 returns;
#   3. node3 drained by an admin first: `railcheck drain results.json --apply` keeps the admin's reason, and
#      `railcheck resume --apply` leaves it drained;
#   4. node3 drained by railcheck and node2 by an admin: `railcheck resume --apply` brings back node3 only;
#   1b. the job's results.html in headless Chromium (check_html_report.py): node3's heatmap cells marked in the
#      DOM and on screen, verdicts first, no request leaves the page (issue #16, acceptance 4);
#   5. slurm/railcheck-healthcheck.sh as slurmd's HealthCheckProgram (every 2 s): node3, whose profile does not
#      match (8 GPUs), is drained by the health check with its reason, the others stay idle; node3's profile
#      fixed, the health check resumes it; an admin's drain of node3 is not resumed by it.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=cluster_env.sh
. "$here/cluster_env.sh"
[ $# -ge 3 ] || { echo "usage: $0 RAILCHECK_BIN SUITE_JSON SBATCH_FILE [SCHEMA_JSON]" >&2; exit 2; }
bin=$(realpath "$1") suite=$(realpath "$2") sbatch_file=$(realpath "$3") schema=${4:-}
xsd=$(cd "$here/../fixtures/junit" && pwd)/junit-10.xsd
hosts=$("$here/netns_cluster.sh" nodes | wc -l)
fail() {
  echo "FAIL: $*"; sinfo -N -o '%N %T %E' || true
  [ -f "$RC_CLUSTER_WORK/healthcheck/health.log" ] && tail -30 "$RC_CLUSTER_WORK/healthcheck/health.log"
  exit 1
}
node_state() { sinfo -h -N -n "$1" -o %T; }
node_reason() { sinfo -h -N -n "$1" -o %E; }
wait_state() {   # wait_state NODE STATE: up to 30 s
  for _ in $(seq 1 300); do [ "$(node_state "$1")" = "$2" ] && return 0; sleep 0.1; done
  fail "$1 is '$(node_state "$1")', want '$2'"
}
admin_drain() { scontrol update nodename="$1" state=drain reason="$2"; wait_state "$1" drained; }
admin_resume() { scontrol update nodename="$1" state=resume; wait_state "$1" idle; }
trap '"$here/fault.sh" clear node3 || true' EXIT
for tool in chromium xmllint; do
  command -v "$tool" >/dev/null || { echo "SKIP: '$tool' not installed (./setup.sh installs it)"; exit 77; }
done

# 1. The acceptance job finds node3 and drains it.
for k in $(seq 1 "$hosts"); do wait_state "node$k" idle; done
"$here/fault.sh" rate node3 400mbit
export RAILCHECK_BIN=$bin RAILCHECK_SUITE=$suite RAILCHECK_RESULTS_ROOT=$RC_CLUSTER_WORK/results RAILCHECK_BACKEND=mpi
export RAILCHECK_ACT=drain
export OMPI_MCA_btl=tcp,self OMPI_MCA_btl_tcp_if_include=$RC_NET.0/24 OMPI_MCA_oob_tcp_if_include=$RC_NET.0/24
job=$(sbatch --parsable -N "$hosts" --chdir="$RC_CLUSTER_WORK" --output="$RC_CLUSTER_WORK/job-%j.out" "$sbatch_file")
echo "submitted acceptance job $job with RAILCHECK_ACT=drain"
"$here/slurm_wait_job.sh" "$job" 600 || true
"$here/fault.sh" clear node3
grep -E '^# (VERDICT|verdicts|drain|keep|WARNING)' "$RC_CLUSTER_WORK/job-$job.out" || true
scontrol show job -o "$job" | grep -q ' ExitCode=1:0' || fail "job $job: want ExitCode=1:0 (node3 fails)"
results=$RAILCHECK_RESULTS_ROOT/$job/results.json
"$here/check_verdicts.py" "$results" --bad-host node3 ${schema:+--schema "$schema"}
wait_state node3 drained
reason=$(node_reason node3)
case "$reason" in "railcheck: "*" run $job") ;; *) fail "node3's reason '$reason' is not railcheck's for job $job" ;; esac
for k in $(seq 1 "$hosts"); do
  [ "node$k" = node3 ] || [ "$(node_state "node$k")" = idle ] || fail "node$k was drained too"
done
echo "node3 drained by the job: $reason"
xmllint --noout --schema "$xsd" "$RAILCHECK_RESULTS_ROOT/$job/junit.xml" || fail "junit.xml does not validate"
grep -q 'classname="railcheck.node" name="node3"' "$RAILCHECK_RESULTS_ROOT/$job/junit.xml" ||
  fail "junit.xml has no testcase for node3"
python3 - "$RAILCHECK_RESULTS_ROOT/$job/junit.xml" <<'PY' || fail "junit.xml does not fail node3"
import sys, xml.etree.ElementTree as ET
cases = ET.parse(sys.argv[1]).getroot().findall("./testsuite/testcase")
node3 = [c for c in cases if c.get("classname") == "railcheck.node" and c.get("name") == "node3"]
sys.exit(0 if node3 and node3[0].find("failure") is not None else 1)
PY

# 1b. The report the job wrote beside its results, as a person opens it.
"$here/check_html_report.py" "$RAILCHECK_RESULTS_ROOT/$job/results.html" --bad-host node3 \
  --out "${RC_ARTIFACTS:-$RC_CLUSTER_WORK}/html-report" || fail "results.html (check_html_report.py)"

all=$(sbatch --parsable -N "$hosts" --output=/dev/null --wrap true)
sleep 0.5
[ "$(squeue -h -j "$all" -o %T)" = PENDING ] || fail "a job for every host should wait while node3 is drained"
scancel "$all"
rest=$(sbatch --parsable -N $((hosts - 1)) --output="$RC_CLUSTER_WORK/rest-%j.out" --wrap 'srun hostname | sort')
"$here/slurm_wait_job.sh" "$rest" 60
ran_on=$(tr '\n' ' ' < "$RC_CLUSTER_WORK/rest-$rest.out")
case " $ran_on" in *" node3 "*) fail "job $rest ran on drained node3" ;; esac
echo "a job for the other $((hosts - 1)) hosts ran on: $ran_on"

# 2. resume: a dry run, then for real.
out=$("$bin" resume)
echo "$out"
grep -q 'resume node3: drained by railcheck' <<< "$out" || fail "resume's dry run does not name node3"
[ "$(node_state node3)" = drained ] || fail "a dry run resumed node3"
"$bin" resume --apply
wait_state node3 idle
echo "node3 resumed by railcheck resume --apply"

# 3. An admin's drain stands.
admin_drain node3 "admin: reseating cable"
out=$("$bin" drain "$results" --apply)
echo "$out"
grep -q 'keep node3: drained by someone else' <<< "$out" || fail "drain does not say it keeps the admin's node3"
[ "$(node_reason node3)" = "admin: reseating cable" ] || fail "node3's admin reason was replaced: $(node_reason node3)"
"$bin" resume --apply
[ "$(node_state node3)" = drained ] && [ "$(node_reason node3)" = "admin: reseating cable" ] ||
  fail "resume touched the admin's node3"
admin_resume node3
echo "an admin's drain of node3 stood through drain --apply and resume --apply"

# 4. resume brings back only what railcheck drained.
"$bin" drain "$results" | grep -q 'dry run' || fail "drain without --apply is not a dry run"
[ "$(node_state node3)" = idle ] || fail "a dry run drained node3"
"$bin" drain "$results" --apply
wait_state node3 drained
admin_drain node2 "admin: bad DIMM"
"$bin" resume --apply
wait_state node3 idle
[ "$(node_state node2)" = drained ] && [ "$(node_reason node2)" = "admin: bad DIMM" ] ||
  fail "resume brought back the admin's node2"
admin_resume node2
echo "resume brought back node3 (railcheck's) and left node2 (the admin's)"

# 5. The health check as slurmd's HealthCheckProgram.
hc=$RC_CLUSTER_WORK/healthcheck
mkdir -p "$hc/profiles"
echo '{"schema_version": 1, "name": "host-only", "gpus": {"count": 0}}' > "$hc/host-only.json"
echo '{"schema_version": 1, "name": "eight-gpus", "gpus": {"count": 8}}' > "$hc/profiles/node3.json"
cat > "$hc/defaults" <<DEFAULTS
RAILCHECK_BIN=$bin
RAILCHECK_PROFILE=$hc/host-only.json
RAILCHECK_PROFILE_DIR=$hc/profiles
RAILCHECK_HEALTH_LOG=$hc/health.log
SLURM_CONF=$SLURM_CONF
DEFAULTS
# What a site installs is the script itself; this one only says where the test's settings file is (slurmd
# gives a HealthCheckProgram no environment of its own).
cat > "$hc/program" <<PROGRAM
#!/bin/bash
RAILCHECK_DEFAULTS=$hc/defaults exec $(cd "$here/../.." && pwd)/slurm/railcheck-healthcheck.sh
PROGRAM
chmod +x "$hc/program"
cp "$SLURM_CONF" "$hc/slurm.conf.saved"
restore_conf() { cp "$hc/slurm.conf.saved" "$SLURM_CONF"; scontrol reconfigure || true; }
trap '"$here/fault.sh" clear node3 || true; restore_conf' EXIT
printf 'HealthCheckProgram=%s\nHealthCheckInterval=2\n' "$hc/program" >> "$SLURM_CONF"
scontrol reconfigure
wait_state node3 drained
reason=$(node_reason node3)
case "$reason" in "railcheck: health-check "*gpu_count*) ;; *) fail "node3's health-check reason: '$reason'" ;; esac
echo "the health check drained node3: $reason"
sleep 5  # a few more checks: the matching nodes stay in service
for k in 1 2 4; do [ "$(node_state "node$k")" = idle ] || fail "the health check drained node$k"; done
rm "$hc/profiles/node3.json"
wait_state node3 idle
echo "node3 matches again: the health check resumed it"
admin_drain node3 "admin: swapping a GPU"
sleep 5
[ "$(node_state node3)" = drained ] && [ "$(node_reason node3)" = "admin: swapping a GPU" ] ||
  fail "the health check resumed (or re-labelled) the admin's node3"
admin_resume node3
grep -c "exit" "$hc/health.log" | xargs echo "health checks run:"
restore_conf
trap '"$here/fault.sh" clear node3 || true' EXIT
echo PASS
