#include <arpa/inet.h>

#include <algorithm>
#include <cstdio>

#include "railcheck/collectives/verbs_transport.h"
#include "verbs_connection.h"

namespace railcheck {

std::string gid_text(const std::array<std::uint8_t, 16>& gid) {
  char text[INET6_ADDRSTRLEN] = {};
  inet_ntop(AF_INET6, gid.data(), text, sizeof text);
  return text;
}

std::vector<NicInfo> verbs_devices(const std::shared_ptr<VerbsApi>& api, const VerbsOptions& options,
                                   std::string* reason) {
  const VerbsDeviceList list = VerbsDeviceList::open(api);
  std::vector<NicInfo> found;
  if (list.size() == 0) {
    if (reason) *reason = list.reason();
    return found;
  }
  std::string skipped;
  for (int i = 0; i < list.size(); ++i) {
    const std::string name = api->device_name(list.at(i));
    const auto wanted = std::find(options.devices.begin(), options.devices.end(), name);
    if (!options.devices.empty() && wanted == options.devices.end()) continue;
    PortAddress port;
    try {
      VerbsContext context(api, RC_VERBS_CALL(name, api->open_device(list.at(i))), name);
      port = query_port_address(*api, context.get(), name, static_cast<std::uint8_t>(options.port), options.gid_index);
    } catch (const InputError&) {
      throw;                    // a bad -x is the user's to fix, not a skip
    } catch (const Error& e) {  // one broken device or a missing port is a skip of that device, not a failure
      skipped += std::string(e.what()) + "; ";
      continue;
    }
    if (port.state != IBV_PORT_ACTIVE) {
      skipped += name + " port " + std::to_string(options.port) + " is not ACTIVE; ";
      continue;
    }
    NicInfo nic;
    nic.name = name;
    if (port.link_layer == LinkLayer::kInfiniBand) {
      char lid[16];
      std::snprintf(lid, sizeof lid, "lid 0x%04x", port.lid);
      nic.address = lid;
    } else {
      nic.address = gid_text(port.gid) + " (gid " + std::to_string(port.gid_index) + ")";
    }
    const char* path = list.at(i)->ibdev_path;
    if (path && *path) nic.pci_path = std::string(path) + "/device";
    found.push_back(nic);
  }
  if (!options.devices.empty()) {
    std::stable_sort(found.begin(), found.end(), [&](const NicInfo& a, const NicInfo& b) {
      return std::find(options.devices.begin(), options.devices.end(), a.name) <
             std::find(options.devices.begin(), options.devices.end(), b.name);
    });
  }
  if (found.empty() && reason) {
    *reason = "no usable RDMA device: " + std::to_string(list.size()) + " found, none " +
              (options.devices.empty() ? std::string("with an ACTIVE port") : "named by -d with an ACTIVE port") +
              (skipped.empty() ? "" : " (" + skipped.substr(0, skipped.size() - 2) + ")");
  }
  return found;
}

}  // namespace railcheck
