// probe_cuda_devices and gpu_info: what the harness asks before it chooses a backend or checks a GPU.
#include "railcheck/collectives/cuda_probe.h"

#include <cuda_runtime_api.h>

#include <array>
#include <cctype>
#include <cstdio>
#include <cstdlib>

#include "railcheck/collectives/cuda_call.h"

namespace railcheck {
namespace {

// nvidia-smi's form: GPU-8-4-4-4-12 lower-case hex digits.
std::string format_uuid(const cudaUUID_t& uuid) {
  std::string text = "GPU-";
  for (std::size_t i = 0; i < sizeof uuid.bytes; ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) text += '-';
    std::array<char, 3> hex{};
    std::snprintf(hex.data(), hex.size(), "%02x", static_cast<unsigned>(static_cast<unsigned char>(uuid.bytes[i])));
    text += hex.data();
  }
  return text;
}

}  // namespace

CudaProbe probe_cuda_devices() noexcept {
  CudaProbe probe;
  try {
    int count = 0;  // left untouched by some failures (e.g. cudaErrorInsufficientDriver)
    const cudaError_t status = cudaGetDeviceCount(&count);
    (void)cudaGetLastError();
    if (status != cudaSuccess) {
      probe.reason = "cudaGetDeviceCount: " + cuda_error_text(status);
      return probe;
    }
    if (count <= 0) {
      const char* visible = std::getenv("CUDA_VISIBLE_DEVICES");
      probe.reason = "cudaGetDeviceCount found no CUDA devices";
      if (visible != nullptr) probe.reason += std::string(" (CUDA_VISIBLE_DEVICES=") + visible + ")";
      return probe;
    }
    probe.device_count = count;
  } catch (...) {  // only std::string allocation can throw here
    probe.device_count = 0;
    try {
      probe.reason = "probe_cuda_devices: out of memory";
    } catch (...) {
    }
  }
  return probe;
}

GpuInfo gpu_info(int device) {
  cudaDeviceProp properties{};
  RC_CUDA_CALL(cudaGetDeviceProperties(&properties, device));
  std::array<char, 32> bus_id{};
  RC_CUDA_CALL(cudaDeviceGetPCIBusId(bus_id.data(), static_cast<int>(bus_id.size()), device));

  GpuInfo info;
  info.device = device;
  info.name = properties.name;
  info.uuid = format_uuid(properties.uuid);
  info.pci_bus_id = bus_id.data();
  for (char& c : info.pci_bus_id) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return info;
}

}  // namespace railcheck
