#!/bin/bash
# fault_matrix.sh RAILCHECK_BIN SUITE [SCHEMA] - (inside with_cluster.sh --nodes 6) issue #12, acceptance 1:
# `railcheck run SUITE` across the namespace hosts under each fault shape a fabric has, each shape
# RC_MATRIX_REPEATS times (default 3) with the same outcome:
#   both_ways  node3 capped both ways (tbf)               exit 1; node3 fails; nothing on another host
#   one_way    node2 -> node5 only capped (htb + u32)     exit 1; only link node2<->node5 fails, direction
#                                                         a_to_b; no NIC or node verdict for either end
#   loss       2 % random drop on node1 (nftables)        exit 1; node1 fails (retransmits); nobody else
#   two_hosts  node3 and node5 capped both ways           exit 1; both fail; nothing on another host
#   link_down  node4's eth0 down 8 s into a -T 40 run     through mpirun: the job ends by itself within
#                                                         timeout + 30 s, non-zero; railcheck's watchdog record
#                                                         (last line of results.jsonl) names node4 alone, ~10 s
#                                                         after the link went down; every railcheck process is
#                                                         gone; the records measured before it are kept. The
#                                                         exit is mpirun's own (205, "lost communication with a
#                                                         remote daemon ... node4"): railcheck leaves mpirun
#                                                         kLauncherGraceSeconds to end it, as an abort started
#                                                         first would make mpirun wait for node4 for good
#   slurm_both_ways  (only with with_cluster.sh --slurm) node3 capped both ways, the suite through
#                    `sbatch -N 6 slurm/acceptance.sbatch` on the real Slurm: the job's ExitCode is 1:0 and
#                    node3 fails, nothing on another host
#   slurm_link_down  (only with --slurm) node4's eth0 down 8 s into the job (sbatch, the suite with
#                    timeout_s 40): the batch script ends with ExitCode 3:0 (railcheck's, through srun) within
#                    timeout + 30 s of the job's start (the job stays COMPLETING until node4 answers again),
#                    the watchdog record names node4 alone, the records before it are kept
# RC_MATRIX_SHAPES picks shapes (space separated); slurm_link_down runs RC_MATRIX_SLURM_LINK_DOWN_REPEATS (1)
# times, being link_down again under srun. RC_MATRIX_BUSY=N keeps N busy loops running the whole time (a
# loaded machine: healthy links scatter and dip, as on CI's). Prints one line per run, and a summary table.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=cluster_env.sh
. "$here/cluster_env.sh"
bin=${1:?usage: $0 RAILCHECK_BIN SUITE [SCHEMA]}
suite=${2:?usage: $0 RAILCHECK_BIN SUITE [SCHEMA]}
schema=${3:-}
bin=$(realpath "$bin") suite=$(realpath "$suite")  # sbatch runs in another directory
repeats=${RC_MATRIX_REPEATS:-3}
shapes=${RC_MATRIX_SHAPES:-both_ways one_way loss two_hosts link_down${SLURM_CONF:+ slurm_both_ways slurm_link_down}}
sbatch_file=$(cd "$here/../.." && pwd)/slurm/acceptance.sbatch
schema_args=()
[ -n "$schema" ] && [ -f "$schema" ] && schema_args=(--schema "$schema")
nodes=$(wc -l < "$RC_RUN_DIR/nodes")
[ "$nodes" -ge 6 ] || { echo "SKIP: the fault matrix needs 6 hosts (with_cluster.sh --nodes 6), have $nodes"; exit 77; }

clear_all() { for k in $(seq 1 "$nodes"); do "$here/fault.sh" clear "node$k"; done; }

busy_pids=()
stop_busy() { [ ${#busy_pids[@]} -eq 0 ] || kill "${busy_pids[@]}" 2>/dev/null || true; }
trap stop_busy EXIT
for _ in $(seq 1 "${RC_MATRIX_BUSY:-0}"); do
  sh -c 'while :; do :; done' &
  busy_pids+=($!)
done

inject() {
  case "$1" in
    both_ways) "$here/fault.sh" rate node3 400mbit ;;
    one_way) "$here/fault.sh" rate-to node2 node5 200mbit 2>/dev/null ;;
    loss) "$here/fault.sh" loss node1 2 ;;
    two_hosts) "$here/fault.sh" rate node3 400mbit; "$here/fault.sh" rate node5 400mbit ;;
  esac
}

judge() {  # judge SHAPE RESULTS_JSON
  case "$1" in
    both_ways) "$here/check_verdicts.py" "$2" --bad-host node3 "${schema_args[@]}" ;;
    one_way) "$here/check_verdicts.py" "$2" --only-link node2,node5,a_to_b "${schema_args[@]}" ;;
    loss) "$here/check_verdicts.py" "$2" --bad-host node1 "${schema_args[@]}" ;;
    two_hosts) "$here/check_verdicts.py" "$2" --bad-host node3 --bad-host node5 "${schema_args[@]}" ;;
  esac
}

