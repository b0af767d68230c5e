// A stand-in libnvidia-ml for tests (named fake: no GPU runs here): the NVML entry points topology uses,
// describing two H100s (listed in reverse bus order) with 18 active NVLinks, one at PCIe x8; and the ones the
// telemetry sampler reads, with values a test scripts through fake_nvml_set_value (temperatures, clocks, the
// clock event reasons, ECC, remapped rows, PCIe replays, NVLink counters) and XID events it posts with
// fake_nvml_post_xid. nvmlInit_v2's result and the calls seen can be set and read through fake_nvml_* so tests
// cover a failed init and the init/shutdown pairing.
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstring>
#include <deque>
#include <map>
#include <mutex>
#include <string>

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

std::size_t index_of(Device device) { return reinterpret_cast<std::size_t>(device) - 1; }

// Scripted telemetry: per GPU, values by name; absent names are "not supported" (NVML_ERROR_NOT_SUPPORTED).
std::mutex telemetry_mutex;
std::map<std::string, long long> telemetry[2];
std::condition_variable xid_posted;
std::deque<std::pair<std::size_t, unsigned long long>> xids;

Return scripted(Device device, const char* name, long long* out) {
  const std::lock_guard lock(telemetry_mutex);
  const auto& values = telemetry[index_of(device)];
  const auto it = values.find(name);
  if (it == values.end()) return 3;
  *out = it->second;
  return 0;
}

}  // namespace

extern "C" {

void fake_nvml_set_init_result(int result) { init_result = result; }
void fake_nvml_set_value(int gpu, const char* name, long long value) {
  const std::lock_guard lock(telemetry_mutex);
  telemetry[gpu][name] = value;
}
void fake_nvml_clear_values() {
  const std::lock_guard lock(telemetry_mutex);
  telemetry[0].clear();
  telemetry[1].clear();
  xids.clear();
}
void fake_nvml_post_xid(int gpu, unsigned long long xid) {
  {
    const std::lock_guard lock(telemetry_mutex);
    xids.emplace_back(static_cast<std::size_t>(gpu), xid);
  }
  xid_posted.notify_all();
}
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

Return nvmlDeviceGetTemperature(Device device, int sensor, unsigned* value) {
  long long v = 0;
  const Return r = scripted(device, sensor == 0 ? "temperature" : "other sensor", &v);
  *value = static_cast<unsigned>(v);
  return r;
}
Return nvmlDeviceGetTemperatureThreshold(Device device, int threshold, unsigned* value) {
  long long v = 0;
  const Return r = scripted(device, threshold == 3 ? "temperature_max" : "other threshold", &v);
  *value = static_cast<unsigned>(v);
  return r;
}
Return nvmlDeviceGetClockInfo(Device device, int type, unsigned* value) {
  long long v = 0;
  const Return r = scripted(device, type == 1 ? "sm_clock" : "other clock", &v);
  *value = static_cast<unsigned>(v);
  return r;
}
Return nvmlDeviceGetTotalEnergyConsumption(Device device, unsigned long long* value) {
  long long v = 0;
  const Return r = scripted(device, "energy_mj", &v);
  *value = static_cast<unsigned long long>(v);
  return r;
}
Return nvmlDeviceGetCurrentClocksEventReasons(Device device, unsigned long long* value) {
  long long v = 0;
  const Return r = scripted(device, "clock_reasons", &v);
  *value = static_cast<unsigned long long>(v);
  return r;
}
Return nvmlDeviceGetTotalEccErrors(Device device, int error_type, int counter_type, unsigned long long* value) {
  long long v = 0;
  const Return r = scripted(device,
                            counter_type != 0 ? "aggregate ecc"
                            : error_type == 1 ? "ecc_uncorrected"
                                              : "ecc_corrected",
                            &v);
  *value = static_cast<unsigned long long>(v);
  return r;
}
Return nvmlDeviceGetRemappedRows(Device device, unsigned* correctable, unsigned* uncorrectable, unsigned* pending,
                                 unsigned* failure) {
  long long c = 0, u = 0, p = 0, f = 0;
  if (scripted(device, "remap_correctable", &c) != 0) return 3;
  (void)scripted(device, "remap_uncorrectable", &u);
  (void)scripted(device, "remap_pending", &p);
  (void)scripted(device, "remap_failure", &f);
  *correctable = static_cast<unsigned>(c);
  *uncorrectable = static_cast<unsigned>(u);
  *pending = static_cast<unsigned>(p);
  *failure = static_cast<unsigned>(f);
  return 0;
}
Return nvmlDeviceGetPcieReplayCounter(Device device, unsigned* value) {
  long long v = 0;
  const Return r = scripted(device, "pcie_replay", &v);
  *value = static_cast<unsigned>(v);
  return r;
}
Return nvmlDeviceGetFieldValues(Device device, int count, railcheck::nvml::FieldValue* values) {
  for (int i = 0; i < count; ++i) {
    long long v = 0;
    values[i].result = scripted(device, ("field_" + std::to_string(values[i].field_id)).c_str(), &v);
    values[i].value_type = 3;
    values[i].value.ull = static_cast<unsigned long long>(v);
  }
  return 0;
}
Return nvmlEventSetCreate(railcheck::nvml::EventSet* set) {
  *set = reinterpret_cast<railcheck::nvml::EventSet>(0x5e7);
  return 0;
}
Return nvmlDeviceRegisterEvents(Device, unsigned long long, railcheck::nvml::EventSet) { return 0; }
Return nvmlEventSetWait_v2(railcheck::nvml::EventSet, railcheck::nvml::EventData* data, unsigned timeout_ms) {
  std::unique_lock lock(telemetry_mutex);
  if (!xid_posted.wait_for(lock, std::chrono::milliseconds(timeout_ms), [] { return !xids.empty(); })) return 10;
  std::memset(data, 0, sizeof *data);
  data->device = reinterpret_cast<Device>(xids.front().first + 1);
  data->event_type = railcheck::nvml::kEventTypeXidCriticalError;
  data->event_data = xids.front().second;
  xids.pop_front();
  return 0;
}
Return nvmlEventSetFree(railcheck::nvml::EventSet) { return 0; }

}  // extern "C"
