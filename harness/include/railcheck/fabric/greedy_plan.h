// A stage plan for a fabric of any shape and any routes (issue #18's "greedy planner"): what an imported fabric
// routed by its own forwarding tables gets, where the shift plans' arithmetic (destination-mod-k on a regular
// tree) does not hold. Endpoints are laid out leaf by leaf (the switch each NIC plugs into) and, on a leaf, in
// endpoint order; candidate stages are shifts (leaf + a, place + b, the place modulo the destination leaf's NIC
// count) in a fixed order that mixes flows within a leaf, near and far. A candidate's flows are taken in endpoint
// order while they load no directed link a flow of the stage already loads, and no endpoint twice; the stage is
// kept when it covers a link not yet covered or splits a class of links the stages so far cannot tell apart.
#pragma once

#include <vector>

#include "railcheck/fabric/routed_fabric.h"

namespace railcheck::fabric {

/// At most `max_stages` stages, each with every endpoint at most one flow out and one in and no directed link
/// loaded twice; fewer once every link is covered and told apart, or the candidates run out. Deterministic.
std::vector<Stage> greedy_plan(const RoutedFabric& fabric, int max_stages);

}  // namespace railcheck::fabric
