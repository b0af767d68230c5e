#include "railcheck/analysis/bisection.h"

#include <algorithm>
#include <cmath>
#include <set>
#include <stdexcept>
#include <string>

namespace railcheck::analysis {
namespace {

// A value that is not a number (the collective failed) counts as slow.
bool is_slow(double value, double expected, double slow_tolerance) {
  if (!std::isfinite(value)) return true;
  return value < expected * (1.0 - slow_tolerance);
}

std::vector<int> joined(const std::vector<int>& first, const std::vector<int>& second) {
  std::vector<int> all = first;
  all.insert(all.end(), second.begin(), second.end());
  return all;
}

}  // namespace

std::pair<std::vector<int>, std::vector<int>> split_halves(const std::vector<int>& nodes) {
  const auto first_size = static_cast<std::ptrdiff_t>((nodes.size() + 1) / 2);
  return {std::vector<int>(nodes.begin(), nodes.begin() + first_size),
          std::vector<int>(nodes.begin() + first_size, nodes.end())};
}

Bisection::Bisection(std::vector<int> nodes, BisectionOptions options) : options_(options) {
  std::set<int> seen;
  for (int node : nodes) {
    if (!seen.insert(node).second) {
      throw std::invalid_argument("bisection: node " + std::to_string(node) + " is listed twice");
    }
  }
  if (!nodes.empty()) pending_.push_back(std::move(nodes));
}

// After the first round, pending_ holds sibling pairs: (2k, 2k+1) are the halves of one slow parent, since a
// group is only split when it has more than max(1, min_group_nodes) nodes, so both halves are non-empty.
void Bisection::report(const std::vector<double>& values, const std::vector<double>& expected) {
  if (values.size() != pending_.size() || expected.size() != pending_.size()) {
    throw std::invalid_argument("bisection: round " + std::to_string(round_ + 1) + " has " +
                                std::to_string(pending_.size()) + " groups but " + std::to_string(values.size()) +
                                " values and " + std::to_string(expected.size()) + " expected values were reported");
  }
  if (pending_.empty()) return;
  ++round_;
  const bool first_round = round_ == 1;
  const std::size_t min_nodes = static_cast<std::size_t>(std::max(1, options_.min_group_nodes));

  std::vector<bool> slow(pending_.size());
  for (std::size_t i = 0; i < pending_.size(); ++i) {
    slow[i] = is_slow(values[i], expected[i], options_.slow_tolerance);
    history_.push_back(BisectionStep{round_, pending_[i], values[i], expected[i], slow[i]});
  }
  if (!first_round) {
    for (std::size_t i = 0; i + 1 < pending_.size(); i += 2) {
      if (!slow[i] && !slow[i + 1]) unresolved_.push_back(joined(pending_[i], pending_[i + 1]));
    }
  }

  std::vector<std::vector<int>> next;
  for (std::size_t i = 0; i < pending_.size(); ++i) {
    if (!slow[i]) continue;
    if (pending_[i].size() <= min_nodes || round_ >= options_.max_rounds) {
      unresolved_.push_back(pending_[i]);  // cannot split further (or out of rounds): all its nodes are suspects
      continue;
    }
    auto [first, second] = split_halves(pending_[i]);
    next.push_back(std::move(first));
    next.push_back(std::move(second));
  }
  pending_ = std::move(next);
}

std::vector<int> Bisection::suspects() const {
  std::vector<int> all;
  for (const auto& group : unresolved_) all.insert(all.end(), group.begin(), group.end());
  std::sort(all.begin(), all.end());
  all.erase(std::unique(all.begin(), all.end()), all.end());
  return all;
}

}  // namespace railcheck::analysis
