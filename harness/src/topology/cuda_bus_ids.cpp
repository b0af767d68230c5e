// cuda_device_bus_ids: CUDA ordinal -> PCI bus id, through the CUDA runtime when railcheck is built with it.
#include "railcheck/topology/node_topology.h"
#ifdef RAILCHECK_HAVE_NCCL
#include "railcheck/collectives/nccl_collective.h"
#endif

namespace railcheck {

std::vector<std::string> cuda_device_bus_ids(std::string& reason) {
  std::vector<std::string> bus_ids;
#ifdef RAILCHECK_HAVE_NCCL
  try {
    const CudaProbe probe = probe_cuda_devices();
    if (!probe.usable()) {
      reason = probe.reason;
      return bus_ids;
    }
    for (int device = 0; device < probe.device_count; ++device) {
      bus_ids.push_back(normalize_pci_bus_id(gpu_info(device).pci_bus_id).value_or(""));
    }
  } catch (const std::exception& e) {
    reason = e.what();
    bus_ids.clear();
  }
#else
  reason = "built without CUDA";
#endif
  return bus_ids;
}

}  // namespace railcheck
