#include "railcheck/topology/node_check.h"

#include <algorithm>
#include <sstream>

namespace railcheck {
namespace {

std::string number_text(double value) {
  std::ostringstream out;
  out << value;
  return out.str();
}

// The parenthesised reason of the note that starts with `prefix`: "no GPUs found (NVML: ...; sysfs: ...)" ->
// "NVML: ...; sysfs: ...".
std::string note_reason(const NodeTopology& t, const std::string& prefix) {
  for (const std::string& note : t.notes) {
    if (note.rfind(prefix, 0) != 0) continue;
    const auto open = note.find('(');
    if (open == std::string::npos || note.back() != ')') return note;
    return note.substr(open + 1, note.size() - open - 2);
  }
  return "";
}

// "(4X HDR)" from "200 Gb/sec (4X HDR)": the width and speed name, without repeating the number.
std::string rate_detail(const std::string& rate_text) {
  const auto open = rate_text.find('(');
  return open == std::string::npos ? "" : " " + rate_text.substr(open);
}

class Checker {
 public:
  explicit Checker(NodeCheckResult& result) : result_(result) {}

  // Counts one comparison; records a mismatch when `ok` is false.
  void compare(bool ok, const std::string& part, const std::string& check, const std::string& found,
               const std::string& expected, const std::string& message) {
    ++result_.compared;
    if (!ok) result_.mismatches.push_back({part, check, found, expected, message});
  }

  void skip(const std::string& check, const std::string& reason) { result_.skipped.push_back({check, reason}); }

  void count(const std::string& what, const std::string& check, int found, int expected, const std::string& none_reason,
             const std::string& fewer_fix, const std::string& none_fix) {
    std::string message = "expected " + std::to_string(expected) + " " + what + ", found " + std::to_string(found);
    if (found == 0 && !none_reason.empty()) message += " (" + none_reason + ")";
    if (found < expected) message += " — " + (found == 0 ? none_fix : fewer_fix);
    if (found > expected) message += " — more than the profile expects: is this the right profile for the node?";
    compare(found == expected, "node", check, std::to_string(found), std::to_string(expected), message);
  }

  // PCIe expectations of one device. `reseat` is the advice for a narrow link.
  void pcie(const std::string& part, const PcieLink& link, const PcieExpectation& want, const std::string& reseat) {
    struct Item {
      const std::optional<int>& expected;
      int found;
      const char* check;
      std::string found_text, expected_text, advice;
    };
    const auto gen = [](int g) { return "gen" + std::to_string(g); };
    const auto lanes = [](int w) { return "x" + std::to_string(w); };
    const Item items[] = {
        {want.current_width, link.current_width, "pcie_current_width", "PCIe link " + lanes(link.current_width),
         want.current_width ? lanes(*want.current_width) : "", reseat},
        {want.current_gen, link.current_gen, "pcie_current_gen", "PCIe link " + gen(link.current_gen),
         want.current_gen ? gen(*want.current_gen) : "",
         "the link trained slow: check the slot/riser and the BIOS PCIe speed setting"},
        {want.max_width, link.max_width, "pcie_max_width", "PCIe max width " + lanes(link.max_width),
         want.max_width ? lanes(*want.max_width) : "", "a different part than the profile describes"},
        {want.max_gen, link.max_gen, "pcie_max_gen", "PCIe max " + gen(link.max_gen),
         want.max_gen ? gen(*want.max_gen) : "", "a different part than the profile describes"},
    };
    for (const Item& item : items) {
      if (!item.expected) continue;
      if (item.found <= 0) {
        skip(item.check, part + ": the device does not report it");
        continue;
      }
      compare(item.found >= *item.expected, part, item.check, item.found_text.substr(item.found_text.rfind(' ') + 1),
              item.expected_text,
              part + ": " + item.found_text + ", profile expects " + item.expected_text + " — " + item.advice);
    }
  }

