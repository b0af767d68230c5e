#include "railcheck/topology/nic_discovery.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <tuple>

namespace railcheck {
namespace {

constexpr const char* kInfiniband = "/sys/class/infiniband";
constexpr const char* kNet = "/sys/class/net";

bool is_number(std::string_view text) {
  return !text.empty() &&
         std::all_of(text.begin(), text.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)); });
}

bool by_bus_then_name(const NicDevice& a, const NicDevice& b) {
  return std::tie(a.placement.bus_id, a.name) < std::tie(b.placement.bus_id, b.name);
}

// Placement and link of the PCI device behind a class device's "device" link.
void read_pci_side(const SysfsRoot& sysfs, const std::string& device_link, NicDevice& nic) {
  const auto real = sysfs.resolve(device_link);
  if (!real) return;
  if (auto placement = placement_from_device_path(sysfs, *real)) {
    nic.placement = std::move(*placement);
    nic.pcie = read_pcie_link(sysfs, nic.placement.bus_id);
  }
}

NicPort read_rdma_port(const SysfsRoot& sysfs, const std::string& dir, int number) {
  NicPort port;
  port.port = number;
  port.state = port_state_name(sysfs.read_line(dir + "/state").value_or(""));
  port.phys_state = port_state_name(sysfs.read_line(dir + "/phys_state").value_or(""));
  port.rate_text = sysfs.read_line(dir + "/rate").value_or("");
  port.rate_gbps = port_rate_gbps(port.rate_text);
  port.link_layer = sysfs.read_line(dir + "/link_layer").value_or("");
  const std::string gid = sysfs.read_line(dir + "/gids/0").value_or("");
  port.has_gid = gid.find_first_not_of("0:") != std::string::npos;
  return port;
}

std::vector<NicDevice> read_rdma_devices(const SysfsRoot& sysfs, std::vector<std::string>& notes) {
  std::vector<NicDevice> nics;
  if (!sysfs.exists(kInfiniband)) {
    notes.push_back(std::string("no RDMA devices (") + kInfiniband + " missing)");
    return nics;
  }
  for (const std::string& name : sysfs.list(kInfiniband)) {
    const std::string dir = std::string(kInfiniband) + "/" + name;
    NicDevice nic;
    nic.name = name;
    nic.kind = NicKind::kRdma;
    read_pci_side(sysfs, dir + "/device", nic);
    const std::vector<std::string> netdevs = sysfs.list(dir + "/device/net");
    if (!netdevs.empty()) nic.netdev = netdevs.front();
    std::vector<int> numbers;
    for (const std::string& port : sysfs.list(dir + "/ports")) {
      if (is_number(port)) numbers.push_back(std::stoi(port));
    }
    std::sort(numbers.begin(), numbers.end());
    for (int number : numbers)
      nic.ports.push_back(read_rdma_port(sysfs, dir + "/ports/" + std::to_string(number), number));
    nics.push_back(std::move(nic));
  }
  if (nics.empty()) notes.push_back(std::string("no RDMA devices (") + kInfiniband + " is empty)");
  std::sort(nics.begin(), nics.end(), by_bus_then_name);
  return nics;
}

std::vector<NicDevice> read_ethernet_devices(const SysfsRoot& sysfs, const std::vector<NicDevice>& rdma) {
  std::vector<NicDevice> nics;
  for (const std::string& name : sysfs.list(kNet)) {
    if (name == "lo") continue;
    const std::string dir = std::string(kNet) + "/" + name;
    if (!sysfs.exists(dir + "/device")) continue;  // virtual: bridge, veth, ifb, tunnels
    const std::string type = sysfs.read_line(dir + "/type").value_or("1");
    if (type != "1") continue;  // ARPHRD_ETHER only (IPoIB is 32 and belongs to its RDMA device)
    NicDevice nic;
    nic.name = name;
    nic.kind = NicKind::kEthernet;
    read_pci_side(sysfs, dir + "/device", nic);
    if (nic.placement.bus_id.empty()) continue;  // not a PCI device
    const bool of_rdma_device = std::any_of(rdma.begin(), rdma.end(), [&](const NicDevice& r) {
      return r.placement.bus_id == nic.placement.bus_id || r.netdev == name;
    });
    if (of_rdma_device) continue;
    NicPort port;
    std::string state = sysfs.read_line(dir + "/operstate").value_or("");
    for (char& c : state) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    port.state = state;
    const std::string speed = sysfs.read_line(dir + "/speed").value_or("");
    int mbps = 0;
    if (std::from_chars(speed.data(), speed.data() + speed.size(), mbps).ec == std::errc() && mbps > 0) {
      port.rate_gbps = mbps / 1000.0;
      port.rate_text = speed + " Mb/s";
    }
    port.link_layer = "Ethernet";
    nic.ports.push_back(port);
    nics.push_back(std::move(nic));
  }
  std::sort(nics.begin(), nics.end(), by_bus_then_name);
  return nics;
}

}  // namespace

std::string port_state_name(std::string_view text) {
  const auto colon = text.find(": ");
  if (colon != std::string_view::npos && is_number(text.substr(0, colon))) text.remove_prefix(colon + 2);
  return std::string(text);
}

double port_rate_gbps(std::string_view text) {
  double rate = 0.0;
  if (std::from_chars(text.data(), text.data() + text.size(), rate).ec != std::errc()) return 0.0;
  return rate;
}

NicDiscovery discover_nics(const SysfsRoot& sysfs) {
  NicDiscovery discovery;
  discovery.nics = read_rdma_devices(sysfs, discovery.notes);
  std::vector<NicDevice> ethernet = read_ethernet_devices(sysfs, discovery.nics);
  for (NicDevice& nic : ethernet) discovery.nics.push_back(std::move(nic));
  return discovery;
}

}  // namespace railcheck
