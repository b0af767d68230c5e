// `railcheck gpu-check`: the single-GPU checks (HBM, fill+verify, pinned host<->device, GEMM, peer copies) on
// this process's GPU or, with --all, on every visible GPU, written as "gpu_check" records. No MPI: run_app
// calls it before MPI starts, so it can run one process per GPU under any launcher, or alone.
#pragma once

#include <ostream>
#include <string>

#include "railcheck/gpu_check/gpu_check_options.h"

namespace railcheck {

/// Runs the checks, prints one line per record (or one "SKIP" line naming the reason when no GPU is usable) to
/// `out`, writes results.jsonl and results.json. Returns the exit code: 0 when every record is ok or skipped
/// (also without any GPU: the records are then all skipped), 1 when a check found wrong elements or a CUDA call
/// failed, 2 for bad input (--device out of range, unwritable --output-dir) with one "railcheck: error:" line
/// on `err`. `command_line` goes into the manifest.
int run_gpu_check_command(const GpuCheckOptions& options, const std::string& command_line, std::ostream& out,
                          std::ostream& err);

}  // namespace railcheck
