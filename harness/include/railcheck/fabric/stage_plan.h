// Stages of flows for fabric-scale localization (issue #18): in a stage every endpoint sends one flow and
// receives one, and no directed link carries two, so a slow flow is a slow part on its path, never contention.
// The tier-aware shift plan for a regular two-tier fabric: a cross-leaf shift, an intra-leaf shift (which tells
// a leaf's link to a NIC from the spine's link to that leaf), and a second cross-leaf shift with another leaf
// offset (which tells a leaf's uplink from the downlink its flows met in the first). Before any traffic, the
// identifiability report says which directed links the plan can tell apart and which it leaves grouped.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "railcheck/fabric/routed_fabric.h"

namespace railcheck::fabric {

/// The directed links a flow from one endpoint to another crosses.
using RouteOracle = std::function<std::vector<int>(int src, int dst)>;

/// Over `leaves` leaves of `places` endpoints each, numbered leaf by leaf (endpoint = leaf * places + place):
/// endpoint (leaf L, place j) sends to (L + leaf_shift, j + place_shift), both modulo their counts. Empty when
/// the shift sends every endpoint to itself.
Stage shift_stage(int leaves, int places, int leaf_shift, int place_shift);

/// The two-tier tier-aware plan over such a grid: cross-leaf (+1, +1), intra-leaf (0, +1), cross-leaf again
/// (+2, +3) (+1 with two leaves); stages with no flow left out. What two-tier fabrics' tiered_plan() return.
std::vector<Stage> two_tier_shift_plan(int leaves, int places);

/// `fabric.tiered_plan()`. For two tiers: cross-leaf (+1, +1), intra-leaf (0, +1), cross-leaf again (+2, +3) (+1
/// with two leaves only, which cannot split a leaf's uplink from the downlink it always feeds: the report says so).
/// Stages with no flow (one host per leaf has no intra-leaf peer) are left out.
std::vector<Stage> tiered_plan(const RoutedFabric& fabric);

/// Each stage of `plan` as `thin` stages ("<name> (2/8)"), the flows from every thin-th source endpoint in each:
/// fewer flows at once (ECMP: fewer hashed onto one link), as many times the stages. `thin` <= 1: `plan`.
std::vector<Stage> thin_plan(const std::vector<Stage>& plan, int thin);

/// Each stage of `plan` split, where its flows would load a directed link twice, into as few parts as first-fit
/// gives ("<name> (part 2)"), none loading a link twice: an oversubscribed leaf (fewer uplinks than NICs) cannot
/// send all its NICs' cross-leaf flows at once without two sharing an uplink, a slow flow then contention. Stages
/// that load no link twice are kept whole.
std::vector<Stage> split_overloaded(const std::vector<Stage>& plan, const RouteOracle& route);

/// The fabric's routes as a RouteOracle.
RouteOracle routes_of(const RoutedFabric& fabric);

/// The switch (device) each endpoint's NIC is cabled to, by endpoint: its leaf; -1 for a NIC with no cable.
std::vector<int> leaf_of_endpoints(const RoutedFabric& fabric);

/// How many flows of `stage` cross each directed link (indexed like Fabric::links()).
std::vector<int> link_loads(const Fabric& fabric, const Stage& stage, const RouteOracle& route);

/// Which directed links a plan tells apart: links crossed by exactly the same flows of every stage form one class
/// (a slow flow set points at the class, not at one of its links).
struct Identifiability {
  std::vector<std::vector<int>> classes;  ///< every covered link in exactly one class, classes by first link
  std::vector<int> uncovered;             ///< links no flow crosses: the plan says nothing about them
  std::size_t singletons() const;         ///< classes of one link: named alone when slow
  std::size_t largest() const;
};

Identifiability identifiability(const Fabric& fabric, const std::vector<Stage>& plan, const RouteOracle& route);

}  // namespace railcheck::fabric
