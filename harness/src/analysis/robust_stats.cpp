// Median, quantiles, MAD and the floored robust spread.
#include "railcheck/analysis/robust_stats.h"

#include <algorithm>
#include <cmath>
#include <vector>

namespace railcheck::analysis {

double median(std::span<const double> values) {
  if (values.empty()) return 0.0;
  std::vector<double> sorted(values.begin(), values.end());
  std::sort(sorted.begin(), sorted.end());
  const std::size_t mid = sorted.size() / 2;
  return sorted.size() % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2.0;
}

double quantile(std::span<const double> values, double share) {
  if (values.empty()) return 0.0;
  std::vector<double> sorted(values.begin(), values.end());
  std::sort(sorted.begin(), sorted.end());
  const double at = share * static_cast<double>(sorted.size() - 1);
  const auto low = static_cast<std::size_t>(at);
  const std::size_t high = std::min(low + 1, sorted.size() - 1);
  return sorted[low] + (at - static_cast<double>(low)) * (sorted[high] - sorted[low]);
}

double mad(std::span<const double> values) {
  if (values.empty()) return 0.0;
  const double centre = median(values);
  std::vector<double> deviations;
  deviations.reserve(values.size());
  for (double value : values) deviations.push_back(std::fabs(value - centre));
  return median(deviations);
}

RobustCentre robust_centre(std::span<const double> values, double min_relative_spread) {
  RobustCentre centre;
  centre.count = static_cast<int>(values.size());
  centre.median = median(values);
  centre.mad = mad(values);
  // 1.4826 x MAD estimates the standard deviation of normally distributed values.
  centre.spread = std::max(1.4826 * centre.mad, min_relative_spread * std::fabs(centre.median));
  return centre;
}

}  // namespace railcheck::analysis
