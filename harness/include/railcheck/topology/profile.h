// Hardware profiles (suites/profiles/*.json, schema results-schema/profile.schema.json): what a node of one
// hardware class should have. Every expectation is optional; check-node compares only what a profile states.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "railcheck/topology/affinity.h"

namespace railcheck {

inline constexpr int kProfileSchemaVersion = 1;

/// PCIe link expectations; each is a minimum ("at least").
struct PcieExpectation {
  std::optional<int> current_gen;    ///< the link's trained generation now. GPUs lower it when idle (power
                                     ///< saving), so GPU profiles usually leave it out
  std::optional<int> max_gen;        ///< the device's supported generation
  std::optional<int> current_width;  ///< lanes the link trained at (x8 instead of x16: a bad seat or riser)
  std::optional<int> max_width;      ///< lanes the device supports
};

struct GpuExpectation {
  std::optional<int> count;                 ///< exactly this many GPUs
  std::string model;                        ///< substring of the NVML name ("H100"); "" = not checked
  std::vector<std::string> pci_device_ids;  ///< any of these PCI device ids ("0x2330"); empty = not checked
  PcieExpectation pcie;
};

struct NicExpectation {
  std::optional<int> count;         ///< exactly this many RDMA NICs
  std::string port_state;           ///< every port's state ("ACTIVE"); "" = not checked
  std::string phys_state;           ///< every port's physical state ("LinkUp"); "" = not checked
  std::optional<double> rate_gbps;  ///< every active port's rate at least this (Gb/s)
  std::string link_layer;           ///< every port's link layer ("InfiniBand" or "Ethernet"); "" = not checked
  bool require_gid = false;         ///< every active port has GID 0
  PcieExpectation pcie;
};

struct RailExpectation {
  std::optional<Affinity> affinity;  ///< each rail's GPU-NIC path is this class or closer ("PIX" or better)
};

struct HardwareProfile {
  std::string name;
  std::string description;
  std::string source;  ///< file path, for messages
  GpuExpectation gpus;
  NicExpectation nics;  ///< about the RDMA NICs (/sys/class/infiniband); plain Ethernet NICs are not checked
  RailExpectation rails;
};

/// Parses profile JSON. Throws InputError "<source>: <field path>: <problem>; <fix>" (one line) for invalid
/// JSON, unknown fields, wrong types and out-of-range values.
HardwareProfile parse_profile(std::string_view json_text, const std::string& source);

/// Reads and parses a profile file; a missing file is an InputError naming it.
HardwareProfile load_profile(const std::filesystem::path& path);

}  // namespace railcheck
