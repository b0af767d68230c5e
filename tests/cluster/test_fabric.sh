#!/bin/bash
# test_fabric.sh RAILCHECK_BIN SUITE [SCHEMA] - issue #18, acceptance 1 (inside with_cluster.sh --nodes 6): a
# two-tier fabric of routed namespaces (fabric_testbed.sh: 3 leaves of 2 hosts, 2 spines, dmodk static routes)
# between the 6 hosts; `railcheck run SUITE --topology <the testbed's topology>` (a fabric test, 3 stages) on a
# healthy fabric names nothing, and with one direction of one cable slowed by tc tbf (a spine -> leaf, a leaf ->
# spine, a NIC -> leaf and a leaf -> NIC link) or made lossy by nftables, names exactly that directed link; each
# shape RC_FABRIC_REPEATS (3) times in a row; the first shape once more with confirmation stages after the plan
# (still exactly that link, the stages legal, one flow over it), the second once more routed by the forwarding
# tables read from the switch namespaces' kernels (`fabric_testbed.sh lfts`, `--routes`: the greedy plan). Under `with_cluster.sh --slurm`, one more slow link through
# `sbatch -N 6 slurm/acceptance.sbatch` (RAILCHECK_TOPOLOGY) on the real Slurm: ExitCode 1:0, that link named.
# Judged by check_fabric.py.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=cluster_env.sh
. "$here/cluster_env.sh"
bin=$(realpath "${1:?usage: $0 RAILCHECK_BIN SUITE [SCHEMA]}")
suite=$(realpath "${2:?usage: $0 RAILCHECK_BIN SUITE [SCHEMA]}")  # sbatch runs in another directory
schema=${3:-}
repeats=${RC_FABRIC_REPEATS:-3}
rate=${RC_FABRIC_RATE:-200mbit}
loss=${RC_FABRIC_LOSS_PCT:-3}
schema_args=()
[ -n "$schema" ] && [ -f "$schema" ] && schema_args=(--schema "$schema")

"$here/fabric_testbed.sh" up 3 2 2
"$here/fabric_testbed.sh" check
topo="$RC_CLUSTER_WORK/testbed.topo"
"$here/fabric_testbed.sh" topology > "$topo"

