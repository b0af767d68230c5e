// discover_gpus: the first source with GPUs wins; placements come from sysfs.
#include "railcheck/topology/gpu_source.h"

namespace railcheck {

GpuDiscovery discover_gpus(std::span<GpuSource* const> sources, const SysfsRoot& sysfs) {
  GpuDiscovery discovery;
  discovery.source = "none";
  for (GpuSource* source : sources) {
    GpuListing listing = source->list();
    if (listing.gpus.empty()) {
      discovery.reason += (discovery.reason.empty() ? "" : "; ") + source->name() + ": " + listing.reason;
      continue;
    }
    for (GpuDevice& gpu : listing.gpus) {
      if (!gpu.placement.host_bridge.empty()) continue;
      if (auto placement = pci_placement(sysfs, gpu.placement.bus_id)) gpu.placement = std::move(*placement);
    }
    discovery.gpus = std::move(listing.gpus);
    discovery.source = source->name();
    discovery.reason.clear();
    break;
  }
  return discovery;
}

}  // namespace railcheck
