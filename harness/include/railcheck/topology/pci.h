// PCI devices as sysfs shows them: bus ids, the PCIe link each trained at, and where each sits in the PCIe
// tree (host bridge, the bridges above it, NUMA node), which is what GPU-NIC affinity is computed from.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "railcheck/topology/sysfs_root.h"

namespace railcheck {

/// A PCIe link: the generation and lane count it trained at now, and the most the device supports.
/// 0 means unknown (file missing or unreadable).
struct PcieLink {
  int current_gen = 0;    ///< 1..6 from current_link_speed (2.5, 5, 8, 16, 32, 64 GT/s)
  int max_gen = 0;        ///< from max_link_speed
  int current_width = 0;  ///< lanes, from current_link_width
  int max_width = 0;      ///< from max_link_width
};

/// Where a PCI device sits in the PCIe tree.
struct PciPlacement {
  std::string bus_id;                ///< "0000:18:00.0": domain:bus:device.function, lower-case hex
  std::string host_bridge;           ///< "pci0000:15": the host bridge (root complex) it hangs from; "" unknown
  std::vector<std::string> bridges;  ///< bus ids of the PCI bridges from the host bridge down to the device,
                                     ///< the root port first, the device itself not included
  int numa_node = -1;                ///< from numa_node; -1 unknown (as the kernel writes it)
};

/// Whether `text` has the form "dddd:bb:dd.f" (hex digits).
bool is_pci_bus_id(std::string_view text);

/// A bus id in sysfs's form: "00000000:1B:00.0" (NVML) -> "0000:1b:00.0". nullopt when it is not one.
std::optional<std::string> normalize_pci_bus_id(std::string_view text);

/// The PCIe generation of a link speed as sysfs writes it ("32.0 GT/s PCIe", "8 GT/s", "2.5 GT/s"); nullopt
/// for anything else ("Unknown", "").
std::optional<int> pcie_gen_from_speed(std::string_view text);

/// Placement from a resolved sysfs device path such as
/// "/sys/devices/pci0000:15/0000:15:01.0/0000:16:00.0/0000:17:00.0/0000:18:00.0" (or a path below a PCI
/// device, such as ".../0000:00:03.0/virtio2": the deepest bus id is the device). numa_node is read from the
/// device's directory. nullopt when the path holds no PCI device.
std::optional<PciPlacement> placement_from_device_path(const SysfsRoot& sysfs, const std::string& device_path);

/// Placement of the PCI device `bus_id`, through /sys/bus/pci/devices/<bus_id>; nullopt when it is missing.
std::optional<PciPlacement> pci_placement(const SysfsRoot& sysfs, const std::string& bus_id);

/// The link of PCI device `bus_id` from /sys/bus/pci/devices/<bus_id>/{current,max}_link_{speed,width}.
PcieLink read_pcie_link(const SysfsRoot& sysfs, const std::string& bus_id);

/// "gen5 x16", "gen? x16" for unknown parts.
std::string format_link(int gen, int width);

}  // namespace railcheck
