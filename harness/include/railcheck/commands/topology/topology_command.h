// `railcheck topo` and `railcheck check-node`: the node's topology and whether it matches its hardware
// profile. Neither needs MPI.
#pragma once

#include <string>

#include "railcheck/commands/command.h"

namespace railcheck {

/// Options of topo and check-node (one struct: they share most flags).
struct TopologyOptions {
  std::string sysfs_root = "/";  ///< --sysfs-root: where sysfs is read from (a fixture tree in tests); NVML
                                 ///< and CUDA are only asked when this is the real "/"
  std::string json_path;         ///< --json: also write the JSON document here ("" = no file)
  std::string rail_override;     ///< --rail-override: GPU -> NIC file instead of the automatic rule
  std::string profile;           ///< --profile (check-node): the hardware profile file
};

/// topo: prints the tables and writes the topology JSON. Returns 0 when discovery ran (also when it found
/// nothing: the report says so plainly and the JSON is empty but valid); throws InputError (exit 2) for bad
/// input (missing --sysfs-root, bad override file, unwritable --json).
int run_topo_command(const TopologyOptions& options, const CommandEnv& env);

/// check-node: compares the node with --profile, prints every mismatch, writes the node_check JSON. Returns 0
/// when everything matches, 1 on any mismatch; throws InputError (exit 2) for bad input (bad profile or
/// override file, missing --sysfs-root, unwritable --json).
int run_check_node_command(const TopologyOptions& options, const CommandEnv& env);

CommandSpec topo_command_spec();
CommandSpec check_node_command_spec();

}  // namespace railcheck
