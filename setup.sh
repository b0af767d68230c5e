#!/usr/bin/env bash
# railcheck setup: installs what railcheck needs (Debian/Ubuntu apt), builds it, then runs the quick suite or
# the tests. The README's quick start and .ci/run both use this script.
#
#   ./setup.sh run [railcheck run args...]  install, build, run the quick suite on local ranks:
#                                           one rank per GPU when GPUs are visible, else 4 ranks on the MPI host backend
#   ./setup.sh test [ctest args...]         install, build, run every test (ctest; cluster tests need root)
#   ./setup.sh deps | build                 only install, or only install and build
#   ./setup.sh sanitize                     the format check (.clang-format), then a clang build with
#                                           AddressSanitizer + UBSan (no CUDA): the unit tests, then every fuzz
#                                           target for RAILCHECK_FUZZ_SECONDS (20) each
#
# Environment: BUILD_DIR (default ./build), RAILCHECK_RANKS (ranks for `run`), CMAKE_ARGS (extra configure flags),
# SANITIZE_BUILD_DIR (default ./build-sanitize).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
build_dir="${BUILD_DIR:-$here/build}"

packages=(
  build-essential cmake ninja-build git pkg-config
  openmpi-bin libopenmpi-dev libpmix-dev
  libibverbs-dev rdma-core ibverbs-utils
  nlohmann-json3-dev libcli11-dev libgtest-dev libgmock-dev libbenchmark-dev libpugixml-dev libcurl4-openssl-dev
  python3 python3-jsonschema python3-yaml python3-kubernetes libxml2-utils prometheus prometheus-node-exporter
  chromium python3-pil
  iproute2 iperf3 nftables procps psmisc slurm-wlm munge
)

# Only for `sanitize`: clang with its sanitizer and libFuzzer runtimes.
sanitize_packages=(clang libclang-rt-14-dev clang-format)

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
    echo "setup.sh: need root (or sudo) to install: ${packages[*]}" >&2; exit 2; fi
}

install_deps() {
  local missing=()
  for p in "${packages[@]}" "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  if [ "${#missing[@]}" -eq 0 ]; then echo "setup.sh: all packages present"; return; fi
  echo "setup.sh: installing ${missing[*]}"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
}

build() {
  # CUDA and NCCL are used when nvcc is found (a GPU node's toolkit, or /usr/local/cuda); else host backend only.
  if ! command -v nvcc >/dev/null && [ -x /usr/local/cuda/bin/nvcc ]; then export PATH="/usr/local/cuda/bin:$PATH"; fi
  # shellcheck disable=SC2086
  cmake -S "$here" -B "$build_dir" -G Ninja ${CMAKE_ARGS:-}
  cmake --build "$build_dir" -j "$(nproc)"
}

sanitize() {
  local dir="${SANITIZE_BUILD_DIR:-$here/build-sanitize}"
  # The format first (.clang-format): seconds, and a diff is the cheapest review comment to avoid.
  (cd "$here" && git ls-files -z '*.cpp' '*.h' '*.cu' '*.cuh' | xargs -0 clang-format --dry-run -Werror)
  # -O0 and line tables only: the quickest compile that still gives sanitizer reports with file:line.
  local flags="-O0 -gline-tables-only -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=undefined"
  # fuzzer-no-link: coverage for libFuzzer in every library; only the fuzz targets link libFuzzer's main.
  CC=clang CXX=clang++ cmake -S "$here" -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_FLAGS_DEBUG= \
    -DCMAKE_C_FLAGS_DEBUG= \
    -DRAILCHECK_WITH_CUDA=OFF -DRAILCHECK_WITH_NCCL=OFF -DRAILCHECK_BUILD_BENCHMARKS=OFF -DRAILCHECK_FUZZ=ON \
    -DCMAKE_CXX_FLAGS="$flags -fsanitize=fuzzer-no-link" -DCMAKE_C_FLAGS="$flags" \
    -DCMAKE_EXE_LINKER_FLAGS="-fsanitize=address,undefined"
  cmake --build "$dir" -j "$(nproc)" --target railcheck railcheck_unit_tests railcheck_fuzz_targets
  # Label unit (gtest suites, and railcheck itself on the simulator and topology fixtures): the MPI, cluster
  # and GPU labels need what this build leaves out.
  (cd "$dir" && ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
     ctest -L unit --output-on-failure -j "$(nproc)")
  "$here/tests/fuzz/run_fuzzers.sh" "$dir" "${RAILCHECK_FUZZ_SECONDS:-20}"
}

mpirun_flags() {
  local flags=(--oversubscribe)
  [ "$(id -u)" = 0 ] && flags+=(--allow-run-as-root)
  echo "${flags[@]}"
}

local_ranks() {
  if [ -n "${RAILCHECK_RANKS:-}" ]; then echo "$RAILCHECK_RANKS"; return; fi
  local gpus=0
  command -v nvidia-smi >/dev/null && gpus=$(nvidia-smi -L 2>/dev/null | grep -c '^GPU' || true)
  if [ "$gpus" -gt 0 ]; then echo "$gpus"; else echo 4; fi
}

command="${1:-}"
shift || true
case "$command" in
  deps) install_deps ;;
  build) install_deps; build ;;
  run)
    install_deps; build
    # shellcheck disable=SC2046
    exec mpirun -n "$(local_ranks)" $(mpirun_flags) "$build_dir/railcheck" run "$@"
    ;;
  sanitize) install_deps "${sanitize_packages[@]}"; sanitize ;;
  test)
    install_deps; build
    cd "$build_dir"
    rc=0
    # Every core: tests that time links (label cluster, and the few MPI ones that compare speeds) are RUN_SERIAL,
    # so ctest runs them alone; the rest (about 12 minutes one at a time on 2 cores) share the cores.
    ctest --output-on-failure -j "$(nproc)" "$@" || rc=$?
    # A long run's log is read from its end: why each test failed comes last, after ctest's summary.
    [ "$rc" = 0 ] || "$here/tests/failure_digest.py" "$build_dir" || true
    exit "$rc"
    ;;
  *)
    sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//'
    exit 2
    ;;
esac
