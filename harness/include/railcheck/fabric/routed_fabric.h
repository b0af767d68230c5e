// A fabric whose routes are known and whose endpoints (NIC ports) are numbered: what the stage plan, the
// identifiability report, the solver and the trials need (issue #18). The generated two- and three-tier fat trees
// implement it; a fabric read from a topology file with its forwarding tables will too.
#pragma once

#include <string>
#include <vector>

#include "railcheck/fabric/fabric.h"

namespace railcheck::fabric {

struct Flow {
  int src = 0, dst = 0;  ///< endpoints
};

struct Stage {
  std::string name;  ///< "cross-leaf +1/+1", "intra-leaf +1"
  std::vector<Flow> flows;
};

class RoutedFabric {
 public:
  virtual ~RoutedFabric() = default;
  virtual const Fabric& fabric() const = 0;
  virtual int endpoints() const = 0;
  virtual int nic_device(int endpoint) const = 0;
  /// The directed links a flow from endpoint `src` to endpoint `dst` crosses, in order.
  virtual std::vector<int> route(int src, int dst) const = 0;
  /// The tier-aware plan: T + 1 shift stages for T switch tiers, each endpoint one flow out and one in, no
  /// directed link loaded twice.
  virtual std::vector<Stage> tiered_plan() const = 0;
  /// Whether route() is the path a flow takes (forwarding tables, D-mod-k): the default. False under ECMP, where
  /// a flow is hashed onto one of route_hops()' candidates and nobody knows which.
  virtual bool routes_known() const { return true; }
  /// The candidates at each hop of the route from `src` to `dst`: one link each where routes are known (the
  /// default: route()'s links), several at an ECMP hop.
  virtual std::vector<std::vector<int>> route_hops(int src, int dst) const {
    std::vector<std::vector<int>> hops;
    for (const int link : route(src, dst)) hops.push_back({link});
    return hops;
  }
};

}  // namespace railcheck::fabric
