// ECMP routes (issue #18): on a RoCE (or any routed Ethernet) fabric each switch hashes a flow onto one of its
// equal-cost next hops, so a flow's path is one of many and, untraced, unknown. What is known is each hop's
// candidate set: every directed link a shortest path from the source NIC to the destination NIC can take as
// its i-th link (a leaf's uplinks toward the spines, a spine's downlinks into the destination leaf). The solver
// (tomography.h) treats a hop of several links as a bundle: a slow member slows about 1/k of the bundle's flows,
// and a healthy flow over a bundle exonerates none of its members. The simulator draws each flow's path by
// hashing at every switch, as ECMP does.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

#include "railcheck/fabric/routed_fabric.h"

namespace railcheck::fabric {

/// A flow's route hop by hop: hops[i] the directed links its i-th hop may cross (one link: known; several: an ECMP
/// group), each sorted.
using RouteHops = std::vector<std::vector<int>>;

/// Equal-cost shortest-path candidates between the endpoints of a routed fabric, over its cables (whatever
/// routes the fabric itself would pick). Distances between switches are computed once, from every switch
/// an endpoint's NIC is cabled to.
class EcmpRoutes {
 public:
  /// Throws std::invalid_argument when an endpoint's NIC has no cable.
  explicit EcmpRoutes(const RoutedFabric& fabric);

  /// Hop i: every directed link a shortest path from `src` to `dst` can cross as its i-th link. Empty when the
  /// two endpoints share no path. Pure.
  RouteHops hops(int src, int dst) const;

  /// One path of those, as switches hashing on `entropy` (a flow's UDP source port or 5-tuple) would pick it:
  /// at each switch one of its candidate next hops, chosen by a hash of the entropy and the switch. Pure.
  std::vector<int> hashed_path(int src, int dst, std::uint64_t entropy) const;

 private:
  const RoutedFabric& fabric_;
  std::vector<int> leaf_of_endpoint_;       ///< by endpoint
  std::vector<int> leaf_index_;             ///< by device: its index among the leaves, or -1
  std::vector<std::vector<int>> distance_;  ///< [leaf index][device]: hops from the device to that leaf; -1 none
  struct Ends {
    int first = 0;  ///< the source NIC's link to its leaf
    int src_leaf = 0, dst_leaf = 0, dst_nic = 0;
  };
  /// A flow's fixed ends; none when no path joins the two leaves.
  std::optional<Ends> ends(int src, int dst) const;
  /// The links out of `device` one hop closer to the leaf `to` (a switch, or the NIC `dst` at the last hop).
  std::vector<int> next_links(int device, int to_leaf, int dst_nic) const;
};

/// A fabric whose switches route by ECMP: its plan and endpoints are `base`'s, its routes each hop's candidates
/// (routes_known() false). route() is one of the paths (what a flow hashed with entropy 0 would take); what a
/// run records and judges is route_hops().
class EcmpFabric final : public RoutedFabric {
 public:
  explicit EcmpFabric(std::unique_ptr<RoutedFabric> base) : base_(std::move(base)), ecmp_(*base_) {}
  const Fabric& fabric() const override { return base_->fabric(); }
  int endpoints() const override { return base_->endpoints(); }
  int nic_device(int endpoint) const override { return base_->nic_device(endpoint); }
  std::vector<int> route(int src, int dst) const override { return ecmp_.hashed_path(src, dst, 0); }
  std::vector<Stage> tiered_plan() const override { return base_->tiered_plan(); }
  bool routes_known() const override { return false; }
  std::vector<std::vector<int>> route_hops(int src, int dst) const override { return ecmp_.hops(src, dst); }

 private:
  std::unique_ptr<RoutedFabric> base_;
  EcmpRoutes ecmp_;
};

}  // namespace railcheck::fabric
