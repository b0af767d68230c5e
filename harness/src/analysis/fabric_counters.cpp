#include "railcheck/analysis/fabric_counters.h"

#include <array>
#include <map>
#include <optional>
#include <string_view>

#include "field_reader.h"
#include "railcheck/analysis/component.h"
#include "railcheck/record/record_kinds.h"

namespace railcheck::analysis {
namespace {

struct CounterKind {
  std::string_view source, counter;
  bool receive_side;  ///< counted on what the NIC received (the cable's leaf -> NIC direction)
};

constexpr std::array kLinkErrorCounters = {
    CounterKind{"rdma", "symbol_error", true},
    CounterKind{"rdma", "port_rcv_errors", true},
    CounterKind{"rdma", "port_rcv_remote_physical_errors", true},
    CounterKind{"rdma", "local_link_integrity_errors", true},
    CounterKind{"rdma", "link_error_recovery", false},
    CounterKind{"rdma", "link_downed", false},
    CounterKind{"netdev", "rx_crc_errors", true},
    CounterKind{"netdev", "rx_frame_errors", true},
    CounterKind{"netdev", "carrier_changes", false},
};

const CounterKind* link_error_kind(const std::string& source, const std::string& counter) {
  for (const CounterKind& kind : kLinkErrorCounters) {
    if (kind.source == source && kind.counter == counter) return &kind;
  }
  return nullptr;
}

/// "node1/mlx5_0" -> {"node1", "mlx5_0"}; a switch port ("leaf1:4") has none.
std::optional<std::pair<std::string, std::string>> nic_end(const std::string& end) {
  if (end.find(':') != std::string::npos) return std::nullopt;
  const auto slash = end.find('/');
  if (slash == std::string::npos || slash == 0 || slash + 1 == end.size()) return std::nullopt;
  return std::pair{end.substr(0, slash), end.substr(slash + 1)};
}

bool is_device_of(const std::string& source, const std::string& device, const std::string& nic) {
  if (source != "rdma" && source != "netdev") return false;
  return device == nic || (source == "rdma" && device.starts_with(nic + "/"));
}

struct NicCounters {
  bool read = false;                   ///< a device of the NIC was read during a fabric test
  std::vector<std::string> errors;     ///< "mlx5_0/1 symbol_error +412 during fabric_rdma"
  bool receive_errors = false;         ///< any of them counted on the receive side
  std::set<std::string> devices_read;  ///< "rdma mlx5_0/1"
};

/// The NIC's counters over the fabric tests' telemetry windows, from the records (kind "telemetry"; results
/// schema $defs/telemetry_record, already validated by telemetry_findings()).
NicCounters counters_of(const std::string& host, const std::string& nic, const nlohmann::json& records,
                        const std::set<std::string>& fabric_tests) {
  NicCounters out;
  for (std::size_t i = 0; i < records.size(); ++i) {
    const nlohmann::json& record = records[i];
    if (!record.is_object() || !is_kind(record.value("kind", ""), LineType::kTelemetry)) continue;
    const FieldReader r(record, "records[" + std::to_string(i) + "]");
    const std::string window = r.optional_string("window", "");
    if (r.string("host") != host || !fabric_tests.contains(window)) continue;
    const nlohmann::json& devices = r.get("devices");
    if (!devices.is_array()) r.fail("devices", "not an array");
    for (std::size_t d = 0; d < devices.size(); ++d) {
      const FieldReader dev(devices[d], r.path() + ".devices[" + std::to_string(d) + "]");
      const std::string source = dev.string("source");
      const std::string device = dev.string("device");
      if (!is_device_of(source, device, nic)) continue;
      out.read = true;
      out.devices_read.insert(source + " " + device);
      const nlohmann::json& deltas = dev.get("deltas");
      if (!deltas.is_object()) dev.fail("deltas", "not an object");
      for (const auto& [counter, value] : deltas.items()) {
        const CounterKind* kind = link_error_kind(source, counter);
        if (kind == nullptr || !value.is_number() || value.get<double>() <= 0) continue;
        out.errors.push_back(device + " " + counter + " +" + format_number(value.get<double>()) + " during " + window);
        out.receive_errors |= kind->receive_side;
      }
    }
  }
  return out;
}

}  // namespace

bool is_link_error_counter(const std::string& source, const std::string& counter) {
  return link_error_kind(source, counter) != nullptr;
}

void add_nic_link_counter_findings(std::vector<Finding>& findings, const nlohmann::json& records,
                                   const std::set<std::string>& fabric_tests) {
  std::vector<Finding> added;
  std::set<ComponentId> done;
  for (const Finding& f : findings) {
    if (f.component.kind != ComponentKind::kFabricLink || f.status != VerdictStatus::kFail) continue;
    if (!done.insert(f.component).second) continue;
    const auto from_nic = nic_end(f.component.host);
    const auto to_nic = nic_end(f.component.peer_host);
    const auto& end = from_nic ? from_nic : to_nic;
    if (!end) continue;
    const auto& [host, nic] = *end;
    const NicCounters counters = counters_of(host, nic, records, fabric_tests);
    if (!counters.read) continue;
    const std::string switch_port = from_nic ? f.component.peer_host : f.component.host;
    Finding split;
    split.component = f.component;
    Evidence& e = split.evidence;
    e.source = "counters";
    e.metric = "fabric.bw link_errors";
    e.direction = "a_to_b";
    e.refs = counters.errors;
    e.expected_from =
        "the NIC end's counters during the fabric test (" +
        format_list({counters.devices_read.begin(), counters.devices_read.end()}, counters.devices_read.size(), ", ") +
        ")";
    if (!counters.errors.empty()) {
      split.status = VerdictStatus::kFail;
      e.measured = static_cast<double>(counters.errors.size());
      e.text = label(f.component) + ": the cable, its transceivers or the port " + switch_port + ", not " + host +
               "'s NIC: " + host + " " + nic + " counted link errors (" +
               format_list(counters.errors, counters.errors.size(), ", ") + ")" +
               (from_nic && counters.receive_errors
                    ? "; they were received from " + switch_port + ", so the cable's other direction errs too"
                    : "");
    } else {
      split.status = VerdictStatus::kPass;
      e.text = label(f.component) + ": " + host + " " + nic +
               " counted no link errors during the fabric test; the NIC or its cable: the counters of " + switch_port +
               " (`perfquery -x <its LID> <port>`) split them: errors there point at the cable, " +
               "none at the NIC (or swap the cable)";
    }
    added.push_back(std::move(split));
  }
  findings.insert(findings.end(), std::make_move_iterator(added.begin()), std::make_move_iterator(added.end()));
}

}  // namespace railcheck::analysis
