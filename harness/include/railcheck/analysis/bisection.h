// In-job bisection of a slow collective group: measure the group; when it is below expected, split it in
// halves and measure both halves at once (communicator splits in the same allocation); recurse into slow
// halves until groups of min_group_nodes remain; those nodes are the suspects for the pairwise pass.
// A state machine with no I/O: the caller (the run, or the simulator) measures the groups it is given.
#pragma once

#include <string>
#include <vector>

#include "railcheck/analysis/thresholds.h"

namespace railcheck::analysis {

/// One measured group in one round.
struct BisectionStep {
  int round = 0;
  std::vector<int> nodes;  ///< node indices
  double value = 0.0;      ///< measured (e.g. busbw GB/s; higher is better)
  double expected = 0.0;
  bool slow = false;
};

class Bisection {
 public:
  /// Starts with one group of `nodes` (every node index once).
  Bisection(std::vector<int> nodes, BisectionOptions options);

  /// The groups to measure this round (disjoint, so they may run at the same time). Empty when done().
  const std::vector<std::vector<int>>& pending() const { return pending_; }

  /// Reports this round's values, in pending() order, with what each group was expected to reach (a
  /// baseline for its size, or the fleet's best comparable group). Advances to the next round.
  /// Throws std::invalid_argument when the count does not match pending().
  void report(const std::vector<double>& values, const std::vector<double>& expected);

  bool done() const { return pending_.empty(); }
  int rounds() const { return round_; }

  /// Nodes of the slow groups that could not be split further, or whose halves were both fine (the fault
  /// sits between them): every node of such a group is a suspect. Sorted, unique.
  std::vector<int> suspects() const;

  /// Every measured group, in order: the record of the search.
  const std::vector<BisectionStep>& history() const { return history_; }

 private:
  BisectionOptions options_;
  int round_ = 0;
  std::vector<std::vector<int>> pending_;
  std::vector<BisectionStep> history_;
  std::vector<std::vector<int>> unresolved_;
};

/// The halves of `nodes`: first ceil(n/2) and the rest, order kept.
std::pair<std::vector<int>, std::vector<int>> split_halves(const std::vector<int>& nodes);

}  // namespace railcheck::analysis
