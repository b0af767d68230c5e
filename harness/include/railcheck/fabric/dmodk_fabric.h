// A two-tier fabric read from a topology file (or an importer), routed destination-mod-k: the route oracle
// `railcheck run`'s fabric test and the namespace testbed use until forwarding-table dumps are read (issue #18).
//
// Shape it accepts: every NIC cabled to exactly one leaf; leaves cabled to spines (no cores); every leaf with the
// same number of NICs. Endpoints are the NICs, numbered leaf by leaf (leaves in file order) and, on a leaf, by
// the leaf port they plug into: a NIC's place is its rank among its leaf's NIC ports. Routes are
// destination-mod-k, as OpenSM's ftree / dmodk engines set them on a regular two-tier tree: a flow to the NIC at
// place j leaves its leaf on uplink j mod U (the leaf's U spine ports in port order) and comes down from that
// spine on its cable to the destination leaf (with parallel cables: the k-th of the spine's cables to that leaf,
// by port, where the uplink was the k-th of the source leaf's cables to that spine). Flows within a leaf never
// leave it. For a file written from a generated TwoTierFabric the routes are that fabric's.
#pragma once

#include <string>
#include <vector>

#include "railcheck/fabric/routed_fabric.h"

namespace railcheck::fabric {

class DmodkTwoTierFabric final : public RoutedFabric {
 public:
  /// Throws InputError "<source>: <what>; <fix>" for a fabric of another shape: a NIC not cabled to exactly one
  /// leaf, a core tier, leaves with different NIC counts, a leaf without uplinks while there are other leaves, a
  /// spine without a cable to some leaf.
  DmodkTwoTierFabric(Fabric fabric, const std::string& source);

  const Fabric& fabric() const override { return fabric_; }
  int endpoints() const override { return static_cast<int>(nics_.size()); }
  int nic_device(int endpoint) const override { return nics_.at(static_cast<std::size_t>(endpoint)); }
  int leaves() const { return static_cast<int>(leaves_.size()); }
  int places() const { return places_; }

  std::vector<int> route(int src, int dst) const override;
  /// two_tier_shift_plan(leaves(), places()), each stage split where it would load a directed link twice (a leaf
  /// with fewer uplinks than NICs: split_overloaded).
  std::vector<Stage> tiered_plan() const override;

 private:
  struct Leaf {
    int device = 0;
    std::vector<int> nic_links;  ///< leaf -> NIC, by place
    std::vector<int> uplinks;    ///< leaf -> spine, by port
  };
  Fabric fabric_;
  std::vector<Leaf> leaves_;
  std::vector<int> nics_;      ///< endpoint -> NIC device
  std::vector<int> nic_link_;  ///< endpoint -> its NIC -> leaf link
  int places_ = 0;
};

}  // namespace railcheck::fabric
