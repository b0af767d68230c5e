// Rails: which NIC each GPU sends through. Assigned from PCIe affinity by a fixed rule, or read from an
// override file (results-schema/rail-override.schema.json) for sites that wire rails differently.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "railcheck/topology/affinity.h"
#include "railcheck/topology/devices.h"

namespace railcheck {

inline constexpr int kRailOverrideSchemaVersion = 1;

/// The automatic rule, in words (printed and written to the topology JSON).
inline constexpr const char* kAutoRailRule =
    "GPUs in PCI bus id order each take the closest NIC (PIX < PXB < PHB < NODE < SYS) among the RDMA NICs "
    "(plain Ethernet NICs when there is no RDMA NIC) that no GPU has taken yet, ties to the lower NIC bus id; "
    "with fewer NICs than GPUs, each GPU takes its closest NIC and GPUs share it, ties to the NIC with fewer "
    "GPUs, then the lower bus id. Rail r is the r-th NIC in use, in PCI bus id order.";

/// GPU x NIC affinity: affinity[g][n] for gpus[g] and nics[n].
using AffinityMatrix = std::vector<std::vector<Affinity>>;

/// Affinity between every GPU and every NIC.
AffinityMatrix affinity_matrix(const std::vector<GpuDevice>& gpus, const std::vector<NicDevice>& nics);

enum class RailSource { kAuto, kOverride };

/// One GPU's rail.
struct RailAssignment {
  int rail = 0;                        ///< the NIC's position among the NICs in use, in PCI bus id order
  std::string gpu;                     ///< GPU PCI bus id
  std::string nic;                     ///< NIC name ("mlx5_0")
  Affinity affinity = Affinity::kSys;  ///< of this GPU and NIC
};

/// Every GPU's rail.
struct RailMap {
  RailSource source = RailSource::kAuto;
  std::string override_file;          ///< the override's path (kOverride)
  std::vector<RailAssignment> rails;  ///< one per GPU, in GPU bus id order; empty without GPUs or NICs
};

/// The automatic assignment (kAutoRailRule). `affinity` is affinity_matrix(gpus, nics).
RailMap assign_rails(const std::vector<GpuDevice>& gpus, const std::vector<NicDevice>& nics,
                     const AffinityMatrix& affinity);

/// Sets each assignment's rail number from the NICs in use (their PCI bus id order).
void number_rails(RailMap& map, const std::vector<NicDevice>& nics);

/// A parsed override file: GPU bus id -> NIC name, as written.
struct RailOverride {
  std::string source;                                        ///< file path, for errors
  std::vector<std::pair<std::string, std::string>> entries;  ///< (GPU bus id normalized, NIC name), file order
};

/// Parses override JSON {"schema_version": 1, "rails": [{"gpu": "0000:1b:00.0", "nic": "mlx5_0"}, ...]}.
/// Throws InputError "<source>: <field path>: <problem>; <fix>" (one line): invalid JSON, unknown or missing
/// fields, a GPU that is not a PCI bus id, a GPU listed twice.
RailOverride parse_rail_override(std::string_view json_text, const std::string& source);

/// Reads and parses an override file; a missing file is an InputError naming it.
RailOverride load_rail_override(const std::filesystem::path& path);

/// The rail map an override gives on this node. Throws InputError naming the file and field for a GPU or NIC
/// that is not on this node, and for a GPU of this node the file does not list.
RailMap apply_rail_override(const RailOverride& override_file, const std::vector<GpuDevice>& gpus,
                            const std::vector<NicDevice>& nics, const AffinityMatrix& affinity);

}  // namespace railcheck
