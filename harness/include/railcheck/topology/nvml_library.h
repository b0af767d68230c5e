// NVML opened at run time with dlopen: no nvml.h or libnvidia-ml is needed to build railcheck, and a node
// without the driver gets a reason instead of a link error. Only the few calls topology needs are declared,
// with the types and layouts of NVML's public API reference.
#pragma once

#include <string>

namespace railcheck {

namespace nvml {
using Return = int;  ///< nvmlReturn_t; 0 is NVML_SUCCESS
inline constexpr Return kSuccess = 0;
using Device = struct nvmlDevice_st*;            ///< nvmlDevice_t (opaque)
using EnableState = int;                         ///< nvmlEnableState_t: 0 disabled, 1 enabled
inline constexpr unsigned kMaxNvLinks = 18;      ///< NVML_NVLINK_MAX_LINKS
inline constexpr unsigned kNameBufferSize = 96;  ///< NVML_DEVICE_NAME_V2_BUFFER_SIZE
inline constexpr unsigned kUuidBufferSize = 96;  ///< >= NVML_DEVICE_UUID_V2_BUFFER_SIZE (80)

/// nvmlPciInfo_t as nvmlDeviceGetPciInfo_v3 fills it.
struct PciInfo {
  char bus_id_legacy[16];  ///< "0000:18:00.0"
  unsigned int domain;
  unsigned int bus;
  unsigned int device;
  unsigned int pci_device_id;  ///< (device id << 16) | vendor id
  unsigned int pci_subsystem_id;
  char bus_id[32];  ///< "00000000:18:00.0"
};

using InitV2 = Return (*)();
using Shutdown = Return (*)();
using ErrorString = const char* (*)(Return);
using DeviceGetCountV2 = Return (*)(unsigned int*);
using DeviceGetHandleByIndexV2 = Return (*)(unsigned int, Device*);
using DeviceGetName = Return (*)(Device, char*, unsigned int);
using DeviceGetUuid = Return (*)(Device, char*, unsigned int);
using DeviceGetPciInfoV3 = Return (*)(Device, PciInfo*);
using DeviceGetUnsigned = Return (*)(Device, unsigned int*);  ///< the PCIe link generation/width getters
using DeviceGetNvLinkState = Return (*)(Device, unsigned int, EnableState*);
using DeviceGetIndexed = Return (*)(Device, int, unsigned int*);     ///< temperature (sensor), clock (type), threshold
using DeviceGetULongLong = Return (*)(Device, unsigned long long*);  ///< energy, clock event reasons
using DeviceGetTotalEccErrors = Return (*)(Device, int, int, unsigned long long*);
using DeviceGetRemappedRows = Return (*)(Device, unsigned int*, unsigned int*, unsigned int*, unsigned int*);

/// nvmlFieldValue_t (nvmlDeviceGetFieldValues).
struct FieldValue {
  unsigned int field_id;
  unsigned int scope_id;
  long long timestamp;
  long long latency_usec;
  int value_type;  ///< nvmlValueType_t: 0 double, 1 unsigned int, 2 unsigned long, 3 unsigned long long, ...
  Return result;
  union {
    double d;
    unsigned int ui;
    unsigned long ul;
    unsigned long long ull;
    long long sll;
  } value;
};
using DeviceGetFieldValues = Return (*)(Device, int, FieldValue*);

using EventSet = struct nvmlEventSet_st*;  ///< nvmlEventSet_t (opaque)
/// nvmlEventData_t.
struct EventData {
  Device device;
  unsigned long long event_type;
  unsigned long long event_data;  ///< the XID for nvmlEventTypeXidCriticalError
  unsigned int gpu_instance_id;
  unsigned int compute_instance_id;
};
inline constexpr unsigned long long kEventTypeXidCriticalError = 0x8;
inline constexpr Return kErrorTimeout = 10;
using EventSetCreate = Return (*)(EventSet*);
using DeviceRegisterEvents = Return (*)(Device, unsigned long long, EventSet);
using EventSetWait = Return (*)(EventSet, EventData*, unsigned int);
using EventSetFree = Return (*)(EventSet);

/// The entry points, resolved with dlsym.
struct Api {
  DeviceGetCountV2 device_get_count = nullptr;                       ///< nvmlDeviceGetCount_v2
  DeviceGetHandleByIndexV2 device_get_handle_by_index = nullptr;     ///< nvmlDeviceGetHandleByIndex_v2
  DeviceGetName device_get_name = nullptr;                           ///< nvmlDeviceGetName
  DeviceGetUuid device_get_uuid = nullptr;                           ///< nvmlDeviceGetUUID
  DeviceGetPciInfoV3 device_get_pci_info = nullptr;                  ///< nvmlDeviceGetPciInfo_v3
  DeviceGetUnsigned device_get_curr_pcie_link_generation = nullptr;  ///< nvmlDeviceGetCurrPcieLinkGeneration
  DeviceGetUnsigned device_get_max_pcie_link_generation = nullptr;   ///< nvmlDeviceGetMaxPcieLinkGeneration
  DeviceGetUnsigned device_get_curr_pcie_link_width = nullptr;       ///< nvmlDeviceGetCurrPcieLinkWidth
  DeviceGetUnsigned device_get_max_pcie_link_width = nullptr;        ///< nvmlDeviceGetMaxPcieLinkWidth
  DeviceGetNvLinkState device_get_nvlink_state = nullptr;            ///< nvmlDeviceGetNvLinkState (optional: null when
                                                                     ///< the library lacks it)
  ErrorString error_string = nullptr;                                ///< nvmlErrorString (optional)
  // Telemetry (optional: null when the library lacks them; the sampler reads what there is).
  DeviceGetIndexed device_get_temperature = nullptr;              ///< nvmlDeviceGetTemperature
  DeviceGetIndexed device_get_temperature_threshold = nullptr;    ///< nvmlDeviceGetTemperatureThreshold
  DeviceGetIndexed device_get_clock_info = nullptr;               ///< nvmlDeviceGetClockInfo
  DeviceGetULongLong device_get_total_energy = nullptr;           ///< nvmlDeviceGetTotalEnergyConsumption (mJ)
  DeviceGetULongLong device_get_clocks_event_reasons = nullptr;   ///< nvmlDeviceGetCurrentClocksEventReasons,
                                                                  ///< else ...ThrottleReasons (drivers before 535)
  DeviceGetTotalEccErrors device_get_total_ecc_errors = nullptr;  ///< nvmlDeviceGetTotalEccErrors
  DeviceGetRemappedRows device_get_remapped_rows = nullptr;       ///< nvmlDeviceGetRemappedRows
  DeviceGetUnsigned device_get_pcie_replay_counter = nullptr;     ///< nvmlDeviceGetPcieReplayCounter
  DeviceGetFieldValues device_get_field_values = nullptr;         ///< nvmlDeviceGetFieldValues
  EventSetCreate event_set_create = nullptr;                      ///< nvmlEventSetCreate
  DeviceRegisterEvents device_register_events = nullptr;          ///< nvmlDeviceRegisterEvents
  EventSetWait event_set_wait = nullptr;                          ///< nvmlEventSetWait_v2, else nvmlEventSetWait
  EventSetFree event_set_free = nullptr;                          ///< nvmlEventSetFree
};
}  // namespace nvml

inline constexpr const char* kNvmlLibraryName = "libnvidia-ml.so.1";

/// An open, initialized NVML: open() loads the library with dlopen, resolves the entry points and calls
/// nvmlInit_v2; the destructor calls nvmlShutdown and dlclose (noexcept). Move-only.
///
/// A missing library, missing entry point or failed nvmlInit_v2 is not an error: ok() is false and reason()
/// says why ("libnvidia-ml.so.1 not found", "nvmlInit_v2 failed: Driver Not Loaded").
class NvmlLibrary {
 public:
  /// Blocks while the library loads and NVML initializes (can take a second on a node with many GPUs).
  static NvmlLibrary open(const char* library = kNvmlLibraryName);

  NvmlLibrary(NvmlLibrary&& other) noexcept;
  NvmlLibrary& operator=(NvmlLibrary&& other) noexcept;
  NvmlLibrary(const NvmlLibrary&) = delete;
  NvmlLibrary& operator=(const NvmlLibrary&) = delete;
  ~NvmlLibrary();

  bool ok() const { return initialized_; }
  const std::string& reason() const { return reason_; }
  /// Valid only when ok().
  const nvml::Api& api() const { return api_; }
  /// "Driver Not Loaded" through nvmlErrorString, else "NVML error <code>".
  std::string error_text(nvml::Return code) const;

 private:
  NvmlLibrary() = default;
  void close() noexcept;

  void* handle_ = nullptr;
  nvml::Shutdown shutdown_ = nullptr;
  bool initialized_ = false;
  nvml::Api api_{};
  std::string reason_;
};

}  // namespace railcheck
