// What the telemetry sampler saw on one host over one window ("kind": "telemetry"; results-schema $defs/
// telemetry_record): the counters that grew (netdev statistics and carrier changes, TCP retransmits, RDMA port
// counters) while a test ran, or over a soak's interval. The analysis judges them (telemetry_rules.h) and
// cites them as the explanation of a dip.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace railcheck {

/// A gauge (a temperature, a clock, one bit of the clock event reasons as 0 / 1) over the window's reads.
struct GaugeSummary {
  double min = 0.0;
  double max = 0.0;
  int longest_nonzero_run = 0;  ///< most consecutive reads at a non-zero value (a throttle bit held on)
  int reads = 0;
  bool operator==(const GaugeSummary&) const = default;
};

/// One device's counters over the window.
struct TelemetryDevice {
  std::string source;  ///< "netdev" (an interface), "tcp" (the host's TCP stack), "rdma" (an RDMA port), "gpu"
  std::string device;  ///< "eth0", "mlx5_0/1" (device/port), "0" (NVML's GPU index); "" for the host-wide tcp
                       ///< counters
  /// How much each counter grew over the window (a counter that went backwards, reset or wrapped, counts
  /// from its new value); only counters that grew are kept.
  std::map<std::string, std::uint64_t> deltas;
  std::vector<std::string> resets;  ///< counters seen going backwards during the window
  /// For counters other than traffic: the step (runner, bisection or p2p round) they first grew in, when the
  /// sampler saw it ("p2p first round 2"); "" when it grew between steps.
  std::map<std::string, std::string> first_grew_in;
  std::map<std::string, GaugeSummary> gauges;  ///< gpu: temperatures, clocks, clock event reasons, pending remaps
};

struct TelemetryRecord {
  std::string host;
  int rank = 0;                          ///< the rank that sampled (one per host: its local rank 0)
  std::string window;                    ///< what ran: the test's name, or "interval 3" in a soak
  int ticks = 0;                         ///< periodic reads folded into the window besides its first and last snapshot
  std::vector<TelemetryDevice> devices;  ///< sources in order netdev, tcp, rdma; devices sorted
  std::vector<std::string> unread;       ///< what could not be read, each once: "rdma: no /sys/class/infiniband"
  double start_unix_s = 0.0;
  double end_unix_s = 0.0;
  std::optional<int> interval;  ///< a soak's interval (0-based); unset outside a soak
};

/// The record as results.json keeps it, with "kind": "telemetry".
nlohmann::json to_json(const TelemetryRecord& record);

/// The record read back (what to_json wrote). Throws std::invalid_argument naming the missing field.
TelemetryRecord telemetry_record_from_json(const nlohmann::json& json);

/// Whether a device's counter other than traffic (bytes, packets) grew, or one was reset: what the console
/// shows an operator. The host-wide TCP counters alone are not trouble (retransmits grow with ordinary
/// congestion); they are listed when something else is.
bool shows_trouble(const TelemetryRecord& record);

/// "node2 during all_reduce: eth0 carrier_changes +2, rx_bytes +1.2e+09; tcp RetransSegs +310": the counters
/// that grew, at most `most` of them, error counters first. No newline.
std::string format_telemetry_line(const TelemetryRecord& record, std::size_t most = 6);

}  // namespace railcheck
