// topo and check-node: discovery on this node (or a fixture tree), the report, the JSON, the exit code.
#include "railcheck/commands/topology/topology_command.h"

#include <fstream>
#include <memory>
#include <optional>
#include <vector>

#include "railcheck/core/error.h"
#include "railcheck/core/exit_codes.h"
#include "railcheck/output/atomic_file.h"
#include "railcheck/topology/local_discovery.h"
#include "railcheck/topology/node_check.h"
#include "railcheck/topology/node_topology.h"
#include "railcheck/topology/topology_report.h"

namespace railcheck {
namespace {

// Written whole or not at all: a reader never sees half of it.
void write_json(const std::string& path, const nlohmann::json& document) {
  if (const std::string error = write_file_atomically(path, document.dump(2) + "\n"); !error.empty()) {
    throw InputError("--json " + path + ": " + error + "; choose a writable path");
  }
}

}  // namespace

int run_topo_command(const TopologyOptions& options, const CommandEnv& env) {
  const NodeTopology topology = discover_local_node(options.sysfs_root, options.rail_override);
  if (!options.json_path.empty()) write_json(options.json_path, to_json(topology));
  env.out << format_topology(topology);
  if (!options.json_path.empty()) env.out << "# topology JSON: " << options.json_path << "\n";
  env.out.flush();
  return kExitHealthy;
}

int run_check_node_command(const TopologyOptions& options, const CommandEnv& env) {
  const HardwareProfile profile = load_profile(options.profile);
  const NodeTopology topology = discover_local_node(options.sysfs_root, options.rail_override);
  const NodeCheckResult result = check_node(topology, profile);
  if (!options.json_path.empty()) write_json(options.json_path, to_json(result, profile, topology));
  env.out << format_node_check(result, profile, topology);
  if (!options.json_path.empty()) env.out << "# check-node JSON: " << options.json_path << "\n";
  env.out.flush();
  return result.matches() ? kExitHealthy : kExitDegraded;
}

}  // namespace railcheck
