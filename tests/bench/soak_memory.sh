#!/bin/bash
# soak_memory.sh RAILCHECK_BIN [MINUTES] [RANKS] - issue #15, acceptance 4: memory over a long soak on the MPI
# host backend (local ranks). Runs `railcheck soak` of a small suite (an all_reduce of 1 MiB and an all_gather of
# 64 KiB per pass) for MINUTES (default 30) in 10 s intervals with RANKS (default 2) ranks, and samples every
# rank's resident set (VmRSS) and the results.jsonl size every 60 s while the soak runs (minutes 1 .. MINUTES-1);
# then, each second until the job ends, each rank's peak (VmHWM), which includes rank 0 judging the whole stream
# at the end. Prints one line per sample and a closing line per rank: RSS at minute 1, largest, last; exit 1 when
# a rank's RSS grew by more than 10 % (+ 4 MiB) from minute 1 to the last sample. Output kept in docs/bench.md.
set -euo pipefail
bin=${1:?usage: $0 RAILCHECK_BIN [MINUTES] [RANKS]}
minutes=${2:-30}
ranks=${3:-2}
work=$(mktemp -d "${TMPDIR:-/tmp}/railcheck-soak-memory.XXXXXX")
trap 'rm -rf "$work"' EXIT
cat > "$work/suite.json" <<JSON
{"schema_version": 1, "name": "soak_memory", "backend": "mpi",
 "soak": {"duration": "${minutes}m", "interval": "10s"},
 "tests": [
   {"collective": "all_reduce", "min_bytes": "1M", "max_bytes": "1M", "iters": 20, "warmup_iters": 2},
   {"collective": "all_gather", "min_bytes": "64K", "max_bytes": "64K", "iters": 20, "warmup_iters": 2}
 ]}
JSON
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 OMPI_MCA_mpi_yield_when_idle=1
mpirun -n "$ranks" --oversubscribe --bind-to none "$bin" soak "$work/suite.json" --output-dir "$work/out" \
  > "$work/console.log" 2>&1 & job=$!
rss() {  # the ranks under mpirun: "pid:KiB ..."
  local out=()
  for pid in $(pgrep -P "$job" || true); do  # the ranks mpirun started
    out+=("$pid:$(awk '/^VmRSS/ {print $2}' "/proc/$pid/status" 2>/dev/null || echo 0)")
  done
  echo "${out[*]}"
}
echo "# soak of $minutes min, $ranks ranks, $(date -u +%Y-%m-%dT%H:%M:%SZ); RSS in KiB per rank, results.jsonl bytes"
echo "# minute  rss (pid:KiB ...)  jsonl_bytes  jsonl_lines"
samples=()
for ((m = 1; m < minutes; m++)); do
  sleep 60
  kill -0 "$job" 2>/dev/null || break
  line=$(rss)
  samples+=("$line")
  size=$(stat -c %s "$work/out/results.jsonl" 2>/dev/null || echo 0)
  lines=$(wc -l < "$work/out/results.jsonl" 2>/dev/null || echo 0)
  echo "$m  $line  $size  $lines"
done
declare -A peak
while kill -0 "$job" 2>/dev/null; do  # the end of the soak and the judgement: each rank's peak
  for pid in $(pgrep -P "$job" || true); do
    hwm=$(awk '/^VmHWM/ {print $2}' "/proc/$pid/status" 2>/dev/null || true)
    [ -n "$hwm" ] && peak[$pid]=$hwm
  done
  sleep 1
done
for pid in "${!peak[@]}"; do echo "# rank pid $pid: peak resident set (VmHWM) ${peak[$pid]} KiB"; done
rc=0
wait "$job" || rc=$?
grep -E '^# (soak|verdicts)' "$work/console.log" || true
echo "# railcheck exit $rc"
python3 - "${samples[@]}" <<'PY'
import sys
series = {}
for sample in sys.argv[1:]:
    for item in sample.split():
        pid, kb = item.split(":")
        series.setdefault(pid, []).append(int(kb))
bad = False
for pid, kb in series.items():
    first, last, top = kb[0], kb[-1], max(kb)
    grew = last - first
    flag = grew > 0.10 * first + 4096
    bad |= flag
    print(f"# rank pid {pid}: minute 1 {first} KiB, largest {top} KiB, last {last} KiB, grew {grew:+d} KiB"
          + ("  GREW" if flag else ""))
sys.exit(1 if bad or not series else 0)
PY
