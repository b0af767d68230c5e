// Random fault scenarios for the simulator: which parts are degraded, and by how much. Deterministic per seed.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "railcheck/analysis/component.h"
#include "railcheck/simulate/fabric_model.h"

namespace railcheck::simulate {

/// nic: a slow NIC; link: a slow path both ways; gpu: a slow GPU; link_one_way: one direction of a link
/// slow (node -> peer_node); lossy_nic: a NIC that drops a share of its packets (bandwidth kept).
enum class FaultKind { kNic, kLink, kGpu, kLinkOneWay, kLossyNic };
std::string_view key_of(FaultKind kind);  // "nic", "link", "gpu", "link_one_way", "lossy_nic"
std::optional<FaultKind> parse_fault_kind(std::string_view text);

/// One degraded part.
struct Fault {
  FaultKind kind = FaultKind::kNic;
  int node = 0;         ///< the NIC's or GPU's node; a link's lower node; a one-way link's sender
  int rail = 0;         ///< NIC / link rail; for a GPU its index (GPU i sits on rail i)
  int peer_node = -1;   ///< links: the higher node (one-way: the receiver); -1 otherwise
  double factor = 1.0;  ///< speed as a fraction of nominal; lossy_nic: the share of packets dropped
};

struct ScenarioOptions {
  int faults = 1;  ///< faults per scenario (distinct parts)
  std::vector<FaultKind> kinds = {FaultKind::kNic, FaultKind::kLink, FaultKind::kGpu};  ///< drawn uniformly
  double min_factor = 0.3;  ///< a fault's speed factor is uniform in [min_factor, max_factor]
  double max_factor = 0.6;
  double min_loss = 0.01;  ///< a lossy NIC drops a share uniform in [min_loss, max_loss] of its packets
  double max_loss = 0.04;
};

struct Scenario {
  int index = 0;
  std::uint64_t noise_seed = 0;  ///< seeds the measurements' noise of this scenario
  std::vector<Fault> faults;
};

/// `count` scenarios for `fabric`, the same for the same arguments (std::mt19937_64 seeded with `seed`).
/// Throws std::invalid_argument when faults < 0, there are fewer distinct parts than faults, kinds is empty
/// or the factors are not 0 < min_factor <= max_factor <= 1.
std::vector<Scenario> generate_scenarios(int count, const FabricOptions& fabric, const ScenarioOptions& options,
                                         std::uint64_t seed);

/// The fabric with the scenario's faults applied.
FabricModel apply(const Scenario& scenario, const FabricOptions& fabric);

/// The component a fault's verdict must name, in the simulator's naming (host_name, nic_name).
analysis::ComponentId component_of(const Fault& fault);
/// The direction that verdict must name: "a_to_b" / "b_to_a" for a one-way link (a = the host of
/// component_of's `host`), "" when any (or none) will do.
std::string direction_of(const Fault& fault);

}  // namespace railcheck::simulate