 private:
  NodeCheckResult& result_;
};

void check_gpus(Checker& c, const NodeTopology& t, const GpuExpectation& want) {
  if (want.count) {
    c.count("GPUs", "gpu_count", static_cast<int>(t.gpus.size()), *want.count, note_reason(t, "no GPUs found"),
            "a GPU fell off the bus: check dmesg/nvidia-smi, drain the node",
            "no GPU is visible: check the driver (nvidia-smi, dmesg), or the profile is for another node class");
  }
  bool model_skipped = false;
  for (const GpuDevice& gpu : t.gpus) {
    const std::string part = "GPU " + gpu.placement.bus_id;
    if (!want.model.empty()) {
      if (gpu.name.empty()) {
        if (!model_skipped)
          c.skip("gpu_model", "GPU names come from NVML; these GPUs were found through " + t.gpu_source);
        model_skipped = true;
      } else {
        c.compare(gpu.name.find(want.model) != std::string::npos, part, "gpu_model", gpu.name, want.model,
                  part + ": model '" + gpu.name + "', profile expects a name containing '" + want.model +
                      "' — a different GPU than this node class has, or the wrong profile");
      }
    }
    if (!want.pci_device_ids.empty()) {
      if (gpu.pci_device_id.empty()) {
        c.skip("gpu_pci_device_id", part + ": no PCI device id");
      } else {
        std::string ids;
        for (const std::string& id : want.pci_device_ids) ids += (ids.empty() ? "" : " or ") + id;
        const bool ok = std::find(want.pci_device_ids.begin(), want.pci_device_ids.end(), gpu.pci_device_id) !=
                        want.pci_device_ids.end();
        c.compare(ok, part, "gpu_pci_device_id", gpu.pci_device_id, ids,
                  part + ": PCI device id " + gpu.pci_device_id + ", profile expects " + ids +
                      " — a different GPU than this node class has, or the wrong profile");
      }
    }
    c.pcie(part, gpu.pcie, want.pcie, "reseat or replace the GPU/riser");
  }
}

void check_port(Checker& c, const NicDevice& nic, const NicPort& port, const NicExpectation& want) {
  const std::string part = "NIC " + nic.name + " port " + std::to_string(port.port);
  if (!want.link_layer.empty()) {
    c.compare(port.link_layer == want.link_layer, part, "link_layer", port.link_layer, want.link_layer,
              part + ": link layer " + (port.link_layer.empty() ? "unknown" : port.link_layer) + ", expected " +
                  want.link_layer + " — the port is in the wrong mode: set it with mlxconfig (LINK_TYPE_P" +
                  std::to_string(port.port) + ") and reboot");
  }
  if (!want.port_state.empty()) {
    const bool ok = port.state == want.port_state;
    const bool link_up_no_sm = port.state == "INIT" || port.state == "ARMED";
    c.compare(ok, part, "port_state", port.state, want.port_state,
              part + ": state " + (port.state.empty() ? "unknown" : port.state) +
                  (port.phys_state.empty() ? "" : " (physical " + port.phys_state + ")") + ", expected " +
                  want.port_state +
                  (link_up_no_sm ? " — the link is up but not activated: check the subnet manager (opensm/UFM)"
                                 : " — check cable and switch port"));
    if (!ok) return;  // a down port's rate and physical state say nothing more
  }
  if (!want.phys_state.empty()) {
    c.compare(port.phys_state == want.phys_state, part, "phys_state", port.phys_state, want.phys_state,
              part + ": physical state " + (port.phys_state.empty() ? "unknown" : port.phys_state) + ", expected " +
                  want.phys_state + " — check cable and switch port");
  }
  if (want.rate_gbps) {
    c.compare(port.rate_gbps >= *want.rate_gbps, part, "port_rate", number_text(port.rate_gbps),
              number_text(*want.rate_gbps),
              part + ": rate " + number_text(port.rate_gbps) + " Gb/s" + rate_detail(port.rate_text) + ", expected " +
                  number_text(*want.rate_gbps) +
                  " Gb/s — the link trained slow: check cable/transceiver and the switch port");
  }
  if (want.require_gid) {
    c.compare(port.has_gid, part, "port_gid", port.has_gid ? "present" : "none", "present",
              part +
                  ": no GID 0, expected one — the port has no address: check the subnet manager (InfiniBand) or "
                  "the interface's IP address (RoCE)");
  }
}

void check_nics(Checker& c, const NodeTopology& t, const NicExpectation& want) {
  std::vector<const NicDevice*> rdma;
  for (const NicDevice& nic : t.nics) {
    if (nic.kind == NicKind::kRdma) rdma.push_back(&nic);
  }
  if (want.count) {
    std::string none = note_reason(t, "no RDMA devices");
    c.count("RDMA NICs", "nic_count", static_cast<int>(rdma.size()), *want.count, none,
            "a NIC is missing: check dmesg for mlx5 errors and lspci, drain the node",
            "no RDMA NIC is visible: check the driver (mlx5_ib loaded?) and lspci, or the profile is for another node "
            "class");
  }
  for (const NicDevice* nic : rdma) {
    c.pcie("NIC " + nic->name, nic->pcie, want.pcie, "reseat the NIC or check its slot/riser");
    for (const NicPort& port : nic->ports) check_port(c, *nic, port, want);
  }
}

void check_rails(Checker& c, const NodeTopology& t, const RailExpectation& want) {
  if (!want.affinity) return;
  for (const RailAssignment& r : t.rails.rails) {
    const std::string part = "rail " + std::to_string(r.rail);
    const std::string limit(name_of(*want.affinity));
    c.compare(at_least_as_close(r.affinity, *want.affinity), part, "rail_affinity", std::string(name_of(r.affinity)),
              limit,
              part + " (GPU " + r.gpu + ", NIC " + r.nic + "): affinity " + std::string(name_of(r.affinity)) +
                  ", profile expects " + limit +
                  " or closer — the GPU and its NIC are farther apart than this node "
                  "class wires them: check the rail override, or which slots the cards sit in");
  }
}

}  // namespace

NodeCheckResult check_node(const NodeTopology& topology, const HardwareProfile& profile) {
  NodeCheckResult result;
  Checker checker(result);
  check_gpus(checker, topology, profile.gpus);
  check_nics(checker, topology, profile.nics);
  check_rails(checker, topology, profile.rails);
  // Counts first, then the parts.
  std::stable_partition(result.mismatches.begin(), result.mismatches.end(),
                        [](const NodeMismatch& m) { return m.part == "node"; });
  return result;
}

nlohmann::json to_json(const NodeCheckResult& result, const HardwareProfile& profile, const NodeTopology& topology) {
  nlohmann::json mismatches = nlohmann::json::array();
  for (const NodeMismatch& m : result.mismatches) {
    mismatches.push_back(
        {{"part", m.part}, {"check", m.check}, {"found", m.found}, {"expected", m.expected}, {"message", m.message}});
  }
  nlohmann::json skipped = nlohmann::json::array();
  for (const SkippedCheck& s : result.skipped) skipped.push_back({{"check", s.check}, {"reason", s.reason}});
  return {{"schema_version", "1.0"},
          {"kind", "railcheck.node_check"},
          {"profile", {{"name", profile.name}, {"file", profile.source}}},
          {"host", topology.host},
          {"matches", result.matches()},
          {"compared", result.compared},
          {"mismatches", mismatches},
          {"skipped", skipped},
          {"topology", to_json(topology)}};
}

std::string format_node_check(const NodeCheckResult& result, const HardwareProfile& profile,
                              const NodeTopology& topology) {
  std::ostringstream out;
  int rdma = 0;
  for (const NicDevice& nic : topology.nics) rdma += nic.kind == NicKind::kRdma ? 1 : 0;
  out << "# railcheck check-node: profile " << profile.name << " (" << profile.source << "), host " << topology.host
      << ", sysfs root " << topology.sysfs_root << "\n"
      << "# found " << topology.gpus.size() << " GPU(s) (source: " << topology.gpu_source << "), " << rdma
      << " RDMA NIC(s), " << topology.nics.size() - static_cast<std::size_t>(rdma) << " Ethernet NIC(s)\n";
  for (const std::string& note : topology.notes) out << "# " << note << "\n";
  for (const NodeMismatch& m : result.mismatches) out << "MISMATCH " << m.message << "\n";
  for (const SkippedCheck& s : result.skipped) out << "SKIPPED " << s.check << ": " << s.reason << "\n";
  if (result.matches()) {
    out << "# node matches profile " << profile.name << " (" << result.compared << " comparisons)\n";
  } else {
    out << "# " << result.mismatches.size() << (result.mismatches.size() == 1 ? " mismatch" : " mismatches") << " in "
        << result.compared << " comparisons: node does not match profile " << profile.name << "\n";
  }
  return out.str();
}

}  // namespace railcheck
