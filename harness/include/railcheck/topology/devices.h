// What discovery found on a node: GPUs and NICs, each with its PCI placement and link.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "railcheck/topology/pci.h"

namespace railcheck {

/// One GPU.
struct GpuDevice {
  std::string name;                   ///< "NVIDIA H100 80GB HBM3"; empty when the source has no names (sysfs)
  std::string uuid;                   ///< "GPU-..." as nvidia-smi prints it; empty when unknown
  std::string pci_device_id;          ///< "0x2330" (PCI device id, vendor 0x10de); empty when unknown
  PcieLink pcie;                      ///< as the source reports it (NVML or sysfs)
  PciPlacement placement;             ///< bus id, PCIe path and NUMA node (always from sysfs)
  std::optional<int> nvlinks_active;  ///< NVLinks in state active (NVML only)
  std::optional<int> cuda_device;     ///< CUDA ordinal in the process that discovered it, when CUDA was asked
};

/// Which kind of network device.
enum class NicKind {
  kRdma,      ///< an RDMA device under /sys/class/infiniband (InfiniBand, or RoCE on Ethernet)
  kEthernet,  ///< a plain Ethernet netdev under /sys/class/net with a PCI device and no RDMA device
};

/// One port of a NIC.
struct NicPort {
  int port = 1;            ///< port number (RDMA ports count from 1)
  std::string state;       ///< RDMA: "ACTIVE", "DOWN", "INIT", "ARMED" (from "4: ACTIVE"); Ethernet: operstate
                           ///< upper-cased ("UP", "DOWN"); "" unknown
  std::string phys_state;  ///< RDMA: "LinkUp", "Polling", "Disabled" (from "5: LinkUp"); "" for Ethernet
  double rate_gbps = 0.0;  ///< 400 from "400 Gb/sec (4X NDR)"; Ethernet: speed (Mb/s) / 1000; 0 unknown
  std::string rate_text;   ///< the rate as sysfs writes it
  std::string link_layer;  ///< "InfiniBand" or "Ethernet"
  bool has_gid = false;    ///< RDMA: gids/0 exists and is not all zeros
};

/// One NIC: an RDMA device or a plain Ethernet netdev.
struct NicDevice {
  std::string name;  ///< "mlx5_0", or the netdev ("enp1s0f0") for plain Ethernet
  NicKind kind = NicKind::kRdma;
  std::string netdev;  ///< the network interface of an RDMA device ("ibp25s0"); "" when none
  PciPlacement placement;
  PcieLink pcie;
  std::vector<NicPort> ports;
};

}  // namespace railcheck
