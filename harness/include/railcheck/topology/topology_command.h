// `railcheck topo` and `railcheck check-node`: the node's topology and whether it matches its hardware
// profile. Neither needs MPI; run_app calls them before MPI starts.
#pragma once

#include <ostream>
#include <string>

#include <nlohmann/json.hpp>

namespace railcheck {

/// Options of topo and check-node (one struct: they share most flags).
struct TopologyOptions {
  std::string sysfs_root = "/";  ///< --sysfs-root: where sysfs is read from (a fixture tree in tests); NVML
                                 ///< and CUDA are only asked when this is the real "/"
  std::string json_path;         ///< --json: also write the JSON document here ("" = no file)
  std::string rail_override;     ///< --rail-override: GPU -> NIC file instead of the automatic rule
  std::string profile;           ///< --profile (check-node): the hardware profile file
};

/// topo: prints the tables to `out` and writes the topology JSON. Returns the exit code: 0 when discovery ran
/// (also when it found nothing: the report says so plainly and the JSON is empty but valid), 2 for bad input
/// (missing --sysfs-root, bad override file, unwritable --json), with one "railcheck: error: ..." line on `err`.
int run_topo_command(const TopologyOptions& options, std::ostream& out, std::ostream& err);

/// check-node: compares the node with --profile, prints every mismatch to `out`, writes the node_check JSON.
/// Returns 0 when everything matches, 1 on any mismatch, 2 for bad input (bad profile or override file,
/// missing --sysfs-root, unwritable --json) with one "railcheck: error: ..." line on `err`.
int run_check_node_command(const TopologyOptions& options, std::ostream& out, std::ostream& err);

/// This node's topology for the run manifest (sysfs "/", NVML, CUDA ordinals). null when discovery found no
/// GPU and no NIC, or failed. Never throws.
nlohmann::json manifest_topology() noexcept;

}  // namespace railcheck
