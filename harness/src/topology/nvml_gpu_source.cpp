// GpuSource through NVML (dlopen'd for the duration of one list() call).
#include <algorithm>
#include <array>
#include <cstdio>

#include "railcheck/topology/gpu_source.h"
#include "railcheck/topology/nvml_library.h"

namespace railcheck {
namespace {

int query_unsigned(nvml::DeviceGetUnsigned call, nvml::Device device) {
  unsigned int value = 0;
  return call(device, &value) == nvml::kSuccess ? static_cast<int>(value) : 0;
}

std::optional<int> active_nvlinks(const nvml::Api& api, nvml::Device device) {
  if (api.device_get_nvlink_state == nullptr) return std::nullopt;
  int active = 0;
  bool any_answer = false;
  for (unsigned link = 0; link < nvml::kMaxNvLinks; ++link) {
    nvml::EnableState state = 0;
    if (api.device_get_nvlink_state(device, link, &state) != nvml::kSuccess) continue;
    any_answer = true;
    if (state != 0) ++active;
  }
  return any_answer ? std::optional<int>(active) : std::nullopt;
}

class NvmlGpuSource final : public GpuSource {
 public:
  explicit NvmlGpuSource(std::string library) : library_(std::move(library)) {}
  std::string name() const override { return "NVML"; }

  GpuListing list() override {
    GpuListing listing;
    const NvmlLibrary nvml = NvmlLibrary::open(library_.c_str());
    if (!nvml.ok()) {
      listing.reason = nvml.reason();
      return listing;
    }
    const nvml::Api& api = nvml.api();
    unsigned int count = 0;
    if (const nvml::Return status = api.device_get_count(&count); status != nvml::kSuccess) {
      listing.reason = "nvmlDeviceGetCount_v2 failed: " + nvml.error_text(status);
      return listing;
    }
    for (unsigned int index = 0; index < count; ++index) {
      nvml::Device device = nullptr;
      if (api.device_get_handle_by_index(index, &device) != nvml::kSuccess) continue;  // e.g. GPU lost
      nvml::PciInfo pci{};
      if (api.device_get_pci_info(device, &pci) != nvml::kSuccess) continue;
      GpuDevice gpu;
      std::array<char, 32> bus_id{};
      std::snprintf(bus_id.data(), bus_id.size(), "%04x:%02x:%02x.0", pci.domain, pci.bus, pci.device);
      gpu.placement.bus_id = bus_id.data();
      std::array<char, 8> device_id{};
      std::snprintf(device_id.data(), device_id.size(), "0x%04x", pci.pci_device_id >> 16);
      gpu.pci_device_id = device_id.data();
      std::array<char, nvml::kNameBufferSize> name{};
      if (api.device_get_name(device, name.data(), name.size()) == nvml::kSuccess) gpu.name = name.data();
      std::array<char, nvml::kUuidBufferSize> uuid{};
      if (api.device_get_uuid(device, uuid.data(), uuid.size()) == nvml::kSuccess) gpu.uuid = uuid.data();
      gpu.pcie.current_gen = query_unsigned(api.device_get_curr_pcie_link_generation, device);
      gpu.pcie.max_gen = query_unsigned(api.device_get_max_pcie_link_generation, device);
      gpu.pcie.current_width = query_unsigned(api.device_get_curr_pcie_link_width, device);
      gpu.pcie.max_width = query_unsigned(api.device_get_max_pcie_link_width, device);
      gpu.nvlinks_active = active_nvlinks(api, device);
      listing.gpus.push_back(std::move(gpu));
    }
    std::sort(listing.gpus.begin(), listing.gpus.end(),
              [](const GpuDevice& a, const GpuDevice& b) { return a.placement.bus_id < b.placement.bus_id; });
    if (listing.gpus.empty()) listing.reason = count == 0 ? "NVML sees no GPUs" : "no GPU answered NVML";
    return listing;
  }

 private:
  std::string library_;
};

}  // namespace

std::unique_ptr<GpuSource> make_nvml_gpu_source(std::string library) {
  return std::make_unique<NvmlGpuSource>(std::move(library));
}

}  // namespace railcheck
