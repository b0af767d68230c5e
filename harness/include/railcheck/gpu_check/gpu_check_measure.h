// The GPU side of gpu-check: finding the GPUs and running the checks through railcheck_cuda_kernels. Built
// from gpu_check_measure_cuda.cpp when CUDA is, else from gpu_check_measure_none.cpp (never a usable GPU).
#pragma once

#include <functional>
#include <string>

#include "railcheck/gpu_check/gpu_check_options.h"
#include "railcheck/record/gpu_check_record.h"
#include "railcheck/record/manifest.h"

namespace railcheck {

/// How many GPUs this process sees, or why none is usable.
struct GpuCheckProbe {
  int device_count = 0;
  std::string reason;  ///< empty when device_count > 0
  bool usable() const { return device_count > 0; }
};

/// Never throws.
GpuCheckProbe probe_gpu_check_devices() noexcept;

/// Name, UUID and PCI bus id of `device` for the manifest; nullopt when they cannot be read. Never throws.
std::optional<GpuDescription> describe_gpu_check_device(int device) noexcept;

/// Runs every check of gpu_check_test_keys(options.gemm_types) on `device` (of `device_count` visible), in
/// that order, handing each record to `emit` as soon as it exists; gpu.peer_copy once per other GPU (skipped
/// with a single GPU). A failing CUDA or cuBLAS call becomes kError records for the keys it covered, so it
/// never throws railcheck::Error. Blocking; takes seconds to minutes depending on the sizes.
void measure_gpu_checks(const GpuCheckOptions& options, int device, int device_count, const std::string& host,
                        const std::function<void(const GpuCheckRecord&)>& emit);

}  // namespace railcheck
