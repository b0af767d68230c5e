// perftest's "BW peak": the best rate any run of consecutive operations of one bandwidth stream reached.
#pragma once

#include <optional>
#include <vector>

namespace railcheck {

/// When each operation of a stream was posted and seen complete, in seconds from the stream's start, in
/// posting order (completed[k] >= posted[k]; operations completed together, e.g. cq_mod of them by one
/// signalled completion, share a time).
struct OperationTimes {
  std::vector<double> posted, completed;
};

/// perftest's peak window (print_report_bw): the smallest (completed[j] - posted[i]) / (j - i + 1) over all
/// i <= j, the shortest time per operation of any run of consecutive operations. nullopt when there are no
/// operations, the two lists differ in length, or the best window is not above 0 (a clock too coarse).
std::optional<double> peak_seconds_per_operation(const OperationTimes& times);

/// Streams with more operations than this get no peak (perftest turns peak off above 20,000 iterations: the
/// search is quadratic).
inline constexpr long kPeakMaxOperations = 20000;

}  // namespace railcheck
