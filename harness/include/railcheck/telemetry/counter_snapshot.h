// Counter snapshots and the growth between them: what every telemetry source reads into, and how a window
// of reads becomes a TelemetryRecord's deltas. Counters only grow; one that goes backwards was reset (a driver
// reload, a port reset, `ethtool -S` clears) or wrapped, and its growth counts from the new value instead of
// turning into a huge unsigned difference.
#pragma once

#include <compare>
#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "railcheck/record/telemetry_record.h"

namespace railcheck::telemetry {

/// A device as the telemetry knows it: which source read it and its name there.
struct DeviceKey {
  std::string source;  ///< "netdev", "tcp", "rdma"
  std::string device;  ///< "eth0", "mlx5_0/1", "" (host-wide)
  auto operator<=>(const DeviceKey&) const = default;
};

/// Every counter one read saw, by device and name.
struct CounterSnapshot {
  std::map<DeviceKey, std::map<std::string, std::uint64_t>> counters;
  /// Values that go up and down (temperatures, clocks, a throttle bit as 0 / 1): summarized, never differenced.
  std::map<DeviceKey, std::map<std::string, double>> gauges;
  std::set<std::string> unread;  ///< what could not be read this time ("rdma: no /sys/class/infiniband")

  void set(const DeviceKey& device, const std::string& name, std::uint64_t value) { counters[device][name] = value; }
  void set_gauge(const DeviceKey& device, const std::string& name, double value) { gauges[device][name] = value; }
  /// A count the source keeps itself from 0 (XID events by code): absent from an earlier read means 0 then, so
  /// its first appearance is growth, not a starting value.
  void set_event_count(const DeviceKey& device, const std::string& name, std::uint64_t value) {
    set(device, name, value);
    counted_from_zero.insert({device, name});
  }
  std::set<std::pair<DeviceKey, std::string>> counted_from_zero;
};

/// The growth of every counter over a sequence of snapshots (a window), folded one read at a time so that a
/// reset between two reads loses at most what grew between them.
class CounterGrowth {
 public:
  /// The window's first snapshot: what later reads are measured from.
  explicit CounterGrowth(CounterSnapshot first);

  /// Folds the next read in: each counter's increase since the previous read (its new value when it went
  /// backwards, and the counter is noted as reset). A counter or device absent from an earlier read starts
  /// at this read's value (an event count, set_event_count, at 0); one that vanished keeps its growth so far.
  /// `step` is what the rank was doing when `next` was read: a counter other than traffic that grows for the
  /// first time is noted with it (TelemetryDevice::first_grew_in).
  void add(const CounterSnapshot& next, const std::string& step = "");

  /// The window so far as the record's devices (sources in order netdev, tcp, rdma; devices by name; only
  /// counters that grew) and the unread notes of every read.
  std::vector<TelemetryDevice> devices() const;
  std::vector<std::string> unread() const { return {unread_.begin(), unread_.end()}; }
  /// Every read's gauges are summarized, the first snapshot's too.
  /// Reads folded in after the first.
  int reads() const { return reads_; }

 private:
  CounterSnapshot last_;
  std::map<DeviceKey, std::map<std::string, std::uint64_t>> growth_;
  std::map<DeviceKey, std::set<std::string>> resets_;
  std::map<DeviceKey, std::map<std::string, std::string>> first_grew_in_;
  struct GaugeRun {
    GaugeSummary summary;
    int run = 0;  ///< consecutive non-zero reads up to the last
  };
  std::map<DeviceKey, std::map<std::string, GaugeRun>> gauges_;
  void add_gauges(const CounterSnapshot& read);
  std::set<std::string> unread_;
  int reads_ = 0;
};

}  // namespace railcheck::telemetry
