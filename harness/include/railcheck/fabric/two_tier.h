// A rail-optimized two-tier leaf-spine fabric, generated (the simulator, the unit tests, the namespace testbed's
// plan) with its destination-mod-k routes: the regular shape the tier-aware shift plan is built for.
//
// Scalable units (SUs) of `nodes_per_su` hosts; each host has one NIC per rail, NIC (host, rail r) on leaf
// (SU, r), port j+1 for the host's place j in its SU. Every leaf has `spines` x `parallel` uplinks: uplink u
// (port nodes_per_su + 1 + u) goes to spine u mod spines over its (u / spines)-th parallel cable. Routes are
// destination-mod-k, as OpenSM's ftree / D-mod-k engines set them: a flow to the NIC at place j leaves its leaf
// on uplink j mod (spines x parallel) and comes down the same-numbered cable of that spine.
#pragma once

#include <string>
#include <vector>

#include "railcheck/fabric/routed_fabric.h"

namespace railcheck::fabric {

struct TwoTierShape {
  int sus = 2;
  int rails = 2;
  int nodes_per_su = 4;
  int spines = 4;
  int parallel = 1;  ///< cables between each leaf and each spine
};

class TwoTierFabric final : public RoutedFabric {
 public:
  /// Throws std::invalid_argument naming the field for a shape with nothing in it, or fewer uplinks than hosts
  /// per leaf (a leaf that could not carry every host's flow at once).
  explicit TwoTierFabric(TwoTierShape shape);

  const Fabric& fabric() const override { return fabric_; }
  const TwoTierShape& shape() const { return shape_; }
  /// Endpoints are the NICs, numbered leaf by leaf: endpoint = leaf * nodes_per_su + place.
  int endpoints() const override { return static_cast<int>(nics_.size()); }
  int leaves() const { return static_cast<int>(leaves_.size()); }
  int nic_device(int endpoint) const override { return nics_.at(static_cast<std::size_t>(endpoint)); }
  int leaf_of(int endpoint) const { return endpoint / shape_.nodes_per_su; }
  int place_of(int endpoint) const { return endpoint % shape_.nodes_per_su; }
  int endpoint(int leaf, int place) const { return leaf * shape_.nodes_per_su + place; }

  /// The directed links a flow from `src` to `dst` crosses, in order (NIC -> leaf [-> spine -> leaf] -> NIC).
  std::vector<int> route(int src, int dst) const override;
  /// Cross-leaf +1/+1, intra-leaf +1, cross-leaf +2/+3 (+1/+3 with two leaves); stages without a flow left out.
  std::vector<Stage> tiered_plan() const override;

 private:
  TwoTierShape shape_;
  Fabric fabric_;
  std::vector<int> nics_;    ///< endpoint -> device
  std::vector<int> leaves_;  ///< leaf index (su * rails + rail) -> device
  std::vector<int> spines_;
  std::vector<std::vector<int>> uplink_;    ///< [leaf][u] -> directed link leaf -> spine
  std::vector<std::vector<int>> downlink_;  ///< [leaf][u] -> directed link spine -> leaf
};

}  // namespace railcheck::fabric
