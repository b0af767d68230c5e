// check-node: compares a node's topology with a hardware profile and names every part that does not match,
// with what to do about it. Pure: topology and profile in, findings out.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "railcheck/topology/node_topology.h"
#include "railcheck/topology/profile.h"

namespace railcheck {

/// One way the node differs from its profile.
struct NodeMismatch {
  std::string part;      ///< "node", "GPU 0000:9a:00.0", "NIC mlx5_3", "NIC mlx5_3 port 1", "rail 2"
  std::string check;     ///< stable key: gpu_count, gpu_model, gpu_pci_device_id, pcie_current_gen,
                         ///< pcie_max_gen, pcie_current_width, pcie_max_width, nic_count, port_state,
                         ///< phys_state, port_rate, link_layer, port_gid, rail_affinity
  std::string found;     ///< what the node has ("x8", "DOWN", "200")
  std::string expected;  ///< what the profile says ("x16", "ACTIVE", "400")
  std::string message;   ///< the whole line for a person: "<part>: <found>, expected <expected> — <what to do>"
};

/// A profile expectation that could not be compared, and why.
struct SkippedCheck {
  std::string check;   ///< as NodeMismatch::check
  std::string reason;  ///< "GPU names come from NVML; GPUs were found through sysfs"
};

struct NodeCheckResult {
  std::vector<NodeMismatch> mismatches;  ///< in order: node counts, GPUs (bus id order), NICs, rails
  std::vector<SkippedCheck> skipped;
  int compared = 0;  ///< how many single comparisons were made

  bool matches() const { return mismatches.empty(); }
};

/// Compares every expectation of `profile` with `topology`. Counts are exact; PCIe generation/width and port
/// rate are minimums; a port whose state is wrong is reported once (its rate and physical state are not
/// compared, since a down port's rate means nothing).
NodeCheckResult check_node(const NodeTopology& topology, const HardwareProfile& profile);

/// "node_check" document (results-schema/node-check.schema.json).
nlohmann::json to_json(const NodeCheckResult& result, const HardwareProfile& profile, const NodeTopology& topology);

/// The report for a person: one line per mismatch, skipped checks, and a verdict line.
std::string format_node_check(const NodeCheckResult& result, const HardwareProfile& profile,
                              const NodeTopology& topology);

}  // namespace railcheck
