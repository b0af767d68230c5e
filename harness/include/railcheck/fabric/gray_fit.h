// A NetBouncer-style fit for gray links (issue #18): a link that is partly slow (a lane down, a flaky
// transceiver at 60 % of its speed) slows every flow over it by a factor, too little for boolean tomography's
// slow / healthy split. Each directed link gets a factor x (its share of normal speed, 0 < x <= 1) such that a
// flow's rate relative to the healthy one is the product of its links' factors; fitted in log space as
// non-negative least squares with an L1 penalty (few links are gray), by coordinate descent. Deterministic.
#pragma once

#include <cstddef>
#include <vector>

namespace railcheck::fabric {

struct GrayFitOptions {
  double penalty = 0.1;  ///< L1 weight on each link's -log factor: how much evidence a gray link needs
  int max_sweeps = 500;  ///< coordinate-descent passes over the links at most
  double tolerance = 1e-7;
};

/// `routes[f]`: the directed links (indices below `links`) flow f crossed; `relative_rates[f]`: its rate over the
/// healthy rate (the test's median; 1 or more is healthy, a failed flow 0). Returns each link's fitted factor
/// (1: nothing against it, including links no flow crossed). Throws std::invalid_argument when the sizes differ
/// or a route names a link out of range.
std::vector<double> fit_gray_links(std::size_t links, const std::vector<std::vector<int>>& routes,
                                   const std::vector<double>& relative_rates, const GrayFitOptions& options = {});

}  // namespace railcheck::fabric
