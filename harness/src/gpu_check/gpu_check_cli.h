// The `railcheck gpu-check` subcommand for cli.cpp's CLI11 parser (private to the harness).
#pragma once

#include <string>

#include "railcheck/gpu_check/gpu_check_options.h"

namespace CLI {
class App;
}

namespace railcheck {

/// Raw flag text of `railcheck gpu-check`, turned into GpuCheckOptions after parsing.
class GpuCheckCli {
 public:
  /// Adds "gpu-check" to `app`; this object must outlive parsing.
  CLI::App* add(CLI::App& app);
  /// Validates and converts. Throws InputError naming the flag and the fix.
  GpuCheckOptions finish() const;

 private:
  CLI::App* sub_ = nullptr;
  GpuCheckOptions options_;
  int device_ = 0;
  std::string hbm_bytes_ = "1G", host_bytes_ = "256M", peer_bytes_ = "256M", gemm_types_ = "bf16,fp16,tf32,fp64";
};

}  // namespace railcheck
