// GPUs through NVML (opened with dlopen): temperatures, SM clock, energy, the clock event reasons, ECC,
// remapped rows, PCIe replays, NVLink error counters (field values) and XID events (an event set, waited on by
// a thread of its own so a read never blocks).
#include <atomic>
#include <map>
#include <mutex>
#include <thread>

#include "railcheck/telemetry/counter_sources.h"
#include "railcheck/topology/nvml_library.h"

namespace railcheck::telemetry {
namespace {

constexpr nvml::Return kNotSupported = 3;

// nvmlDeviceGetFieldValues ids (nvml.h): the NVLink totals and the HBM temperature.
constexpr unsigned kFieldNvlinkCrcFlit = 38;
constexpr unsigned kFieldNvlinkCrcData = 45;
constexpr unsigned kFieldNvlinkReplay = 52;
constexpr unsigned kFieldNvlinkRecovery = 59;
constexpr unsigned kFieldMemoryTemp = 82;

// The clock event reason bits worth a gauge of their own (nvmlClocksEventReason*).
constexpr std::pair<unsigned long long, const char*> kReasons[] = {
    {0x4, "clocks_event_sw_power_cap"}, {0x8, "clocks_event_hw_slowdown"},     {0x20, "clocks_event_sw_thermal"},
    {0x40, "clocks_event_hw_thermal"},  {0x80, "clocks_event_hw_power_brake"},
};

std::uint64_t field_count(const nvml::FieldValue& v) {
  switch (v.value_type) {
    case 0:
      return static_cast<std::uint64_t>(v.value.d);
    case 1:
      return v.value.ui;
    case 2:
      return v.value.ul;
    case 3:
      return v.value.ull;
    default:
      return static_cast<std::uint64_t>(v.value.sll);
  }
}

class NvmlSource final : public CounterSource {
 public:
  explicit NvmlSource(const std::string& library) : nvml_(NvmlLibrary::open(library.c_str())) {
    if (!nvml_.ok()) return;
    const nvml::Api& api = nvml_.api();
    unsigned count = 0;
    if (api.device_get_count(&count) != nvml::kSuccess) return;
    for (unsigned i = 0; i < count; ++i) {
      nvml::Device device = nullptr;
      if (api.device_get_handle_by_index(i, &device) == nvml::kSuccess) devices_.push_back(device);
    }
    start_xid_events();
  }

  NvmlSource(const NvmlSource&) = delete;
  NvmlSource& operator=(const NvmlSource&) = delete;

  ~NvmlSource() override {
    stop_ = true;
    if (xid_thread_.joinable()) xid_thread_.join();
    if (events_ != nullptr && nvml_.api().event_set_free != nullptr) nvml_.api().event_set_free(events_);
  }

  void read(CounterSnapshot& into) const override {
    if (!nvml_.ok()) {
      into.unread.insert("gpu: " + nvml_.reason());
      return;
    }
    for (std::size_t i = 0; i < devices_.size(); ++i) read_gpu(i, into);
  }

 private:
  // A call's result: true when it gave a value; an error other than "not supported" is noted once.
  bool ok(nvml::Return result, std::size_t gpu, const char* call, CounterSnapshot& into) const {
    if (result == nvml::kSuccess) return true;
    if (result != kNotSupported) {
      into.unread.insert("gpu " + std::to_string(gpu) + ": " + call + ": " + nvml_.error_text(result));
    }
    return false;
  }

