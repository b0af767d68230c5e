#include "railcheck/p2p/stream_peak.h"

#include <limits>

namespace railcheck {

std::optional<double> peak_seconds_per_operation(const OperationTimes& times) {
  const std::size_t n = times.posted.size();
  if (n == 0 || times.completed.size() != n) return std::nullopt;
  double best = std::numeric_limits<double>::infinity();
  for (std::size_t j = 0; j < n; ++j) {
    // Of operations sharing one completion time only the last can give the minimum (longest run, same end).
    if (j + 1 < n && times.completed[j + 1] == times.completed[j]) continue;
    for (std::size_t i = 0; i <= j; ++i) {
      const double per_op = (times.completed[j] - times.posted[i]) / static_cast<double>(j - i + 1);
      if (per_op < best) best = per_op;
    }
  }
  if (!(best > 0.0)) return std::nullopt;
  return best;
}

}  // namespace railcheck
