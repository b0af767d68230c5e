#!/bin/bash
# nccl_tests_parity.sh NCCL_TESTS_SRC RAILCHECK_BIN OUT_DIR - a benchmark for a lent GPU (issue #14,
# acceptance 4), not a test: builds nccl-tests from its source (a copy of github.com/NVIDIA/nccl-tests brought
# along; never committed) with MPI=0 against the NCCL it finds (NCCL_HOME, else the nvidia-nccl Python wheel,
# else /usr/local/cuda), then on the same card, back to back, runs
#   all_reduce_perf  -b 8 -e 1G -f 2 -g 1
#   railcheck allreduce -b 8 -e 1G -f 2 --backend nccl   (nccl-tests' warm-up and host-clock window: the defaults)
# and compares the time columns per size (tests/bench/compare_nccl_tests.py; target 0.98 .. 1.02 at >= 1 MiB).
# Writes OUT_DIR/{nccl-tests.txt,railcheck.txt,parity.txt,parity.json}; exit 77 without a GPU.
# RC_PARITY_ARGS overrides the shared flags ("-b 8 -e 1G -f 2"). RC_PARITY_BUILD_ONLY=1 builds nccl-tests and
# stops (no GPU needed): a machine without one prepares the binaries a lent GPU then runs.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
src=${1:?usage: $0 NCCL_TESTS_SRC RAILCHECK_BIN OUT_DIR}
bin=${2:?usage: $0 NCCL_TESTS_SRC RAILCHECK_BIN OUT_DIR}
out=${3:?usage: $0 NCCL_TESTS_SRC RAILCHECK_BIN OUT_DIR}
read -r -a flags <<< "${RC_PARITY_ARGS:--b 8 -e 1G -f 2}"
mkdir -p "$out"
build_only=${RC_PARITY_BUILD_ONLY:-0}
if [ "$build_only" != 1 ]; then
  command -v nvidia-smi > /dev/null && nvidia-smi -L > "$out/gpus.txt" 2>&1 || { echo "SKIP: no GPU visible"; exit 77; }
fi
[ -f "$src/src/Makefile" ] || { echo "FAIL: $src is not an nccl-tests checkout (no src/Makefile)"; exit 2; }
cuda=${CUDA_HOME:-/usr/local/cuda}
nccl=${NCCL_HOME:-}
if [ -z "$nccl" ]; then
  nccl=$(python3 -c 'import nvidia.nccl, os; print(os.path.dirname(nvidia.nccl.__file__) if nvidia.nccl.__file__ else list(nvidia.nccl.__path__)[0])' 2>/dev/null || true)
fi
[ -n "$nccl" ] && [ -f "$nccl/include/nccl.h" ] || nccl=$cuda
[ -f "$nccl/include/nccl.h" ] || { echo "FAIL: no nccl.h under NCCL_HOME, the nvidia-nccl wheel or $cuda"; exit 2; }
# nccl-tests links -lnccl: a wheel ships only libnccl.so.2, so build against a view of it that has the name.
view=$out/nccl-view
mkdir -p "$view/lib"
ln -sfn "$nccl/include" "$view/include"
for lib in "$nccl"/lib/libnccl.so*; do ln -sf "$lib" "$view/lib/"; done
[ -e "$view/lib/libnccl.so" ] || ln -sf "$(ls "$nccl"/lib/libnccl.so.* | head -1)" "$view/lib/libnccl.so"
build=$out/nccl-tests-build
make -C "$src/src" -j "$(nproc)" MPI=0 CUDA_HOME="$cuda" NCCL_HOME="$view" BUILDDIR="$build" \
  NVCC_GENCODE="-gencode=arch=compute_90,code=sm_90" > "$out/nccl-tests-build.log" 2>&1 \
  || { tail -20 "$out/nccl-tests-build.log"; echo "FAIL: nccl-tests did not build"; exit 2; }
[ "$build_only" = 1 ] && { echo "built: $build/all_reduce_perf"; exit 0; }
export LD_LIBRARY_PATH=$view/lib:${LD_LIBRARY_PATH:-}
"$build/all_reduce_perf" "${flags[@]}" -g 1 > "$out/nccl-tests.txt" 2>&1
"$bin" allreduce "${flags[@]}" --backend nccl --output-dir "$out/railcheck-results" > "$out/railcheck.txt" 2>&1
"$here/compare_nccl_tests.py" "$out/nccl-tests.txt" "$out/railcheck.txt" --json "$out/parity.json" | tee "$out/parity.txt"
