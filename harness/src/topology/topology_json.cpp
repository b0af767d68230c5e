// to_json(NodeTopology): the topology document (results-schema/topology.schema.json).
#include "railcheck/topology/node_topology.h"

namespace railcheck {
namespace {

using nlohmann::json;

json or_null(const std::string& text) { return text.empty() ? json(nullptr) : json(text); }
json positive_or_null(int value) { return value > 0 ? json(value) : json(nullptr); }

json pcie_json(const PcieLink& link) {
  return {{"current_gen", positive_or_null(link.current_gen)},
          {"max_gen", positive_or_null(link.max_gen)},
          {"current_width", positive_or_null(link.current_width)},
          {"max_width", positive_or_null(link.max_width)}};
}

json path_json(const PciPlacement& placement) {
  return {{"host_bridge", or_null(placement.host_bridge)}, {"bridges", placement.bridges}};
}

json numa_json(const PciPlacement& placement) {
  return placement.numa_node >= 0 ? json(placement.numa_node) : json(nullptr);
}

json port_json(const NicPort& port) {
  return {{"port", port.port},
          {"state", or_null(port.state)},
          {"phys_state", or_null(port.phys_state)},
          {"rate_gbps", port.rate_gbps > 0 ? json(port.rate_gbps) : json(nullptr)},
          {"rate_text", or_null(port.rate_text)},
          {"link_layer", or_null(port.link_layer)},
          {"has_gid", port.has_gid}};
}

}  // namespace

json to_json(const NodeTopology& t) {
  json gpus = json::array();
  for (std::size_t i = 0; i < t.gpus.size(); ++i) {
    const GpuDevice& gpu = t.gpus[i];
    gpus.push_back({{"index", i},
                    {"pci_bus_id", gpu.placement.bus_id},
                    {"name", or_null(gpu.name)},
                    {"uuid", or_null(gpu.uuid)},
                    {"pci_device_id", or_null(gpu.pci_device_id)},
                    {"numa_node", numa_json(gpu.placement)},
                    {"pcie", pcie_json(gpu.pcie)},
                    {"pci_path", path_json(gpu.placement)},
                    {"nvlinks_active", gpu.nvlinks_active ? json(*gpu.nvlinks_active) : json(nullptr)},
                    {"cuda_device", gpu.cuda_device ? json(*gpu.cuda_device) : json(nullptr)}});
  }
  json nics = json::array();
  for (std::size_t i = 0; i < t.nics.size(); ++i) {
    const NicDevice& nic = t.nics[i];
    json ports = json::array();
    for (const NicPort& port : nic.ports) ports.push_back(port_json(port));
    nics.push_back({{"index", i},
                    {"name", nic.name},
                    {"kind", nic.kind == NicKind::kRdma ? "rdma" : "ethernet"},
                    {"pci_bus_id", or_null(nic.placement.bus_id)},
                    {"numa_node", numa_json(nic.placement)},
                    {"netdev", or_null(nic.netdev)},
                    {"pcie", pcie_json(nic.pcie)},
                    {"pci_path", path_json(nic.placement)},
                    {"ports", ports}});
  }
  json matrix = json::array();
  for (const auto& row : t.affinity) {
    json names = json::array();
    for (Affinity a : row) names.push_back(std::string(name_of(a)));
    matrix.push_back(names);
  }
  json assignments = json::array();
  for (const RailAssignment& r : t.rails.rails) {
    assignments.push_back(
        {{"rail", r.rail}, {"gpu", r.gpu}, {"nic", r.nic}, {"affinity", std::string(name_of(r.affinity))}});
  }
  const bool by_override = t.rails.source == RailSource::kOverride;
  return {{"schema_version", kTopologySchemaVersion},
          {"kind", "railcheck.topology"},
          {"host", t.host},
          {"sysfs_root", t.sysfs_root},
          {"gpu_source", t.gpu_source},
          {"notes", t.notes},
          {"gpus", gpus},
          {"nics", nics},
          {"affinity", matrix},
          {"rails",
           {{"source", by_override ? "override" : "auto"},
            {"rule", by_override ? "as listed in the override file" : kAutoRailRule},
            {"override_file", by_override ? json(t.rails.override_file) : json(nullptr)},
            {"assignments", assignments}}}};
}

}  // namespace railcheck
