#include "railcheck/topology/local_discovery.h"

#include <memory>
#include <optional>
#include <vector>

#include "railcheck/core/error.h"

namespace railcheck {

// Discovery as the commands do it: on the live root NVML first (then sysfs) and CUDA ordinals; on any other
// root sysfs only, since NVML and CUDA describe this machine, not the tree.
NodeTopology discover_local_node(const std::string& root, const std::string& rail_override_path) {
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

nlohmann::json manifest_topology() noexcept {
  try {
    const NodeTopology topology = discover_local_node("/", "");
    if (topology.empty()) return nullptr;
    return to_json(topology);
  } catch (...) {  // the manifest goes without a topology rather than failing the run
    return nullptr;
  }
}

nlohmann::json local_gpu_inventory() noexcept {
  try {
    const NodeTopology topology = discover_local_node("/", "");
    nlohmann::json ids = nlohmann::json::array();
    for (const GpuDevice& gpu : topology.gpus) ids.push_back(gpu.placement.bus_id);
    std::string note;
    if (topology.gpus.empty()) {
      for (const std::string& line : topology.notes) {
        if (line.find("GPU") != std::string::npos) note += (note.empty() ? "" : "; ") + line;
      }
      if (note.empty()) note = "no GPU found";
    }
    return {{"gpus", topology.gpus.size()}, {"source", topology.gpu_source}, {"pci_bus_ids", ids}, {"note", note}};
  } catch (const std::exception& e) {
    return {{"gpus", 0},
            {"source", "none"},
            {"pci_bus_ids", nlohmann::json::array()},
            {"note", std::string("GPU discovery failed: ") + e.what()}};
  }
}

}  // namespace railcheck
