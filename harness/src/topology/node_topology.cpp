#include "railcheck/topology/node_topology.h"

#include "railcheck/core/launcher_env.h"

namespace railcheck {

NodeTopology assemble_topology(GpuDiscovery gpus, NicDiscovery nics, const RailOverride* rail_override) {
  NodeTopology topology;
  const std::string host = host_name();
  topology.host = host == "unknown" ? "" : host;
  topology.gpu_source = gpus.source;
  topology.gpus = std::move(gpus.gpus);
  topology.nics = std::move(nics.nics);
  if (topology.gpus.empty()) topology.notes.push_back("no GPUs found (" + gpus.reason + ")");
  for (std::string& note : nics.notes) topology.notes.push_back(std::move(note));
  topology.affinity = affinity_matrix(topology.gpus, topology.nics);
  topology.rails = rail_override ? apply_rail_override(*rail_override, topology.gpus, topology.nics, topology.affinity)
                                 : assign_rails(topology.gpus, topology.nics, topology.affinity);
  return topology;
}

NodeTopology discover_topology(const SysfsRoot& sysfs, std::span<GpuSource* const> gpu_sources,
                               const std::vector<std::string>& cuda_bus_ids, const RailOverride* rail_override) {
  GpuDiscovery gpus = discover_gpus(gpu_sources, sysfs);
  for (GpuDevice& gpu : gpus.gpus) {
    for (std::size_t ordinal = 0; ordinal < cuda_bus_ids.size(); ++ordinal) {
      if (cuda_bus_ids[ordinal] == gpu.placement.bus_id) gpu.cuda_device = static_cast<int>(ordinal);
    }
  }
  NodeTopology topology = assemble_topology(std::move(gpus), discover_nics(sysfs), rail_override);
  topology.sysfs_root = sysfs.root().string();
  return topology;
}

}  // namespace railcheck
