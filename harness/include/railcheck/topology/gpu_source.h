// Where GPU descriptions come from: NVML on a live node, sysfs alone (what fixtures describe), or a fake in
// tests. All of them answer the same question through GpuSource, and discover_gpus tries them in order.
#pragma once

#include <memory>
#include <span>
#include <string>
#include <vector>

#include "railcheck/topology/devices.h"
#include "railcheck/topology/nvml_library.h"
#include "railcheck/topology/sysfs_root.h"

namespace railcheck {

/// The answer of one source: GPUs, or none with the reason.
struct GpuListing {
  std::vector<GpuDevice> gpus;  ///< sorted by PCI bus id
  std::string reason;           ///< why there are none ("libnvidia-ml.so.1 not found", "no NVIDIA PCI devices");
                                ///< empty when gpus is not empty
};

/// A way to list this node's GPUs.
///
/// list() blocks while it asks its source (NVML calls, sysfs reads) and never throws for a missing capability:
/// no library, no driver or no device is an empty listing with a reason. It fills what the source knows; the
/// caller fills each GPU's placement from sysfs when the source left it empty (NVML gives no PCIe path).
class GpuSource {
 public:
  virtual ~GpuSource() = default;
  /// Short name for reasons and reports: "NVML", "sysfs".
  virtual std::string name() const = 0;
  virtual GpuListing list() = 0;
};

/// GPUs as sysfs alone shows them: PCI devices of vendor 0x10de with class 0x0302xx (3D controller) or
/// 0x0300xx (VGA), their link speeds/widths and NUMA node. No names or UUIDs.
class SysfsGpuSource final : public GpuSource {
 public:
  /// Keeps a copy of `sysfs`.
  explicit SysfsGpuSource(SysfsRoot sysfs) : sysfs_(std::move(sysfs)) {}
  std::string name() const override { return "sysfs"; }
  GpuListing list() override;

 private:
  SysfsRoot sysfs_;
};

/// GPUs through NVML (`library`, default libnvidia-ml.so.1, opened with dlopen when list() is called and
/// closed before it returns): name, UUID, PCI bus id and device id, PCIe generation/width current and max,
/// active NVLinks. Tests pass a fake library's path.
std::unique_ptr<GpuSource> make_nvml_gpu_source(std::string library = kNvmlLibraryName);

/// What discover_gpus found, and through which source.
struct GpuDiscovery {
  std::vector<GpuDevice> gpus;  ///< sorted by PCI bus id, placement filled from sysfs
  std::string source;           ///< name() of the source that found them; "none" when none did
  std::string reason;           ///< when none were found: "NVML: ...; sysfs: ..." (every source's reason)
};

/// Asks each source in order; the first that lists GPUs wins. Fills every GPU's placement from `sysfs` when
/// the source left it empty (numa_node and the PCIe path of NVML GPUs).
GpuDiscovery discover_gpus(std::span<GpuSource* const> sources, const SysfsRoot& sysfs);

}  // namespace railcheck
