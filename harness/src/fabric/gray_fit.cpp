#include "railcheck/fabric/gray_fit.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

namespace railcheck::fabric {

std::vector<double> fit_gray_links(std::size_t links, const std::vector<std::vector<int>>& routes,
                                   const std::vector<double>& relative_rates, const GrayFitOptions& options) {
  if (routes.size() != relative_rates.size()) {
    throw std::invalid_argument("fit_gray_links: " + std::to_string(routes.size()) + " routes and " +
                                std::to_string(relative_rates.size()) + " rates");
  }
  // z_l = -log(factor_l) >= 0; a flow's loss b_f = -log(rate_f), at least 0 (faster than healthy is healthy), a
  // failed flow as a rate of 1e-3. Minimise sum_f (sum_{l in f} z_l - b_f)^2 + penalty * sum_l z_l.
  std::vector<std::vector<std::size_t>> flows_over(links);
  std::vector<double> residual(routes.size());  // sum_{l in f} z_l - b_f
  for (std::size_t f = 0; f < routes.size(); ++f) {
    for (const int link : routes[f]) {
      if (link < 0 || static_cast<std::size_t>(link) >= links) {
        throw std::invalid_argument("fit_gray_links: flow " + std::to_string(f) + " names link " +
                                    std::to_string(link) + " of " + std::to_string(links));
      }
      flows_over[static_cast<std::size_t>(link)].push_back(f);
    }
    residual[f] = -std::max(0.0, -std::log(std::max(relative_rates[f], 1e-3)));
  }
  std::vector<double> z(links, 0.0);
  for (int sweep = 0; sweep < options.max_sweeps; ++sweep) {
    double largest_step = 0.0;
    for (std::size_t l = 0; l < links; ++l) {
      const std::vector<std::size_t>& over = flows_over[l];
      if (over.empty()) continue;
      double gradient = options.penalty;
      for (const std::size_t f : over) gradient += 2.0 * residual[f];
      const double next = std::max(0.0, z[l] - gradient / (2.0 * static_cast<double>(over.size())));
      const double step = next - z[l];
      if (step == 0.0) continue;
      for (const std::size_t f : over) residual[f] += step;
      z[l] = next;
      largest_step = std::max(largest_step, std::abs(step));
    }
    if (largest_step < options.tolerance) break;
  }
  std::vector<double> factor(links);
  std::transform(z.begin(), z.end(), factor.begin(), [](double v) { return std::exp(-v); });
  return factor;
}

}  // namespace railcheck::fabric
