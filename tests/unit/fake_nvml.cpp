// A stand-in libnvidia-ml for tests: the NVML entry points topology uses, describing two H100s (listed in
// reverse bus order) with 18 active NVLinks, one at PCIe x8. nvmlInit_v2's result and the calls seen can be
// set and read through fake_nvml_* so tests cover a failed init and the init/shutdown pairing.
#include <cstdio>
#include <cstring>

#include "railcheck/topology/nvml_library.h"

namespace {

using railcheck::nvml::Device;
using railcheck::nvml::Return;

int init_result = 0;
int inits = 0;
int shutdowns = 0;

struct FakeGpu {
  const char* name;
  const char* uuid;
  unsigned bus;
  unsigned width;
};
const FakeGpu kGpus[] = {
    {"NVIDIA H100 80GB HBM3", "GPU-9a9a9a9a-0000-0000-0000-000000000000", 0x9a, 8},
    {"NVIDIA H100 80GB HBM3", "GPU-18181818-0000-0000-0000-000000000000", 0x18, 16},
};

const FakeGpu* gpu_of(Device device) {
  const auto index = reinterpret_cast<std::size_t>(device) - 1;
  return index < 2 ? &kGpus[index] : nullptr;
}

}  // namespace

extern "C" {

void fake_nvml_set_init_result(int result) { init_result = result; }
int fake_nvml_inits() { return inits; }
int fake_nvml_shutdowns() { return shutdowns; }

Return nvmlInit_v2() {
  ++inits;
  return init_result;
}
Return nvmlShutdown() {
  ++shutdowns;
  return 0;
}
const char* nvmlErrorString(Return result) { return result == 9 ? "Driver Not Loaded" : "Unknown Error"; }
Return nvmlDeviceGetCount_v2(unsigned* count) {
  *count = 2;
  return 0;
}
Return nvmlDeviceGetHandleByIndex_v2(unsigned index, Device* device) {
  if (index >= 2) return 2;
  *device = reinterpret_cast<Device>(static_cast<std::size_t>(index) + 1);
  return 0;
}
Return nvmlDeviceGetName(Device device, char* name, unsigned length) {
  std::snprintf(name, length, "%s", gpu_of(device)->name);
  return 0;
}
Return nvmlDeviceGetUUID(Device device, char* uuid, unsigned length) {
  std::snprintf(uuid, length, "%s", gpu_of(device)->uuid);
  return 0;
}
Return nvmlDeviceGetPciInfo_v3(Device device, railcheck::nvml::PciInfo* pci) {
  std::memset(pci, 0, sizeof *pci);
  pci->bus = gpu_of(device)->bus;
  pci->pci_device_id = 0x233010de;
  std::snprintf(pci->bus_id, sizeof pci->bus_id, "00000000:%02X:00.0", pci->bus);
  return 0;
}
Return nvmlDeviceGetCurrPcieLinkGeneration(Device, unsigned* value) {
  *value = 1;  // idle GPUs drop their link speed
  return 0;
}
Return nvmlDeviceGetMaxPcieLinkGeneration(Device, unsigned* value) {
  *value = 5;
  return 0;
}
Return nvmlDeviceGetCurrPcieLinkWidth(Device device, unsigned* value) {
  *value = gpu_of(device)->width;
  return 0;
}
Return nvmlDeviceGetMaxPcieLinkWidth(Device, unsigned* value) {
  *value = 16;
  return 0;
}
Return nvmlDeviceGetNvLinkState(Device, unsigned link, railcheck::nvml::EnableState* active) {
  if (link >= railcheck::nvml::kMaxNvLinks) return 2;
  *active = 1;
  return 0;
}

}  // extern "C"
