// A node's topology: GPUs, NICs, the GPU x NIC affinity matrix and the rail map, plus plain notes on what was
// not found. Written as JSON (results-schema/topology.schema.json) for the rest of railcheck.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "railcheck/topology/devices.h"
#include "railcheck/topology/gpu_source.h"
#include "railcheck/topology/nic_discovery.h"
#include "railcheck/topology/rails.h"
#include "railcheck/topology/sysfs_root.h"

namespace railcheck {

/// topology.schema.json's schema_version ("1.<minor>": fields are added in minor versions, never renamed).
inline constexpr const char* kTopologySchemaVersion = "1.0";

struct NodeTopology {
  std::string host;                 ///< the host discovery ran on (gethostname)
  std::string sysfs_root;           ///< the root all sysfs reads went through
  std::string gpu_source = "none";  ///< "NVML", "sysfs", "none", or a fake's name in tests
  std::vector<GpuDevice> gpus;      ///< by PCI bus id
  std::vector<NicDevice> nics;      ///< RDMA NICs by bus id, then plain Ethernet NICs by bus id
  AffinityMatrix affinity;          ///< [gpu][nic]
  RailMap rails;
  std::vector<std::string> notes;  ///< "no GPUs found (NVML: ...; sysfs: ...)", "no RDMA devices (...)"

  /// No GPU and no NIC.
  bool empty() const { return gpus.empty() && nics.empty(); }
};

/// Puts a topology together from what the sources found: affinity, rails (automatic, or `rail_override`
/// applied; InputError from apply_rail_override) and notes. Pure apart from the override's errors.
NodeTopology assemble_topology(GpuDiscovery gpus, NicDiscovery nics, const RailOverride* rail_override);

/// Discovers the node under `sysfs`: GPUs through `gpu_sources` in order (see discover_gpus), NICs from sysfs.
/// `cuda_bus_ids[i]` is the PCI bus id of CUDA device i (may be empty); each GPU with a match gets
/// cuda_device. Throws InputError only for a rail override that does not fit the node.
NodeTopology discover_topology(const SysfsRoot& sysfs, std::span<GpuSource* const> gpu_sources,
                               const std::vector<std::string>& cuda_bus_ids, const RailOverride* rail_override);

/// The PCI bus ids of this process's CUDA devices by ordinal, when railcheck is built with CUDA; empty (and
/// `reason` set) when there is no CUDA or no device. Never throws.
std::vector<std::string> cuda_device_bus_ids(std::string& reason);

/// The topology document (topology.schema.json).
nlohmann::json to_json(const NodeTopology& topology);

}  // namespace railcheck
