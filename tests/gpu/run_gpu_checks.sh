#!/usr/bin/env bash
# Builds railcheck for Hopper (sm_90) and runs what needs a GPU: the gpu-labelled tests and the NCCL backend at
# one rank with its correctness check, writing results under $OUT (the device tool's output folder) or ./gpu-out.
# Meant for a lent GPU machine: ./tests/gpu/run_gpu_checks.sh   (needs the same packages as ./setup.sh deps).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
out="${OUT:-$here/gpu-out}"
build="${BUILD_DIR:-$here/build-gpu}"
mkdir -p "$out"
{
  echo "date: $(date -u +%FT%TZ)"
  nvidia-smi --query-gpu=name,uuid,pci.bus_id,driver_version,clocks.max.sm --format=csv || true
} | tee "$out/device.txt"
cmake -S "$here" -B "$build" -G Ninja -DCMAKE_CUDA_ARCHITECTURES=90 2>&1 | tail -3
cmake --build "$build" -j "$(nproc)" 2>&1 | tail -3
(cd "$build" && ctest -L gpu --output-on-failure 2>&1 | tee "$out/ctest-gpu.txt")
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
mpirun -n 1 "$build/railcheck" allreduce --backend nccl -b 8 -e 1G -f 4 -n 20 -w 5 -c 1 \
  --output-dir "$out/nccl-allreduce" 2>&1 | tee "$out/nccl-allreduce.txt"
mpirun -n 1 "$build/railcheck" run --output-dir "$out/quick" 2>&1 | tee "$out/quick.txt"
echo "results in $out"
