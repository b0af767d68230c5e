// Boolean network tomography over a stage plan (issue #18): which directed links explain the slow flows. A link
// most of whose flows were healthy is exonerated (its slow ones are another part's doing, or noise); the others
// are candidates, grouped into the plan's identifiability classes; then, greedily, the class whose slow flows
// not yet explained outnumber its healthy flows the most is named, until every slow flow is explained or no
// candidate's slow flows outnumber its healthy ones (what is left is noise, or a part outside the model).
// A class of one link names it; a larger class is "one of {...}", which the plan cannot split.
#pragma once

#include <vector>

#include "railcheck/fabric/stage_plan.h"

namespace railcheck::fabric {

/// One flow of the plan: its stage and its index in that stage.
struct FlowRef {
  int stage = 0, flow = 0;
  auto operator<=>(const FlowRef&) const = default;
};

struct TomographyOptions {
  /// A link is a candidate when at least this share of the flows over it were slow (0.5: a majority; a link whose
  /// flows were all slow is always one). 1/n of a link's n flows slow is contention-free evidence against
  /// another link on that flow's path, not against this one.
  double slow_share = 0.5;
  /// A class is named only when its unexplained slow flows outnumber its healthy flows by at least this much: 1
  /// without noise; more under noise, where a healthy link with few flows can show a slow majority by chance.
  int min_margin = 1;
};

struct NamedFault {
  std::vector<int> links;      ///< the class: one directed link, or several the plan cannot tell apart
  std::vector<FlowRef> flows;  ///< the slow flows it explains (its evidence)
};

struct TomographyResult {
  std::vector<NamedFault> faults;    ///< in the order named (the one explaining most slow flows first)
  std::vector<FlowRef> unexplained;  ///< slow flows no candidate explains (noise, or a part outside the model)
};

/// `slow[s][f]`: whether flow f of stage s of `plan` was slow. Pure.
TomographyResult boolean_tomography(const Fabric& fabric, const std::vector<Stage>& plan,
                                    const std::vector<std::vector<bool>>& slow, const RouteOracle& route,
                                    const TomographyOptions& options = {});

/// The same over routes already walked: `routes[s][f]` the directed links (indices below `links`) flow f of
/// stage s crossed, as a run's flow records carry them. Pure.
TomographyResult boolean_tomography(std::size_t links, const std::vector<std::vector<std::vector<int>>>& routes,
                                    const std::vector<std::vector<bool>>& slow, const TomographyOptions& options = {});

/// The same over ECMP routes (ecmp_routes.h): `routes[s][f]` flow f's hops, each one directed link (known) or
/// several (an ECMP group whose member the flow took is unknown). A group is judged as a bundle of k links: one
/// slow member slows about 1/k of its flows, so it is a candidate when at least slow_share / k of its flows
/// were slow, and a healthy flow over it exonerates none of its members. A bundle is named when its unexplained
/// slow flows stand out of the background (collisions) in two stages or more, and before a link known to carry
/// them only when it stands out by more than that link's slow-minus-healthy count. A named bundle is a class of
/// its k links ("one of"). Pure.
TomographyResult boolean_tomography_hops(std::size_t links,
                                         const std::vector<std::vector<std::vector<std::vector<int>>>>& routes,
                                         const std::vector<std::vector<bool>>& slow,
                                         const TomographyOptions& options = {});

}  // namespace railcheck::fabric
