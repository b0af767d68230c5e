// The adaptive confirmation stage (issue #18; the reference's "+1 adaptive"): after the plan has been measured
// and solved, one more stage of new flows aimed at what the evidence leaves in doubt. Under noise that flips
// outcomes both ways a fixed plan cannot do it in 8 stages: every destination receives one flow a stage, and
// under destination routing the links above it (core -> spine -> leaf -> NIC) carry nested sets of those
// flows, so a core link, which only cross-pod flows cross, sees few, and the flows that tell a link from the
// one below it are fewer still; one noisy flow then swaps them. The confirmation spends each endpoint's one
// flow where the doubt is: more flows over a link near the solver's threshold, and flows that cross one of two
// links a named fault could be confused with but not the other.
#pragma once

#include <cstdint>
#include <vector>

#include "railcheck/fabric/routed_fabric.h"
#include "railcheck/fabric/tomography.h"

namespace railcheck::fabric {

/// What has been measured: stage s's flows, the directed links each crossed, and whether each was slow.
struct Measured {
  std::vector<Stage> stages;
  std::vector<std::vector<std::vector<int>>> routes;  ///< routes[s][f]
  std::vector<std::vector<bool>> slow;                ///< slow[s][f]
};

struct ConfirmOptions {
  /// A link is in doubt when its slow-minus-healthy count is within this many flows of the solver's margin
  /// (named or not), or within this many of a named link that shares a slow flow with it (its rival).
  int doubt_band = 3;
  int tries = 32;  ///< candidate flows drawn for each link in doubt
  std::uint64_t seed = 1;
  /// Endpoints a flow may use (a run's: those with a rank); empty: every endpoint.
  std::vector<bool> usable;
};

/// One stage of new flows for the links in doubt after `solved` (the solver's result on `measured` with
/// `solver`): each endpoint sends at most one flow and receives at most one, no directed link carries two. A
/// flow for a link crosses it (and not its rival, when that is the doubt), drawn from the flows already over it
/// with one end moved to another NIC of the same leaf, preferring flows over fewer other suspect links. Seeded;
/// empty when nothing is in doubt.
Stage plan_confirm_stage(const RoutedFabric& fabric, const Measured& measured, const TomographyResult& solved,
                         const TomographyOptions& solver, const ConfirmOptions& options);

}  // namespace railcheck::fabric
