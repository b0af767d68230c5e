#include <arpa/inet.h>
#include <ifaddrs.h>
#include <net/if.h>

#include <algorithm>
#include <fstream>
#include <memory>

#include "railcheck/collectives/tcp_transport.h"
#include "socket_fd.h"

namespace railcheck {

bool Ipv4Subnet::contains(std::uint32_t address) const {
  const std::uint32_t mask = prefix == 0 ? 0 : ~std::uint32_t{0} << (32 - prefix);
  return (address & mask) == (network & mask);
}

std::optional<Ipv4Subnet> parse_subnet(const std::string& text) {
  const auto slash = text.find('/');
  if (slash == std::string::npos) return std::nullopt;
  in_addr address{};
  if (inet_pton(AF_INET, text.substr(0, slash).c_str(), &address) != 1) return std::nullopt;
  const std::string bits = text.substr(slash + 1);
  if (bits.empty() || bits.size() > 2 || !std::all_of(bits.begin(), bits.end(), ::isdigit)) return std::nullopt;
  const int prefix = std::stoi(bits);
  if (prefix > 32) return std::nullopt;
  return Ipv4Subnet{ntohl(address.s_addr), prefix};
}

std::vector<NicInfo> tcp_devices(const TcpDeviceFilter& filter) {
  std::optional<Ipv4Subnet> subnet;
  if (!filter.subnet.empty()) {
    subnet = parse_subnet(filter.subnet);
    if (!subnet) throw InputError("--subnet '" + filter.subnet + "' is not an IPv4 subnet; write it as 10.77.0.0/24");
  }
  ifaddrs* raw = nullptr;
  RC_SYS_CALL(::getifaddrs(&raw));
  const std::unique_ptr<ifaddrs, void (*)(ifaddrs*)> list(raw, &::freeifaddrs);
  std::vector<NicInfo> found;
  for (const ifaddrs* entry = raw; entry; entry = entry->ifa_next) {
    if (!entry->ifa_addr || entry->ifa_addr->sa_family != AF_INET || !(entry->ifa_flags & IFF_UP)) continue;
    const std::string name = entry->ifa_name;
    const bool named = std::find(filter.ifnames.begin(), filter.ifnames.end(), name) != filter.ifnames.end();
    if (!filter.ifnames.empty() && !named) continue;
    const auto* address = reinterpret_cast<const sockaddr_in*>(entry->ifa_addr);
    const std::uint32_t host_order = ntohl(address->sin_addr.s_addr);
    if (subnet && !subnet->contains(host_order)) continue;
    if ((entry->ifa_flags & IFF_LOOPBACK) && !named && !subnet) continue;
    NicInfo nic;
    nic.name = name;
    char text[INET_ADDRSTRLEN] = {};
    inet_ntop(AF_INET, &address->sin_addr, text, sizeof text);
    nic.address = text;
    std::ifstream speed("/sys/class/net/" + name + "/speed");
    if (!(speed >> nic.speed_mbps) || nic.speed_mbps <= 0) nic.speed_mbps = -1;
    found.push_back(nic);
  }
  if (!filter.ifnames.empty()) {
    std::stable_sort(found.begin(), found.end(), [&](const NicInfo& a, const NicInfo& b) {
      return std::find(filter.ifnames.begin(), filter.ifnames.end(), a.name) <
             std::find(filter.ifnames.begin(), filter.ifnames.end(), b.name);
    });
  }
  return found;
}

}  // namespace railcheck