  void read_gpu(std::size_t index, CounterSnapshot& into) const {
    const nvml::Api& api = nvml_.api();
    const nvml::Device gpu = devices_[index];
    const DeviceKey key{"gpu", std::to_string(index)};
    unsigned value = 0;
    unsigned long long wide = 0;
    if (api.device_get_temperature && ok(api.device_get_temperature(gpu, 0, &value), index, "temperature", into)) {
      into.set_gauge(key, "temperature_c", value);
      unsigned max_operating = 0;  // NVML_TEMPERATURE_THRESHOLD_GPU_MAX
      if (api.device_get_temperature_threshold && api.device_get_temperature_threshold(gpu, 3, &max_operating) == 0) {
        into.set_gauge(key, "temperature_over_max_c", static_cast<double>(value) - max_operating);
      }
    }
    if (api.device_get_clock_info && ok(api.device_get_clock_info(gpu, 1, &value), index, "SM clock", into)) {
      into.set_gauge(key, "sm_clock_mhz", value);
    }
    if (api.device_get_total_energy && ok(api.device_get_total_energy(gpu, &wide), index, "energy", into)) {
      into.set(key, "energy_mj", wide);
    }
    if (api.device_get_clocks_event_reasons &&
        ok(api.device_get_clocks_event_reasons(gpu, &wide), index, "clock event reasons", into)) {
      for (const auto& [bit, name] : kReasons) into.set_gauge(key, name, (wide & bit) != 0 ? 1.0 : 0.0);
    }
    if (api.device_get_total_ecc_errors) {
      if (ok(api.device_get_total_ecc_errors(gpu, 1, 0, &wide), index, "uncorrected ECC", into)) {
        into.set(key, "ecc_uncorrected_volatile", wide);
      }
      if (ok(api.device_get_total_ecc_errors(gpu, 0, 0, &wide), index, "corrected ECC", into)) {
        into.set(key, "ecc_corrected_volatile", wide);
      }
    }
    unsigned correctable = 0, uncorrectable = 0, pending = 0, failure = 0;
    if (api.device_get_remapped_rows &&
        ok(api.device_get_remapped_rows(gpu, &correctable, &uncorrectable, &pending, &failure), index, "remapped rows",
           into)) {
      into.set(key, "remapped_rows_correctable", correctable);
      into.set(key, "remapped_rows_uncorrectable", uncorrectable);
      into.set_gauge(key, "remapped_rows_pending", pending);
      into.set_gauge(key, "remapped_rows_failure", failure);
    }
    if (api.device_get_pcie_replay_counter &&
        ok(api.device_get_pcie_replay_counter(gpu, &value), index, "PCIe replay counter", into)) {
      into.set(key, "pcie_replay", value);
    }
    if (api.device_get_field_values) {
      nvml::FieldValue fields[5] = {};
      const unsigned ids[5] = {kFieldNvlinkCrcFlit, kFieldNvlinkCrcData, kFieldNvlinkReplay, kFieldNvlinkRecovery,
                               kFieldMemoryTemp};
      for (int f = 0; f < 5; ++f) fields[f].field_id = ids[f];
      if (ok(api.device_get_field_values(gpu, 5, fields), index, "field values", into)) {
        if (fields[0].result == 0 && fields[1].result == 0) {
          into.set(key, "nvlink_crc_errors", field_count(fields[0]) + field_count(fields[1]));
        }
        if (fields[2].result == 0) into.set(key, "nvlink_replay_errors", field_count(fields[2]));
        if (fields[3].result == 0) into.set(key, "nvlink_recovery_errors", field_count(fields[3]));
        if (fields[4].result == 0)
          into.set_gauge(key, "memory_temperature_c", static_cast<double>(field_count(fields[4])));
      }
    }
    if (events_ != nullptr) {
      const std::lock_guard lock(xid_mutex_);
      std::uint64_t all = 0;
      if (const auto seen = xids_.find(index); seen != xids_.end()) {
        for (const auto& [xid, count] : seen->second) {
          into.set_event_count(key, "xid_" + std::to_string(xid), count);
          all += count;
        }
      }
      into.set_event_count(key, "xid_events", all);
    }
  }

  void start_xid_events() {
    const nvml::Api& api = nvml_.api();
    if (!api.event_set_create || !api.device_register_events || !api.event_set_wait || !api.event_set_free) return;
    if (api.event_set_create(&events_) != nvml::kSuccess) {
      events_ = nullptr;
      return;
    }
    bool any = false;
    for (nvml::Device device : devices_) {
      any |= api.device_register_events(device, nvml::kEventTypeXidCriticalError, events_) == nvml::kSuccess;
    }
    if (!any) return;  // no GPU reports XIDs: the set is freed by the destructor
    xid_thread_ = std::thread([this] { wait_for_xids(); });
  }

  void wait_for_xids() {
    const nvml::Api& api = nvml_.api();
    while (!stop_) {
      nvml::EventData data{};
      const nvml::Return result = api.event_set_wait(events_, &data, 500);
      if (result == nvml::kErrorTimeout) continue;
      if (result != nvml::kSuccess) {  // the driver cannot wait now: try again later, never spin
        std::this_thread::sleep_for(std::chrono::milliseconds(500));
        continue;
      }
      if ((data.event_type & nvml::kEventTypeXidCriticalError) == 0) continue;
      for (std::size_t i = 0; i < devices_.size(); ++i) {
        if (devices_[i] != data.device) continue;
        const std::lock_guard lock(xid_mutex_);
        ++xids_[i][data.event_data];
      }
    }
  }

  NvmlLibrary nvml_;
  std::vector<nvml::Device> devices_;
  nvml::EventSet events_ = nullptr;
  mutable std::mutex xid_mutex_;
  std::map<std::size_t, std::map<unsigned long long, std::uint64_t>> xids_;  ///< GPU -> XID -> events
  std::atomic<bool> stop_{false};
  std::thread xid_thread_;  ///< last: joined before anything above goes
};

}  // namespace

std::unique_ptr<CounterSource> nvml_source(const std::string& library) { return std::make_unique<NvmlSource>(library); }

}  // namespace railcheck::telemetry