run_link_down() {  # run_link_down DIR -> 0 when every point holds
  local dir=$1 timeout_s=40 t0 pid rc="" took
  t0=$(date +%s)
  "$here/cluster_mpirun.sh" -- "$bin" run "$suite" -T "$timeout_s" --output-dir "$dir" > "$dir.log" 2>&1 &
  pid=$!
  sleep 8
  "$here/fault.sh" down node4
  for _ in $(seq 1 $(( (timeout_s + 30) * 2 ))); do
    sleep 0.5
    if ! kill -0 "$pid" 2>/dev/null; then wait "$pid" && rc=0 || rc=$?; break; fi
  done
  took=$(( $(date +%s) - t0 ))
  if [ -z "$rc" ]; then
    echo "FAIL: the job still runs $took s after its start (timeout $timeout_s s)"
    kill -9 "$pid" 2>/dev/null || true; pkill -9 -x railcheck || true; pkill -9 -x orted || true
    return 1
  fi
  echo "  job ended by itself after $took s with exit $rc (timeout $timeout_s s)"
  # node4's rank cannot be reached by anyone: its own watchdog must end it (timeout + 10 s into its step).
  while pgrep -x railcheck > /dev/null && [ $(( $(date +%s) - t0 )) -le $(( timeout_s + 30 )) ]; do sleep 0.5; done
  if pgrep -x railcheck > /dev/null; then
    echo "FAIL: railcheck processes still running $(( timeout_s + 30 )) s after the start"; pkill -9 -x railcheck; return 1
  fi
  echo "  every railcheck process gone after $(( $(date +%s) - t0 )) s"
  [ "$rc" != 0 ] || { echo "FAIL: exit 0 with a host's link down"; return 1; }
  "$here/check_lost_host.py" "$dir/results.jsonl" node4 --exit "$rc" --log "$dir.log"
}

# Every host idle in Slurm before a job: a host whose link was down for more than SlurmdTimeout (an earlier
# link_down run) is DOWN ("Not responding") until resumed, as an operator would after the repair.
slurm_all_idle() {
  local node
  for node in $(sinfo -h -N -t down,drain,fail -o %N 2>/dev/null | sort -u); do
    scontrol update nodename="$node" state=resume 2>/dev/null || true
  done
  for _ in $(seq 1 300); do
    [ "$(sinfo -h -N -t idle -o %N 2>/dev/null | sort -u | wc -l)" = "$nodes" ] && return 0
    sleep 0.2
  done
  echo "FAIL: not every host is idle in Slurm after 60 s:"; sinfo -N; return 1
}

# submit_acceptance SUITE DIR: slurm/acceptance.sbatch on every host with SUITE, results under DIR/<job id>,
# the job's output in DIR.log; prints the job id.
submit_acceptance() {
  export RAILCHECK_BIN=$bin RAILCHECK_SUITE=$1 RAILCHECK_RESULTS_ROOT=$2 RAILCHECK_BACKEND=mpi
  export OMPI_MCA_btl=tcp,self OMPI_MCA_btl_tcp_if_include=$RC_NET.0/24 OMPI_MCA_oob_tcp_if_include=$RC_NET.0/24
  mkdir -p "$2"
  sbatch --parsable -N "$nodes" --chdir="$RC_CLUSTER_WORK" --output="$2.log" "$sbatch_file"
}

run_slurm_both_ways() {  # run_slurm_both_ways DIR -> 0 when every point holds
  local dir=$1 job info
  slurm_all_idle || return 1
  "$here/fault.sh" rate node3 400mbit
  job=$(submit_acceptance "$suite" "$dir")
  "$here/slurm_wait_job.sh" "$job" 600 || true
  clear_all
  info=$(scontrol show job -o "$job")
  grep -E '^# (VERDICT|verdicts)' "$dir.log" || true
  if ! grep -q ' ExitCode=1:0' <<< "$info"; then
    echo "FAIL: job $job: $(grep -o 'JobState=[A-Z]* .*ExitCode=[0-9:]*' <<< "$info" | sed 's/ .* / /') (expected ExitCode=1:0)"
    tail -20 "$dir.log"
    return 1
  fi
  echo "  job $job ExitCode=1:0"
  "$here/check_verdicts.py" "$dir/$job/results.json" --bad-host node3 "${schema_args[@]}"
}

