// This node's topology as the commands and the run manifest read it: on the live root NVML first (then
// sysfs) and CUDA ordinals; on any other root (a fixture tree) sysfs only.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "railcheck/topology/node_topology.h"

namespace railcheck {

/// Discovers the node under `sysfs_root`, with the GPU -> NIC file at `rail_override_path` ("" none). Throws
/// InputError for a missing root or a bad override file.
NodeTopology discover_local_node(const std::string& sysfs_root, const std::string& rail_override_path);

/// This node's topology for the run manifest (sysfs "/", NVML, CUDA ordinals). null when discovery found no
/// GPU and no NIC, or failed. Never throws.
nlohmann::json manifest_topology() noexcept;

/// The GPUs this node shows (NVML, else sysfs) as {"gpus": N, "source": ..., "pci_bus_ids": [...], "note": why
/// none}. A failed discovery is 0 GPUs with the reason in "note". Never throws.
nlohmann::json local_gpu_inventory() noexcept;

}  // namespace railcheck
