// gpu-check in a build without CUDA: no GPU is ever usable, and the reason says so.
#include "railcheck/gpu_check/gpu_check_measure.h"

namespace railcheck {

GpuCheckProbe probe_gpu_check_devices() noexcept {
  return GpuCheckProbe{0, "this railcheck was built without CUDA (no nvcc when CMake configured it)"};
}

std::optional<GpuDescription> describe_gpu_check_device(int) noexcept { return std::nullopt; }

void measure_gpu_checks(const GpuCheckOptions& options, int device, int, const std::string& host,
                        const std::function<void(const GpuCheckRecord&)>& emit) {
  for (const GpuCheckRecord& r :
       skipped_gpu_check_records(options.gemm_types, host, device, probe_gpu_check_devices().reason)) {
    emit(r);
  }
}

}  // namespace railcheck