run=0
# One run: exit 0 (healthy) or 1 (a part fails), then check_fabric.py on its results. Before `--`, more
# check_fabric.py arguments; after it, more `railcheck run` arguments (the suite is $run_suite, $suite unless set).
one_run() {  # EXPECT ("" healthy) DESCRIPTION [CHECK_ARG...] [-- RUN_ARG...]
  local expect=$1 what=$2 rc=0 out check_args=() run_args=()
  shift 2
  while [ $# -gt 0 ] && [ "$1" != -- ]; do check_args+=("$1"); shift; done
  [ $# -gt 0 ] && shift
  run_args=("$@")
  run=$((run + 1))
  out="$RC_CLUSTER_WORK/run$run"
  "$here/cluster_mpirun.sh" -- "$bin" run "${run_suite:-$suite}" --topology "$topo" --output-dir "$out" \
    "${run_args[@]}" > "$out.log" 2>&1 || rc=$?
  local want=0
  [ -n "$expect" ] && want=1
  if [ "$rc" != "$want" ]; then
    echo "FAIL: $what: railcheck exited $rc, expected $want"; tail -30 "$out.log"; exit 1
  fi
  echo "$what:"
  "$here/check_fabric.py" "$out/results.json" ${expect:+--expect "$expect"} "${check_args[@]}" "${schema_args[@]}" ||
    { tail -30 "$out.log"; exit 1; }
}

for i in $(seq 1 "$repeats"); do one_run "" "healthy fabric, run $i"; done

shapes=("rate|spine2:1 -> leaf1:4" "rate|leaf3:3 -> spine1:3" "rate|node4/fab0 -> leaf2:2" "rate|leaf1:1 -> node1/fab0"
        "loss|spine1:2 -> leaf2:3")
[ -n "${RC_FABRIC_SHAPES:-}" ] && IFS=';' read -r -a shapes <<< "$RC_FABRIC_SHAPES"
[ "${RC_FABRIC_SHAPES:-}" = none ] && shapes=()  # only the healthy runs (and ECMP, Slurm)
for shape in ${shapes[@]+"${shapes[@]}"}; do
  kind=${shape%%|*} link=${shape#*|}
  arg=$rate
  [ "$kind" = loss ] && arg=$loss
  "$here/fabric_fault.sh" "$kind" "$link" "$arg"
  for i in $(seq 1 "$repeats"); do one_run "$link" "$kind $arg on $link, run $i"; done
  if [ "$shape" = "${shapes[1]:-}" ]; then  # once: routed by the switches' own forwarding tables (--routes)
    "$here/fabric_testbed.sh" lfts > "$RC_CLUSTER_WORK/testbed.lfts"
    one_run "$link" "$kind $arg on $link, routed by the switches' forwarding tables (--routes)" \
      -- --routes "$RC_CLUSTER_WORK/testbed.lfts"
    grep -q "stages (leaf +1 place +1, intra-leaf +1" "$RC_CLUSTER_WORK/run$run.log" ||
      { echo "FAIL: --routes: not the greedy plan"; grep "endpoints on" "$RC_CLUSTER_WORK/run$run.log"; exit 1; }
  fi
  if [ "$shape" = "${shapes[0]}" ]; then  # once: the same fault with confirmation stages after the plan
    /usr/bin/python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); d["tests"][0]["confirm_stages"]=2
json.dump(d, open(sys.argv[2], "w"))' "$suite" "$RC_CLUSTER_WORK/confirm.json"
    run_suite="$RC_CLUSTER_WORK/confirm.json" one_run "$link" "$kind $arg on $link, with up to 2 confirmation stages" \
      --confirmed --max-stages 5
  fi
  "$here/fabric_fault.sh" clear "$link"
done
# A fault of one pair (node2 -> node3 only, htb with a u32 filter on node3's address): no cable explains it, every
# link on its path carries other, healthy flows. railcheck measures that bad flow once more after the plan (the
# re-measure stage), finds it bad again and warns the pair; nothing fails. A flow that dips once and is healthy
# when measured again passes (FabricFindings.ALoneSlowFlowMeasuredAgainHealthyPassesAsADipAndBadAgainStillWarns).
if [ -z "${RC_FABRIC_SHAPES:-}" ]; then
  "$here/fabric_fault.sh" rate-to node2/fab0 node3 "$rate"
  one_run "" "rate $rate from node2 to node3 only (a pair, no cable)" --pair-warn node2,node3
  "$here/fabric_fault.sh" clear node2/fab0
fi
if [ -n "${SLURM_CONF:-}" ]; then
  link="leaf2:3 -> spine1:2"
  "$here/fabric_fault.sh" rate "$link" "$rate"
  export RAILCHECK_BIN=$bin RAILCHECK_SUITE=$suite RAILCHECK_RESULTS_ROOT=$RC_CLUSTER_WORK/slurm-results
  export RAILCHECK_BACKEND=mpi RAILCHECK_TOPOLOGY=$topo
  export OMPI_MCA_btl=tcp,self OMPI_MCA_btl_tcp_if_include=$RC_NET.0/24 OMPI_MCA_oob_tcp_if_include=$RC_NET.0/24
  mkdir -p "$RAILCHECK_RESULTS_ROOT"
  job=$(sbatch --parsable -N 6 --chdir="$RC_CLUSTER_WORK" --output="$RC_CLUSTER_WORK/job-%j.out" \
    "$here/../../slurm/acceptance.sbatch")
  "$here/slurm_wait_job.sh" "$job" 300 || true
  "$here/fabric_fault.sh" clear "$link"
  info=$(scontrol show job -o "$job")
  grep -q ' ExitCode=1:0' <<< "$info" ||
    { echo "FAIL: sbatch job $job: $(grep -o 'JobState=[A-Z]*' <<< "$info") $(grep -o 'ExitCode=[0-9:]*' <<< "$info"), expected ExitCode=1:0"
      tail -30 "$RC_CLUSTER_WORK/job-$job.out"; exit 1; }
  echo "rate $rate on $link through sbatch (job $job, ExitCode=1:0):"
  "$here/check_fabric.py" "$RAILCHECK_RESULTS_ROOT/$job/results.json" --expect "$link" "${schema_args[@]}"
  run=$((run + 1))
fi
# ECMP (last: the leaves keep multipath routes): each leaf hashes every remote host's flows over both spines;
# `--routes ecmp`, the plan run 4 times (each run hashes anew). A slow NIC link is named alone (its flows are
# known to cross it); a slow spine -> leaf link fails its ECMP group, the downlinks into that leaf, each saying so.
"$here/fabric_testbed.sh" ecmp
"$here/fabric_testbed.sh" check
/usr/bin/python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); d["tests"][0]["repeats"]=4
json.dump(d, open(sys.argv[2], "w"))' "$suite" "$RC_CLUSTER_WORK/ecmp.json"
ecmp_args=(--max-stages 12 --flows 72)
run_suite="$RC_CLUSTER_WORK/ecmp.json" one_run "" "ECMP, healthy" "${ecmp_args[@]}" -- --routes ecmp
link="leaf1:1 -> node1/fab0"
"$here/fabric_fault.sh" rate "$link" "$rate"
run_suite="$RC_CLUSTER_WORK/ecmp.json" one_run "$link" "ECMP, rate $rate on $link" "${ecmp_args[@]}" -- --routes ecmp
"$here/fabric_fault.sh" clear "$link"
link="spine2:1 -> leaf1:4"
"$here/fabric_fault.sh" rate "$link" "$rate"
run_suite="$RC_CLUSTER_WORK/ecmp.json" one_run "spine1:1 -> leaf1:3;$link" "ECMP, rate $rate on $link" \
  "${ecmp_args[@]}" --ecmp-group -- --routes ecmp
"$here/fabric_fault.sh" clear "$link"
echo "PASS: test_fabric ($run runs)"