run_slurm_link_down() {  # run_slurm_link_down DIR -> 0 when every point holds
  local dir=$1 job info t0 took state="" timeout_s=40
  slurm_all_idle || return 1
  python3 -c 'import json, sys; s = json.load(open(sys.argv[1])); s["timeout_s"] = float(sys.argv[3]); json.dump(s, open(sys.argv[2], "w"))' \
    "$suite" "$dir.suite.json" "$timeout_s"
  job=$(submit_acceptance "$dir.suite.json" "$dir")
  for _ in $(seq 1 100); do  # the clock starts when the job runs
    state=$(squeue -h -j "$job" -o %T 2>/dev/null || true)
    [ "$state" = RUNNING ] && break
    sleep 0.2
  done
  t0=$(date +%s)
  sleep 8
  "$here/fault.sh" down node4
  # The job's end is its batch script's end; it stays COMPLETING until node4 answers again (after the repair).
  while [ $(( $(date +%s) - t0 )) -le $(( timeout_s + 60 )) ]; do
    state=$(squeue -h -j "$job" -o %T 2>/dev/null || true)
    case "$state" in RUNNING|PENDING|CONFIGURING) sleep 0.5 ;; *) break ;; esac
  done
  took=$(( $(date +%s) - t0 ))
  info=$(scontrol show job -o "$job")
  "$here/fault.sh" clear node4
  case "$state" in RUNNING|PENDING|CONFIGURING)
    echo "FAIL: job $job still $state $took s after it started"; scancel "$job"; return 1 ;;
  esac
  echo "  job $job ended $took s after it started: $(grep -o 'JobState=[A-Z_]*' <<< "$info") $(grep -o 'ExitCode=[0-9:]*' <<< "$info")"
  local ok=0
  [ "$took" -le $(( timeout_s + 30 )) ] || { echo "FAIL: the job took $took s (timeout $timeout_s s + 30 s)"; ok=1; }
  grep -q ' ExitCode=3:0' <<< "$info" || { echo "FAIL: expected ExitCode=3:0 (railcheck's watchdog)"; tail -20 "$dir.log"; ok=1; }
  "$here/check_lost_host.py" "$dir/$job/results.jsonl" node4 || ok=1
  return $ok
}

# After a wrong verdict, what the analysis saw (CI keeps the log, not the work dir): the p2p bandwidth records
# that were re-tests or below half the median, one line each, prefixed so tests/failure_digest.py keeps them.
p2p_evidence() {  # p2p_evidence WHAT RESULTS_JSON
  /usr/bin/python3 - "$1" "$2" <<'PY' || true
import json, statistics, sys
what, path = sys.argv[1], sys.argv[2]
recs = [r for r in json.load(open(path))["records"] if r.get("kind") == "p2p" and r.get("op") == "bw"]
ok = [r["bw_gbps"] for r in recs if r["status"] == "ok"]
median = statistics.median(ok) if ok else 0
for r in recs:
    if r.get("phase") == "retest" or r["status"] != "ok" or r["bw_gbps"] < median / 2:
        loss = (r.get("loss") or {}).get("rate", 0)
        print("  evidence of %s: %s %s round %d %s -> %s %s GB/s, %.2f%% retransmitted (median %.2f)" % (
            what, r.get("test", ""), r.get("phase", "first"), r["round"], r["src_host"], r["dst_host"],
            "%.3f" % r["bw_gbps"] if r["status"] == "ok" else "failed", 100 * loss, median))
PY
}

failures=0
summary=()
for shape in $shapes; do
  outcomes=()
  n=$repeats  # the Slurm link-down run is the link_down shape under another launcher: once unless asked
  [ "$shape" = slurm_link_down ] && n=${RC_MATRIX_SLURM_LINK_DOWN_REPEATS:-1}
  for i in $(seq 1 "$n"); do
    dir="$RC_CLUSTER_WORK/$shape$i"
    echo "== $shape run $i"
    clear_all
    if declare -F "run_$shape" > /dev/null; then  # a shape with its own run (link down, the sbatch ones)
      if "run_$shape" "$dir"; then outcomes+=(ok); else outcomes+=(FAIL); failures=$((failures + 1)); fi
      clear_all
      continue
    fi
    inject "$shape"
    rc=0
    "$here/cluster_mpirun.sh" -- "$bin" run "$suite" --output-dir "$dir" > "$dir.log" 2>&1 || rc=$?
    clear_all
    grep -E '^# (VERDICT|verdicts)' "$dir.log" || true
    ok=1
    [ "$rc" = 1 ] || { echo "FAIL: $shape run $i exited $rc (expected 1)"; tail -20 "$dir.log"; ok=0; }
    judge "$shape" "$dir/results.json" || ok=0
    [ "$ok" = 1 ] || p2p_evidence "$shape run $i" "$dir/results.json"
    if [ "$ok" = 1 ]; then outcomes+=(ok); else outcomes+=(FAIL); failures=$((failures + 1)); fi
  done
  summary+=("$(printf '%-10s %s' "$shape" "${outcomes[*]}")")
done
echo "== fault matrix (${repeats} runs each, 6 hosts)"
printf '%s\n' "${summary[@]}"
[ "$failures" = 0 ] || { echo "FAIL: $failures run(s) failed"; exit 1; }
echo "PASS: every shape named the same part in all $repeats runs"
