// `railcheck gpu-check`: the single-GPU checks (HBM, fill+verify, pinned host<->device, GEMM, peer copies) on
// this process's GPU or, with --all, on every visible GPU, written as "gpu_check" records through the run's
// sinks. No MPI, so it runs one process per GPU under any launcher, or alone.
#pragma once

#include <string>

#include "railcheck/commands/command.h"
#include "railcheck/gpu_check/gpu_check_options.h"

namespace railcheck {

/// Runs the checks, one line per record (or one "SKIP" line naming the reason when no GPU is usable), writes
/// results.jsonl and results.json. Returns 0 when every record is ok or skipped (also without any GPU: the
/// records are then all skipped), 1 when a check found wrong elements or a CUDA call failed; throws InputError
/// (exit 2) for bad input (--device out of range, unwritable --output-dir).
int run_gpu_check_command(const GpuCheckOptions& options, const CommandEnv& env);

class GpuCheckCommand final : public Command {
 public:
  explicit GpuCheckCommand(CLI::App& sub);
  /// Validates and converts. Throws InputError naming the flag and the fix.
  void finish() override;
  int run(const CommandEnv& env) override { return run_gpu_check_command(options_, env); }
  const GpuCheckOptions& options() const { return options_; }

 private:
  CLI::App& sub_;
  GpuCheckOptions options_;
  int device_ = 0;
  std::string hbm_bytes_ = "1G", host_bytes_ = "256M", peer_bytes_ = "256M", gemm_types_ = "bf16,fp16,tf32,fp64";
};

CommandSpec gpu_check_command_spec();

}  // namespace railcheck
