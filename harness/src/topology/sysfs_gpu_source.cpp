// GpuSource from sysfs alone: NVIDIA display/3D controllers under /sys/bus/pci/devices.
#include "railcheck/topology/gpu_source.h"

namespace railcheck {

GpuListing SysfsGpuSource::list() {
  GpuListing listing;
  constexpr const char* kDevices = "/sys/bus/pci/devices";
  if (!sysfs_.exists(kDevices)) {
    listing.reason = std::string(kDevices) + " missing";
    return listing;
  }
  for (const std::string& entry : sysfs_.list(kDevices)) {
    const std::string dir = std::string(kDevices) + "/" + entry + "/";
    if (sysfs_.read_line(dir + "vendor").value_or("") != "0x10de") continue;
    const std::string pci_class = sysfs_.read_line(dir + "class").value_or("");
    if (pci_class.rfind("0x0302", 0) != 0 && pci_class.rfind("0x0300", 0) != 0) continue;  // 3D / VGA controller
    const auto bus_id = normalize_pci_bus_id(entry);
    if (!bus_id) continue;
    GpuDevice gpu;
    gpu.pci_device_id = sysfs_.read_line(dir + "device").value_or("");
    gpu.pcie = read_pcie_link(sysfs_, entry);
    gpu.placement = pci_placement(sysfs_, entry).value_or(PciPlacement{});
    gpu.placement.bus_id = *bus_id;
    listing.gpus.push_back(std::move(gpu));
  }
  if (listing.gpus.empty()) listing.reason = "no NVIDIA PCI devices";
  return listing;  // list() is sorted: directory names are bus ids, and list() sorts them
}

}  // namespace railcheck
