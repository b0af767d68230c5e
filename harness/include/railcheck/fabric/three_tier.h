// A three-tier fat tree (leaf, spine, core), generated for the simulator and the tests (issue #18), with
// destination-based routes as OpenSM's ftree engine sets them: pods of `leaves_per_pod` leaves, each leaf cabled
// once to each of its pod's `spines_per_pod` spines, spine a of every pod cabled once to each of the
// `cores_per_group` cores of core group a. A flow to the NIC at place j of leaf m of pod q leaves its leaf on
// uplink j mod spines_per_pod, and its pod (when it must) on the spine's uplink m mod cores_per_group.
// Leaf l of a pod serves rail l mod rails (rail-optimized), its hosts' NICs "node<k>/mlx5_<rail>".
#pragma once

#include <vector>

#include "railcheck/fabric/routed_fabric.h"

namespace railcheck::fabric {

struct ThreeTierShape {
  int pods = 4;
  int leaves_per_pod = 4;
  int hosts_per_leaf = 4;
  int spines_per_pod = 4;
  int cores_per_group = 4;
  int rails = 1;
};

class ThreeTierFabric final : public RoutedFabric {
 public:
  /// Throws std::invalid_argument naming the field for an empty shape, fewer spines per pod than hosts per leaf or
  /// fewer cores per group than leaves per pod (the fabric could not carry a shift stage without sharing a link),
  /// or leaves per pod not a multiple of rails.
  explicit ThreeTierFabric(ThreeTierShape shape);

  const Fabric& fabric() const override { return fabric_; }
  const ThreeTierShape& shape() const { return shape_; }
  /// Endpoint = (pod * leaves_per_pod + leaf) * hosts_per_leaf + place.
  int endpoints() const override { return static_cast<int>(nics_.size()); }
  int nic_device(int endpoint) const override { return nics_.at(static_cast<std::size_t>(endpoint)); }
  int endpoint(int pod, int leaf, int place) const;
  std::vector<int> route(int src, int dst) const override;
  /// Cross-pod +1/+1/+1, intra-pod +1/+3, intra-leaf +1, cross-pod again +3/+5/+7 (each modulo its count);
  /// stages without a flow left out.
  std::vector<Stage> tiered_plan() const override;
  /// The tiered plan grown to `stages` stages (at least its own) with more cross-pod shifts (+2/+3/+5,
  /// +3/+4/+7, +4/+5/+9, ... modulo the counts, any that repeats a planned stage passed over: every one loads no
  /// directed link twice), for measuring under noise: the core links, which only cross-pod flows cross, get a flow per
  /// added stage, where running the plan again gives them two per four stages.
  std::vector<Stage> wide_plan(int stages) const;

  /// Endpoint (pod p, leaf l, place j) sends to (p + pod_shift, l + leaf_shift, j + place_shift), each modulo its
  /// count; empty when every endpoint would send to itself.
  Stage shift_stage(int pod_shift, int leaf_shift, int place_shift) const;

 private:
  ThreeTierShape shape_;
  Fabric fabric_;
  std::vector<int> nics_;
  std::vector<int> leaves_;  ///< pod * leaves_per_pod + leaf -> device
  // Directed links by position: [pod][leaf][spine] up and down, [pod][spine][core] up and down.
  std::vector<int> leaf_up_, leaf_down_, spine_up_, spine_down_;
  int leaf_link(int pod, int leaf, int spine) const;
  int spine_link(int pod, int spine, int core) const;
};

}  // namespace railcheck::fabric
