#!/usr/bin/env bash
# One GPU session's checks (issue #7), in one run on a lent GPU machine (H100: sm_90):
#   1. build railcheck and the GPU tests for sm_90      4. NCCL backend, one rank: all_reduce sweep with -c 1
#   2. ctest -L gpu (kernels, single-GPU checks, latch) 5. the quick suite, one rank, --backend nccl
#   3. railcheck gpu-check --all                        6. validate every results file, print the acceptance
#                                                          ratios (tests/gpu/acceptance.json) PASS/FAIL
# Everything goes under the output folder: $1, else $OUT (the device tool's output folder), else
# <build>/gpu-out.
#
#   tests/gpu/run_gpu_checks.sh [out-dir]
#
# Environment: BUILD_DIR (default ./build-gpu; an existing build is reused, and used as is where cmake is
# missing), CUDA_ARCH (default 90). Exit: 0 every point passed, 1 some point failed, 77 no GPU visible (SKIP).
set -uo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
build="${BUILD_DIR:-$here/build-gpu}"
out="${1:-${OUT:-$build/gpu-out}}"
arch="${CUDA_ARCH:-90}"
mkdir -p "$out"
summary="$out/summary.txt"
: >"$summary"
say() { echo "$*" | tee -a "$summary"; }

# 0. Is there a GPU at all? Without one nothing below can run: say so plainly and stop.
gpus=0
if command -v nvidia-smi >/dev/null 2>&1; then gpus=$(nvidia-smi -L 2>/dev/null | grep -c '^GPU' || true); fi
if [ "$gpus" -eq 0 ]; then
  reason="nvidia-smi not found"
  command -v nvidia-smi >/dev/null 2>&1 && reason="nvidia-smi -L lists no GPU: $(nvidia-smi -L 2>&1 | head -1)"
  say "SKIP: no GPU visible on $(hostname) ($reason); run this on a GPU machine"
  exit 77
fi
{
  echo "date: $(date -u +%FT%TZ)"
  echo "host: $(hostname)"
  echo "git: $(git -C "$here" rev-parse --short=12 HEAD 2>/dev/null)$(git -C "$here" diff --quiet 2>/dev/null || echo -dirty)"
  nvidia-smi --query-gpu=index,name,uuid,pci.bus_id,driver_version,clocks.max.sm,memory.total --format=csv
  nvidia-smi topo -m 2>/dev/null || true
} | tee "$out/device.txt"

# 1. Build (only what this script runs).
if command -v cmake >/dev/null 2>&1; then
  if ! command -v nvcc >/dev/null && [ -x /usr/local/cuda/bin/nvcc ]; then export PATH="/usr/local/cuda/bin:$PATH"; fi
  cmake -S "$here" -B "$build" -G Ninja -DCMAKE_CUDA_ARCHITECTURES="$arch" -DRAILCHECK_BUILD_BENCHMARKS=OFF \
    >"$out/build.txt" 2>&1 &&
    cmake --build "$build" -j "$(nproc)" --target railcheck railcheck_gpu_tests >>"$out/build.txt" 2>&1
  status=$?
  tail -3 "$out/build.txt"
  [ $status -eq 0 ] || { say "FAIL build (see $out/build.txt)"; exit 1; }
elif [ ! -x "$build/railcheck" ]; then
  say "FAIL build: no cmake here and no $build/railcheck to reuse (carry a build made for sm_$arch)"
  exit 1
fi
say "build: $build (sm_$arch)"

# 2. The gpu-labelled tests.
(cd "$build" && ctest -L gpu --output-on-failure >"$out/ctest-gpu.txt" 2>&1)
ctest_status=$?
tail -4 "$out/ctest-gpu.txt"
if [ $ctest_status -eq 0 ]; then say "PASS ctest -L gpu"; else say "FAIL ctest -L gpu (see $out/ctest-gpu.txt)"; fi

# 3. The single-GPU checks on every GPU (peer copies need two).
"$build/railcheck" gpu-check --all --output-dir "$out/gpu-check" 2>&1 | tee "$out/gpu-check.txt"

# 4 and 5. The NCCL backend at one rank: its correctness check, then the quick suite.
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
mpirun -n 1 "$build/railcheck" allreduce --backend nccl -b 8 -e 1G -f 4 -n 20 -w 5 -c 1 \
  --output-dir "$out/nccl-allreduce" 2>&1 | tee "$out/nccl-allreduce.txt"
mpirun -n 1 "$build/railcheck" run --backend nccl --output-dir "$out/quick" 2>&1 | tee "$out/quick.txt"

# 6. Validate and judge.
python3 "$here/tests/gpu/check_gpu_results.py" --source "$here" --gpu-check "$out/gpu-check" \
  --nccl "$out/nccl-allreduce" --quick "$out/quick" 2>&1 | tee -a "$summary"
check_status=${PIPESTATUS[0]}
say "results in $out (summary: $summary)"
[ $ctest_status -eq 0 ] && [ "$check_status" -eq 0 ]
