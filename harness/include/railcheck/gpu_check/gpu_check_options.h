// Options of `railcheck gpu-check`: which GPUs, buffer sizes, GEMM shape and types, iterations.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

namespace railcheck {

/// GEMM type names gpu-check accepts, in the order it runs them.
inline const std::vector<std::string>& gemm_type_names() {
  static const std::vector<std::string> names = {"bf16", "fp16", "tf32", "fp64"};
  return names;
}

struct GpuCheckOptions {
  std::string output_dir;                 ///< --output-dir: where results.jsonl and results.json go ("" = default
                                          ///< railcheck-results/<utc time>-gpu-check-pid<pid>); under a launcher with
                                          ///< several processes each writes to <output_dir>/rank<N>
  std::optional<int> device;              ///< --device: CUDA ordinal to check (default: the launcher's local rank
                                          ///< modulo the visible GPUs, or 0 outside a launcher)
  bool all_devices = false;               ///< --all: check every visible GPU from this one process
  std::size_t hbm_bytes = 1ull << 30;     ///< --hbm-bytes: buffer of the HBM and fill+verify checks
  std::size_t host_bytes = 256ull << 20;  ///< --host-bytes: pinned buffer of the host<->device checks
  std::size_t peer_bytes = 256ull << 20;  ///< --peer-bytes: buffer of the SM-driven peer copies
  int gemm_size = 8192;                   ///< --gemm-size: m = n = k of every GEMM
  std::vector<std::string> gemm_types = gemm_type_names();  ///< --gemm-types: a subset, any order
  int iters = 20;  ///< -n: timed iterations per check (after one untimed warm-up)
};

}  // namespace railcheck
