// What this process's CUDA runtime says about its GPUs: how many are usable (or why none is), and who each is.
// Used before a backend is chosen and by `railcheck gpu-check`.
#pragma once

#include <string>

namespace railcheck {

/// What cudaGetDeviceCount says about this process's GPUs.
struct CudaProbe {
  int device_count = 0;  ///< devices visible to this process (after CUDA_VISIBLE_DEVICES)
  std::string reason;    ///< why none is usable, e.g. "cudaGetDeviceCount: CUDA driver version is insufficient
                         ///< for CUDA runtime version (35)"; empty when device_count > 0
  bool usable() const { return device_count > 0; }
};

/// Counts the visible CUDA devices. Never throws: no driver, no device or a broken driver all come back as
/// device_count == 0 with a reason, so the caller can skip the GPU checks with that reason.
CudaProbe probe_cuda_devices() noexcept;

/// Identity of one CUDA device, for records and for matching GPUs to NICs by PCIe topology.
struct GpuInfo {
  int device = -1;         ///< CUDA device ordinal in this process
  std::string name;        ///< e.g. "NVIDIA H100 80GB HBM3"
  std::string uuid;        ///< "GPU-xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx", as nvidia-smi prints it
  std::string pci_bus_id;  ///< "0000:1b:00.0": domain:bus:device.function, lower-case hex as in sysfs
};

/// Queries device `device` (cudaGetDeviceProperties, cudaDeviceGetPCIBusId). Throws Error on failure.
GpuInfo gpu_info(int device);

}  // namespace railcheck
