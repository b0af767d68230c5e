#!/bin/bash
# run_fuzzers.sh BUILD_DIR [SECONDS] - runs every libFuzzer target (BUILD_DIR/tests/fuzz/fuzz_*, the list in
# tests/fuzz/CMakeLists.txt) of a RAILCHECK_FUZZ=ON build (setup.sh
# sanitize) for SECONDS each (default 20), from the kept corpus, the repo's own files of that kind and the
# regressions. Fresh inputs it finds go to a scratch corpus (the repo's corpus stays small). A crash, leak,
# sanitizer report or escaped exception stops the target; the input is saved under
# BUILD_DIR/fuzz-artifacts/<target>/ and this script fails naming it: fix the reader, then copy the input into
# tests/fuzz/regressions/<target>/ so the normal build's replay test keeps it fixed.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
build=${1:?usage: $0 BUILD_DIR [SECONDS]}
seconds=${2:-20}
declare -A seeds=([suite]="$root/suites" [baseline]="$root/results-schema/examples" [profile]="$root/suites/profiles"
                  [rail_override]="" [results]="" [fabric]="$root/tests/fixtures/fabric")
failed=() ran=0
for bin in "$build"/tests/fuzz/fuzz_*; do
  [ -f "$bin" ] && [ -x "$bin" ] || continue
  target=${bin##*/fuzz_}
  ran=$((ran + 1))
  scratch=$build/fuzz-corpus/$target artifacts=$build/fuzz-artifacts/$target
  mkdir -p "$scratch" "$artifacts"
  dirs=("$scratch")  # libFuzzer adds what it finds to the first; the others only seed it (git keeps no empty dir)
  for dir in "$here/corpus/$target" "$here/regressions/$target" ${seeds[$target]:-}; do
    [ -d "$dir" ] && dirs+=("$dir")
  done
  echo "== fuzz_$target: ${seconds} s"
  if "$bin" -max_total_time="$seconds" -max_len=16384 -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
       -artifact_prefix="$artifacts/" "${dirs[@]}" > "$build/fuzz-$target.log" 2>&1; then
    grep -E "^stat::number_of_executed_units|^#[0-9]+ +DONE" "$build/fuzz-$target.log" | tail -2 || true
  else
    tail -40 "$build/fuzz-$target.log"
    echo "FAIL: fuzz_$target: $(ls "$artifacts" | head -3 | tr '\n' ' ')(in $artifacts)"
    failed+=("$target")
  fi
done
[ "$ran" -gt 0 ] || { echo "run_fuzzers.sh: no fuzz targets in $build/tests/fuzz (configure with -DRAILCHECK_FUZZ=ON)" >&2; exit 2; }
[ "${#failed[@]}" = 0 ] || { echo "FAIL: fuzz targets ${failed[*]}"; exit 1; }
echo "PASS: every fuzz target ran ${seconds} s without a crash"
