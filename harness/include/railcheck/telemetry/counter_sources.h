// Where the telemetry's counters come from. Each source reads everything it knows into a CounterSnapshot and
// never throws: what it cannot read becomes an "unread" note, so a node without RDMA, or a file the kernel
// refuses, costs a line in the record rather than the run.
#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "railcheck/telemetry/counter_snapshot.h"
#include "railcheck/topology/sysfs_root.h"

namespace railcheck::telemetry {

class CounterSource {
 public:
  virtual ~CounterSource() = default;
  /// Adds this source's counters (and unread notes) to `into`.
  virtual void read(CounterSnapshot& into) const = 0;
};

/// Whether `name` matches one of the shell patterns (fnmatch: "docker*", "veth*", "mlx5_4").
bool matches_any(const std::string& name, const std::vector<std::string>& patterns);

/// Network interfaces through rtnetlink (RTM_GETLINK, as node_exporter's netdev collector): the
/// 64-bit statistics under their sysfs names (rx_bytes, tx_errors, rx_crc_errors, ...) and carrier_changes,
/// carrier_up_count, carrier_down_count. Netlink answers for the network namespace the process is in, which
/// /sys/class/net does not when a job enters a namespace without remounting /sys. Interfaces matching
/// `exclude` are left out.
std::unique_ptr<CounterSource> netdev_source(std::vector<std::string> exclude);

/// The host's TCP counters from /proc/net/snmp's "Tcp:" lines (RetransSegs, OutSegs, InErrs, ...), read
/// under `root` (fixture trees in tests; the process's own network namespace on "/").
std::unique_ptr<CounterSource> tcp_source(SysfsRoot root);

/// RDMA ports from /sys/class/infiniband/<dev>/ports/<n>/{counters,hw_counters}: every file holding a
/// number, as device "<dev>/<n>"; port_xmit_data and port_rcv_data are kept in bytes (the files count 4-byte
/// words). "N/A" values and unreadable files are skipped, each noted once. Devices matching `exclude` are
/// not read at all (a restricted PF floods dmesg when its counters are read).
std::unique_ptr<CounterSource> rdma_source(SysfsRoot root, std::vector<std::string> exclude);

/// GPUs through NVML, loaded with dlopen from `library` (libnvidia-ml.so.1; a test's fake): per GPU (device
/// "<NVML index>") the counters energy_mj, ecc_{un,}corrected_volatile, remapped_rows_{correctable,
/// uncorrectable}, pcie_replay, nvlink_{crc,replay,recovery}_errors, xid_events and xid_<code> (from an event set
/// a thread of its own waits on), and the gauges temperature_c, temperature_over_max_c, memory_temperature_c,
/// sm_clock_mhz, remapped_rows_{pending,failure} and clocks_event_<reason> (0 / 1: sw_power_cap, hw_slowdown,
/// sw_thermal, hw_thermal, hw_power_brake). What a GPU does not support is left out; no NVML is one note.
std::unique_ptr<CounterSource> nvml_source(const std::string& library);

/// The sources a node samples: netdev, tcp and rdma under `root` ("/" on a real node), and the GPUs through
/// `nvml_library`.
std::vector<std::unique_ptr<CounterSource>> standard_sources(const SysfsRoot& root,
                                                             const std::vector<std::string>& exclude,
                                                             const std::string& nvml_library);

}  // namespace railcheck::telemetry
