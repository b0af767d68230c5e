#!/usr/bin/env bash
# railcheck setup: installs what railcheck needs (Debian/Ubuntu apt), builds it, then runs the quick suite or
# the tests. The README's quick start and .ci/run both use this script.
#
#   ./setup.sh run [railcheck run args...]  install, build, run the quick suite on local ranks:
#                                           one rank per GPU when GPUs are visible, else 4 ranks on the MPI host backend
#   ./setup.sh test [ctest args...]         install, build, run every test (ctest; cluster tests need root)
#   ./setup.sh deps | build                 only install, or only install and build
#
# Environment: BUILD_DIR (default ./build), RAILCHECK_RANKS (ranks for `run`), CMAKE_ARGS (extra configure flags).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
build_dir="${BUILD_DIR:-$here/build}"

packages=(
  build-essential cmake ninja-build git pkg-config
  openmpi-bin libopenmpi-dev libpmix-dev
  libibverbs-dev rdma-core ibverbs-utils
  nlohmann-json3-dev libcli11-dev libgtest-dev libgmock-dev libbenchmark-dev
  python3 python3-jsonschema
  iproute2 iperf3 nftables procps psmisc slurm-wlm munge
)

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
    echo "setup.sh: need root (or sudo) to install: ${packages[*]}" >&2; exit 2; fi
}

install_deps() {
  local missing=()
  for p in "${packages[@]}"; do
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
  test)
    install_deps; build
    cd "$build_dir"
    exec ctest --output-on-failure "$@"
    ;;
  *)
    sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'
    exit 2
    ;;
esac
