#include "railcheck/record/stats.h"

#include <algorithm>
#include <cmath>
#include <vector>

namespace railcheck {
namespace {

// The smallest rank r with r >= percentile% of n. The product is computed in floating point, so a value that is
// mathematically an integer (99.9% of 1000 = 999) may come out a hair above it (999.0000000000001); the relative
// slack keeps ceil() from stepping to the next rank there.
double nearest_rank(const std::vector<double>& sorted, double percentile) {
  const auto n = static_cast<double>(sorted.size());
  const double exact = percentile / 100.0 * n;
  const auto index = static_cast<std::size_t>(std::max(1.0, std::ceil(exact - 1e-9 * exact))) - 1;
  return sorted[std::min(index, sorted.size() - 1)];
}

}  // namespace

SampleStats summarize(std::span<const double> samples_s) {
  SampleStats stats;
  if (samples_s.empty()) return stats;
  std::vector<double> sorted(samples_s.begin(), samples_s.end());
  for (double& value : sorted) value *= 1.0e6;
  std::sort(sorted.begin(), sorted.end());
  double sum = 0.0;
  for (double value : sorted) sum += value;
  stats.count = static_cast<int>(sorted.size());
  stats.mean_us = sum / static_cast<double>(sorted.size());
  stats.min_us = sorted.front();
  stats.max_us = sorted.back();
  stats.p50_us = nearest_rank(sorted, 50.0);
  stats.p99_us = nearest_rank(sorted, 99.0);
  stats.p99_9_us = nearest_rank(sorted, 99.9);
  double square_sum = 0.0;
  for (double value : sorted) square_sum += (value - stats.mean_us) * (value - stats.mean_us);
  stats.stdev_us = std::sqrt(square_sum / static_cast<double>(sorted.size()));
  return stats;
}

}  // namespace railcheck
