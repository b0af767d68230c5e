// topo and check-node: discovery on this node (or a fixture tree), the report, the JSON, the exit code.
#include "railcheck/topology/topology_command.h"

#include <fstream>
#include <memory>
#include <optional>
#include <vector>

#include "railcheck/core/error.h"
#include "railcheck/output/sinks.h"
#include "railcheck/topology/node_check.h"
#include "railcheck/topology/node_topology.h"
#include "railcheck/topology/topology_report.h"

namespace railcheck {
namespace {

// Discovery as the commands do it: on the live root NVML first (then sysfs) and CUDA ordinals; on any other
// root sysfs only, since NVML and CUDA describe this machine, not the tree.
NodeTopology discover(const std::string& root, const std::string& rail_override_path) {
  const SysfsRoot sysfs(root);
  if (!sysfs.exists_root()) {
    throw InputError("--sysfs-root " + root + ": no such directory; give the root of a sysfs tree (default /)");
  }
  std::optional<RailOverride> rail_override;
  if (!rail_override_path.empty()) rail_override = load_rail_override(rail_override_path);
  std::vector<std::unique_ptr<GpuSource>> owned;
  std::vector<std::string> cuda_bus_ids;
  if (sysfs.is_live()) {
    owned.push_back(make_nvml_gpu_source());
    std::string cuda_reason;  // without CUDA the GPUs simply have no ordinal
    cuda_bus_ids = cuda_device_bus_ids(cuda_reason);
  }
  owned.push_back(std::make_unique<SysfsGpuSource>(sysfs));
  std::vector<GpuSource*> sources;
  for (const auto& source : owned) sources.push_back(source.get());
  return discover_topology(sysfs, sources, cuda_bus_ids, rail_override ? &*rail_override : nullptr);
}

// Writes `document` to `path` through a temporary file and a rename, so a reader never sees half of it.
void write_json(const std::string& path, const nlohmann::json& document) {
  const std::string temporary = path + ".tmp";
  {
    std::ofstream out(temporary);
    out << document.dump(2) << '\n';
    if (!out) throw InputError("--json " + path + ": cannot write; choose a writable path");
  }
  std::error_code ec;
  std::filesystem::rename(temporary, path, ec);
  if (ec) throw InputError("--json " + path + ": cannot write (" + ec.message() + "); choose a writable path");
}

int report_error(std::ostream& err, const std::exception& e) {
  err << "railcheck: error: " << e.what() << std::endl;
  return kExitHarnessError;
}

}  // namespace

int run_topo_command(const TopologyOptions& options, std::ostream& out, std::ostream& err) {
  try {
    const NodeTopology topology = discover(options.sysfs_root, options.rail_override);
    if (!options.json_path.empty()) write_json(options.json_path, to_json(topology));
    out << format_topology(topology);
    if (!options.json_path.empty()) out << "# topology JSON: " << options.json_path << "\n";
    out.flush();
    return kExitHealthy;
  } catch (const Error& e) {
    return report_error(err, e);
  }
}

int run_check_node_command(const TopologyOptions& options, std::ostream& out, std::ostream& err) {
  try {
    const HardwareProfile profile = load_profile(options.profile);
    const NodeTopology topology = discover(options.sysfs_root, options.rail_override);
    const NodeCheckResult result = check_node(topology, profile);
    if (!options.json_path.empty()) write_json(options.json_path, to_json(result, profile, topology));
    out << format_node_check(result, profile, topology);
    if (!options.json_path.empty()) out << "# check-node JSON: " << options.json_path << "\n";
    out.flush();
    return result.matches() ? kExitHealthy : kExitDegraded;
  } catch (const Error& e) {
    return report_error(err, e);
  }
}

nlohmann::json manifest_topology() noexcept {
  try {
    const NodeTopology topology = discover("/", "");
    if (topology.empty()) return nullptr;
    return to_json(topology);
  } catch (...) {  // the manifest goes without a topology rather than failing the run
    return nullptr;
  }
}

}  // namespace railcheck
