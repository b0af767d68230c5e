#include "railcheck/topology/nvml_library.h"

#include <dlfcn.h>

#include <utility>

namespace railcheck {
namespace {

template <typename Function>
bool resolve(void* handle, const char* symbol, Function& out) {
  out = reinterpret_cast<Function>(dlsym(handle, symbol));
  return out != nullptr;
}

}  // namespace

NvmlLibrary NvmlLibrary::open(const char* library) {
  NvmlLibrary nvml;
  nvml.handle_ = dlopen(library, RTLD_NOW | RTLD_LOCAL);
  if (nvml.handle_ == nullptr) {
    const char* error = dlerror();
    const std::string text = error ? error : "";
    nvml.reason_ = text.find("No such file") != std::string::npos || text.empty()
                       ? std::string(library) + " not found"
                       : "cannot load " + std::string(library) + ": " + text;
    return nvml;
  }
  nvml::Api& api = nvml.api_;
  nvml::InitV2 init = nullptr;
  struct Required {
    const char* symbol;
    bool found;
  };
  const Required required[] = {
      {"nvmlInit_v2", resolve(nvml.handle_, "nvmlInit_v2", init)},
      {"nvmlShutdown", resolve(nvml.handle_, "nvmlShutdown", nvml.shutdown_)},
      {"nvmlDeviceGetCount_v2", resolve(nvml.handle_, "nvmlDeviceGetCount_v2", api.device_get_count)},
      {"nvmlDeviceGetHandleByIndex_v2",
       resolve(nvml.handle_, "nvmlDeviceGetHandleByIndex_v2", api.device_get_handle_by_index)},
      {"nvmlDeviceGetName", resolve(nvml.handle_, "nvmlDeviceGetName", api.device_get_name)},
      {"nvmlDeviceGetUUID", resolve(nvml.handle_, "nvmlDeviceGetUUID", api.device_get_uuid)},
      {"nvmlDeviceGetPciInfo_v3", resolve(nvml.handle_, "nvmlDeviceGetPciInfo_v3", api.device_get_pci_info)},
      {"nvmlDeviceGetCurrPcieLinkGeneration",
       resolve(nvml.handle_, "nvmlDeviceGetCurrPcieLinkGeneration", api.device_get_curr_pcie_link_generation)},
      {"nvmlDeviceGetMaxPcieLinkGeneration",
       resolve(nvml.handle_, "nvmlDeviceGetMaxPcieLinkGeneration", api.device_get_max_pcie_link_generation)},
      {"nvmlDeviceGetCurrPcieLinkWidth",
       resolve(nvml.handle_, "nvmlDeviceGetCurrPcieLinkWidth", api.device_get_curr_pcie_link_width)},
      {"nvmlDeviceGetMaxPcieLinkWidth",
       resolve(nvml.handle_, "nvmlDeviceGetMaxPcieLinkWidth", api.device_get_max_pcie_link_width)},
  };
  resolve(nvml.handle_, "nvmlDeviceGetNvLinkState", api.device_get_nvlink_state);
  resolve(nvml.handle_, "nvmlErrorString", api.error_string);
  resolve(nvml.handle_, "nvmlDeviceGetTemperature", api.device_get_temperature);
  resolve(nvml.handle_, "nvmlDeviceGetTemperatureThreshold", api.device_get_temperature_threshold);
  resolve(nvml.handle_, "nvmlDeviceGetClockInfo", api.device_get_clock_info);
  resolve(nvml.handle_, "nvmlDeviceGetTotalEnergyConsumption", api.device_get_total_energy);
  if (!resolve(nvml.handle_, "nvmlDeviceGetCurrentClocksEventReasons", api.device_get_clocks_event_reasons)) {
    resolve(nvml.handle_, "nvmlDeviceGetCurrentClocksThrottleReasons", api.device_get_clocks_event_reasons);
  }
  resolve(nvml.handle_, "nvmlDeviceGetTotalEccErrors", api.device_get_total_ecc_errors);
  resolve(nvml.handle_, "nvmlDeviceGetRemappedRows", api.device_get_remapped_rows);
  resolve(nvml.handle_, "nvmlDeviceGetPcieReplayCounter", api.device_get_pcie_replay_counter);
  resolve(nvml.handle_, "nvmlDeviceGetFieldValues", api.device_get_field_values);
  resolve(nvml.handle_, "nvmlEventSetCreate", api.event_set_create);
  resolve(nvml.handle_, "nvmlDeviceRegisterEvents", api.device_register_events);
  if (!resolve(nvml.handle_, "nvmlEventSetWait_v2", api.event_set_wait)) {
    resolve(nvml.handle_, "nvmlEventSetWait", api.event_set_wait);
  }
  resolve(nvml.handle_, "nvmlEventSetFree", api.event_set_free);
  for (const Required& entry : required) {
    if (!entry.found) {
      nvml.reason_ = std::string(library) + " lacks " + entry.symbol + " (driver too old?)";
      return nvml;
    }
  }
  const nvml::Return status = init();
  if (status != nvml::kSuccess) {
    nvml.reason_ = "nvmlInit_v2 failed: " + nvml.error_text(status);
    return nvml;
  }
  nvml.initialized_ = true;
  return nvml;
}

std::string NvmlLibrary::error_text(nvml::Return code) const {
  if (api_.error_string != nullptr) {
    if (const char* text = api_.error_string(code)) return text;
  }
  return "NVML error " + std::to_string(code);
}

NvmlLibrary::NvmlLibrary(NvmlLibrary&& other) noexcept
    : handle_(std::exchange(other.handle_, nullptr)),
      shutdown_(std::exchange(other.shutdown_, nullptr)),
      initialized_(std::exchange(other.initialized_, false)),
      api_(std::exchange(other.api_, {})),
      reason_(std::move(other.reason_)) {}

NvmlLibrary& NvmlLibrary::operator=(NvmlLibrary&& other) noexcept {
  if (this != &other) {
    close();
    handle_ = std::exchange(other.handle_, nullptr);
    shutdown_ = std::exchange(other.shutdown_, nullptr);
    initialized_ = std::exchange(other.initialized_, false);
    api_ = std::exchange(other.api_, {});
    reason_ = std::move(other.reason_);
  }
  return *this;
}

NvmlLibrary::~NvmlLibrary() { close(); }

void NvmlLibrary::close() noexcept {
  if (initialized_ && shutdown_ != nullptr) (void)shutdown_();  // nothing useful to do with a failed shutdown
  initialized_ = false;
  if (handle_ != nullptr) dlclose(handle_);
  handle_ = nullptr;
}

}  // namespace railcheck
