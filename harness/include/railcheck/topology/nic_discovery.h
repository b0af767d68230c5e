// NICs from sysfs: RDMA devices under /sys/class/infiniband (ports, state, rate, link layer, GID, netdev) and
// plain Ethernet netdevs under /sys/class/net that have a PCI device and no RDMA device.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "railcheck/topology/devices.h"
#include "railcheck/topology/sysfs_root.h"

namespace railcheck {

/// What NIC discovery found.
struct NicDiscovery {
  std::vector<NicDevice> nics;     ///< RDMA devices by PCI bus id, then plain Ethernet NICs by PCI bus id
  std::vector<std::string> notes;  ///< plain statements for the report: "no RDMA devices (/sys/class/infiniband
                                   ///< missing)"
};

/// Reads the NICs under `sysfs`. Never throws: missing files leave fields empty.
/// - RDMA devices: /sys/class/infiniband/<dev>/ports/<n>/{state,phys_state,rate,link_layer,gids/0}, the PCI
///   device through <dev>/device, the netdev from <dev>/device/net/*.
/// - Ethernet: /sys/class/net/<if> except lo, interfaces without a device link (virtual: bridges, veth, ifb),
///   non-PCI devices, non-Ethernet types, and the netdevs of RDMA devices; state from operstate, rate from
///   speed (Mb/s).
NicDiscovery discover_nics(const SysfsRoot& sysfs);

/// "ACTIVE" from "4: ACTIVE" (the text after "<n>: "); the text itself when it has no number.
std::string port_state_name(std::string_view text);

/// 400 from "400 Gb/sec (4X NDR)"; 0 when it does not start with a number.
double port_rate_gbps(std::string_view text);

}  // namespace railcheck
