#include "railcheck/topology/topology_report.h"

#include <algorithm>
#include <sstream>

namespace railcheck {
namespace {

std::string numa_text(const PciPlacement& p) { return p.numa_node >= 0 ? std::to_string(p.numa_node) : "-"; }
std::string or_dash(const std::string& text) { return text.empty() ? "-" : text; }

std::string rate_text(double gbps) {
  if (gbps <= 0) return "-";
  std::ostringstream out;
  out << gbps << " Gb/s";
  return out.str();
}

std::string gpu_label(const GpuDevice& gpu) {
  if (!gpu.name.empty()) return gpu.name;
  return gpu.pci_device_id.empty() ? "-" : "[10de:" + gpu.pci_device_id.substr(gpu.pci_device_id.rfind('x') + 1) + "]";
}

void gpu_table(std::ostream& out, const NodeTopology& t) {
  out << "GPUs (" << t.gpus.size() << ", from " << t.gpu_source << ")\n";
  std::vector<std::vector<std::string>> rows{
      {"GPU", "bus id", "name", "numa", "pcie now", "pcie max", "nvlinks", "cuda"}};
  for (std::size_t i = 0; i < t.gpus.size(); ++i) {
    const GpuDevice& g = t.gpus[i];
    rows.push_back({std::to_string(i), g.placement.bus_id, gpu_label(g), numa_text(g.placement),
                    format_link(g.pcie.current_gen, g.pcie.current_width),
                    format_link(g.pcie.max_gen, g.pcie.max_width),
                    g.nvlinks_active ? std::to_string(*g.nvlinks_active) : "-",
                    g.cuda_device ? std::to_string(*g.cuda_device) : "-"});
  }
  out << format_columns(rows);
}

void nic_table(std::ostream& out, const NodeTopology& t) {
  out << "NICs (" << t.nics.size() << ")\n";
  std::vector<std::vector<std::string>> rows{{"NIC", "name", "kind", "bus id", "numa", "netdev", "pcie now", "pcie max",
                                              "port", "state", "phys", "rate", "link layer", "gid"}};
  for (std::size_t i = 0; i < t.nics.size(); ++i) {
    const NicDevice& n = t.nics[i];
    std::vector<std::string> row{std::to_string(i),
                                 n.name,
                                 n.kind == NicKind::kRdma ? "rdma" : "ethernet",
                                 or_dash(n.placement.bus_id),
                                 numa_text(n.placement),
                                 or_dash(n.netdev),
                                 format_link(n.pcie.current_gen, n.pcie.current_width),
                                 format_link(n.pcie.max_gen, n.pcie.max_width)};
    if (n.ports.empty()) {
      row.insert(row.end(), {"-", "-", "-", "-", "-", "-"});
      rows.push_back(row);
    }
    for (std::size_t p = 0; p < n.ports.size(); ++p) {
      const NicPort& port = n.ports[p];
      std::vector<std::string> line = p == 0 ? row : std::vector<std::string>(row.size(), "");
      line.insert(line.end(),
                  {std::to_string(port.port), or_dash(port.state), or_dash(port.phys_state), rate_text(port.rate_gbps),
                   or_dash(port.link_layer), n.kind == NicKind::kRdma ? (port.has_gid ? "yes" : "no") : "-"});
      rows.push_back(line);
    }
  }
  out << format_columns(rows);
}

void affinity_table(std::ostream& out, const NodeTopology& t) {
  out << "Affinity (GPU x NIC)\n";
  std::vector<std::string> header{""};
  for (const NicDevice& n : t.nics) header.push_back(n.name);
  std::vector<std::vector<std::string>> rows{header};
  for (std::size_t g = 0; g < t.gpus.size(); ++g) {
    std::vector<std::string> row{"GPU" + std::to_string(g)};
    for (Affinity a : t.affinity[g]) row.emplace_back(name_of(a));
    rows.push_back(row);
  }
  out << format_columns(rows)
      << "  Legend: PIX = at most one PCIe switch between them; PXB = several PCIe bridges, same host bridge;\n"
         "          PHB = through the PCIe host bridge; NODE = different host bridges, same NUMA node;\n"
         "          SYS = across NUMA nodes (the socket interconnect)\n";
}

// Words of `text` in lines of at most `width` characters, each starting with `prefix`.
std::string wrap(const std::string& text, const std::string& prefix, std::size_t width) {
  std::istringstream words(text);
  std::string word, line = prefix, result;
  while (words >> word) {
    if (line.size() > prefix.size() && line.size() + 1 + word.size() > width) {
      result += line + '\n';
      line = prefix;
    }
    line += (line.size() > prefix.size() ? " " : "") + word;
  }
  return result + line + '\n';
}

void rail_table(std::ostream& out, const NodeTopology& t) {
  if (t.rails.source == RailSource::kOverride) {
    out << "Rails (from " << t.rails.override_file << ")\n";
  } else {
    out << "Rails (automatic)\n" << wrap(kAutoRailRule, "  # ", 110);
  }
  std::vector<std::vector<std::string>> rows{{"rail", "GPU", "bus id", "NIC", "affinity"}};
  for (const RailAssignment& r : t.rails.rails) {
    const auto g =
        std::find_if(t.gpus.begin(), t.gpus.end(), [&](const GpuDevice& d) { return d.placement.bus_id == r.gpu; });
    rows.push_back(
        {std::to_string(r.rail), std::to_string(g - t.gpus.begin()), r.gpu, r.nic, std::string(name_of(r.affinity))});
  }
  out << format_columns(rows);
}

}  // namespace

std::string format_columns(const std::vector<std::vector<std::string>>& rows, const std::string& indent) {
  std::vector<std::size_t> widths;
  for (const auto& row : rows) {
    if (widths.size() < row.size()) widths.resize(row.size(), 0);
    for (std::size_t c = 0; c < row.size(); ++c) widths[c] = std::max(widths[c], row[c].size());
  }
  std::string text;
  for (const auto& row : rows) {
    std::string line = indent;
    for (std::size_t c = 0; c < row.size(); ++c) {
      line += row[c];
      if (c + 1 < row.size()) line += std::string(widths[c] - row[c].size() + 2, ' ');
    }
    while (!line.empty() && line.back() == ' ') line.pop_back();
    text += line + '\n';
  }
  return text;
}

std::string format_topology(const NodeTopology& t) {
  std::ostringstream out;
  out << "# railcheck topo: host " << t.host << ", sysfs root " << t.sysfs_root << "\n";
  for (const std::string& note : t.notes) out << "# " << note << "\n";
  if (!t.gpus.empty()) {
    out << "\n";
    gpu_table(out, t);
  }
  if (!t.nics.empty()) {
    out << "\n";
    nic_table(out, t);
  }
  if (!t.gpus.empty() && !t.nics.empty()) {
    out << "\n";
    affinity_table(out, t);
    out << "\n";
    rail_table(out, t);
  }
  return out.str();
}

}  // namespace railcheck
