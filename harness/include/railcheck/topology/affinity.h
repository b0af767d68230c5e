// GPU-NIC affinity: how far apart two PCI devices are in the PCIe tree, in NCCL's and `nvidia-smi topo -m`'s
// classes (closest first): PIX, PXB, PHB, NODE, SYS.
#pragma once

#include <optional>
#include <string_view>

#include "railcheck/topology/pci.h"

namespace railcheck {

/// Path classes, closest first; the order is meaningful (a < b: a is closer).
enum class Affinity {
  kPix,   ///< through at most one PCIe switch: both hang below a shared bridge under the host bridge, each at
          ///< most one bridge (the switch's downstream port) below it
  kPxb,   ///< through several PCIe bridges/switches, without crossing the host bridge
  kPhb,   ///< through the PCIe host bridge (same root complex; e.g. different root ports)
  kNode,  ///< different host bridges on the same NUMA node (through the CPU's interconnect within a socket)
  kSys,   ///< different NUMA nodes (across the socket interconnect), or a placement unknown
};

/// "PIX", "PXB", "PHB", "NODE", "SYS".
std::string_view name_of(Affinity affinity);

/// The class of a name (exact, upper case); nullopt for anything else.
std::optional<Affinity> parse_affinity(std::string_view text);

/// The class of the path between two PCI devices. Rules, from the sysfs placement of each:
/// - a host bridge unknown (device not found in sysfs): SYS;
/// - different host bridges: NODE when both NUMA nodes are equal (also both unknown: one socket), else SYS;
/// - same host bridge, no shared bridge below it: PHB;
/// - a shared bridge, each device at most one bridge below the deepest shared one: PIX; otherwise PXB.
Affinity classify_affinity(const PciPlacement& a, const PciPlacement& b);

/// Whether `found` is `limit` or closer.
inline bool at_least_as_close(Affinity found, Affinity limit) { return found <= limit; }

}  // namespace railcheck
