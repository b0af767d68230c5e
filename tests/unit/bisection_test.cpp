// Bisection of a slow collective group on crafted inputs: a model says which groups are slow, the planner
// drives the rounds, and the tests check rounds, suspects and the recorded history.
#include <gtest/gtest.h>

#include <algorithm>
#include <functional>
#include <limits>
#include <numeric>
#include <set>
#include <stdexcept>

#include "railcheck/analysis/bisection.h"

namespace railcheck::analysis {
namespace {

constexpr double kExpectedGbps = 100.0;

std::vector<int> iota_nodes(int n) {
  std::vector<int> nodes(static_cast<std::size_t>(n));
  std::iota(nodes.begin(), nodes.end(), 0);
  return nodes;
}

// A group is measured at 50 GB/s when `is_slow(group)`, else at 99 GB/s (1% below expected: within tolerance).
using SlowModel = std::function<bool(const std::vector<int>&)>;

void run_to_end(Bisection& bisection, const SlowModel& is_slow) {
  for (int guard = 0; !bisection.done() && guard < 100; ++guard) {
    std::vector<double> values, expected;
    for (const auto& group : bisection.pending()) {
      values.push_back(is_slow(group) ? 50.0 : 99.0);
      expected.push_back(kExpectedGbps);
    }
    bisection.report(values, expected);
  }
  ASSERT_TRUE(bisection.done());
}

SlowModel contains_any(std::set<int> slow_nodes) {
  return [slow_nodes](const std::vector<int>& group) {
    return std::any_of(group.begin(), group.end(), [&](int n) { return slow_nodes.count(n) > 0; });
  };
}

TEST(Bisection, SplitHalvesPutsTheExtraNodeFirstAndKeepsOrder) {
  const auto [a, b] = split_halves({7, 3, 9, 1, 5});
  EXPECT_EQ(a, (std::vector<int>{7, 3, 9}));
  EXPECT_EQ(b, (std::vector<int>{1, 5}));
  const auto [c, d] = split_halves({4, 2});
  EXPECT_EQ(c, std::vector<int>{4});
  EXPECT_EQ(d, std::vector<int>{2});
}

TEST(Bisection, HealthyGroupTakesOneRoundAndHasNoSuspects) {
  Bisection bisection(iota_nodes(16), {});
  ASSERT_EQ(bisection.pending().size(), 1u);
  EXPECT_EQ(bisection.pending()[0].size(), 16u);
  run_to_end(bisection, [](const std::vector<int>&) { return false; });
  EXPECT_EQ(bisection.rounds(), 1);
  EXPECT_TRUE(bisection.suspects().empty());
  ASSERT_EQ(bisection.history().size(), 1u);
  EXPECT_FALSE(bisection.history()[0].slow);
}

TEST(Bisection, OneSlowNodeInSixteenIsIsolatedToItsPairInFourRounds) {
  Bisection bisection(iota_nodes(16), {});
  run_to_end(bisection, contains_any({11}));
  EXPECT_EQ(bisection.rounds(), 1 + 3);  // 1 + log2(16 / 2): 16 -> 8+8 -> 4+4 -> 2+2
  EXPECT_EQ(bisection.suspects(), (std::vector<int>{10, 11}));
}

TEST(Bisection, SlownessExactlyAtTheToleranceIsNotSlow) {
  BisectionOptions options;
  options.slow_tolerance = 0.20;
  Bisection at_edge(iota_nodes(4), options);
  at_edge.report({80.0}, {100.0});  // 20% below: not more than the tolerance
  EXPECT_TRUE(at_edge.done());
  EXPECT_TRUE(at_edge.suspects().empty());
  Bisection below(iota_nodes(4), options);
  below.report({79.9}, {100.0});
  EXPECT_FALSE(below.done());
  EXPECT_EQ(below.pending().size(), 2u);
}

TEST(Bisection, TwoSlowNodesInDifferentHalvesAreBothIsolated) {
  Bisection bisection(iota_nodes(16), {});
  run_to_end(bisection, contains_any({2, 13}));
  EXPECT_EQ(bisection.rounds(), 4);
  EXPECT_EQ(bisection.suspects(), (std::vector<int>{2, 3, 12, 13}));
  // Both halves ran in round 2, both quarters with a slow node in round 3: four groups per later round.
  int round_two_groups = 0;
  for (const auto& step : bisection.history()) round_two_groups += step.round == 2 ? 1 : 0;
  EXPECT_EQ(round_two_groups, 2);
}

TEST(Bisection, FaultThatNeedsTwoNodesTogetherLeavesTheGroupUnresolved) {
  // Slow only when node 3 and node 4 are in the same group (e.g. the link between them): the 8-group is slow,
  // its halves {0..3} and {4..7} are both fine, so all 8 nodes are suspects for the pairwise pass.
  Bisection bisection(iota_nodes(8), {});
  run_to_end(bisection, [](const std::vector<int>& group) {
    return std::count(group.begin(), group.end(), 3) > 0 && std::count(group.begin(), group.end(), 4) > 0;
  });
  EXPECT_EQ(bisection.rounds(), 2);
  EXPECT_EQ(bisection.suspects(), iota_nodes(8));
}

TEST(Bisection, OddSizesSplitUnevenlyAndStillIsolate) {
  Bisection bisection(iota_nodes(13), {});  // 13 -> 7+6 -> (4+3) -> (2+2) -> ...
  run_to_end(bisection, contains_any({6}));
  EXPECT_EQ(bisection.suspects(), (std::vector<int>{6}));  // 7 -> {0..3},{4,5,6} -> {4,5},{6}
  std::set<int> measured_sizes;
  for (const auto& step : bisection.history()) measured_sizes.insert(static_cast<int>(step.nodes.size()));
  EXPECT_EQ(measured_sizes, (std::set<int>{1, 2, 3, 4, 6, 7, 13}));

  Bisection three(iota_nodes(3), {});  // 3 -> {0,1},{2}
  run_to_end(three, contains_any({0}));
  EXPECT_EQ(three.rounds(), 2);
  EXPECT_EQ(three.suspects(), (std::vector<int>{0, 1}));
}

TEST(Bisection, GroupAtMinimumSizeIsASuspectWhenSlow) {
  BisectionOptions options;
  options.min_group_nodes = 4;
  Bisection bisection(iota_nodes(4), options);
  run_to_end(bisection, contains_any({1}));
  EXPECT_EQ(bisection.rounds(), 1);
  EXPECT_EQ(bisection.suspects(), iota_nodes(4));
}

TEST(Bisection, MaxRoundsStopsTheSearchWithTheSlowGroupsAsSuspects) {
  BisectionOptions options;
  options.max_rounds = 2;
  Bisection bisection(iota_nodes(16), options);
  run_to_end(bisection, contains_any({5}));
  EXPECT_EQ(bisection.rounds(), 2);
  EXPECT_EQ(bisection.suspects(), (std::vector<int>{0, 1, 2, 3, 4, 5, 6, 7}));
}

TEST(Bisection, FailedMeasurementCountsAsSlow) {
  Bisection bisection(iota_nodes(2), {});
  bisection.report({std::numeric_limits<double>::quiet_NaN()}, {kExpectedGbps});
  EXPECT_EQ(bisection.suspects(), (std::vector<int>{0, 1}));
}

TEST(Bisection, ReportWithTheWrongCountThrows) {
  Bisection bisection(iota_nodes(8), {});
  EXPECT_THROW(bisection.report({}, {}), std::invalid_argument);
  EXPECT_THROW(bisection.report({50.0, 50.0}, {kExpectedGbps, kExpectedGbps}), std::invalid_argument);
  EXPECT_THROW(bisection.report({50.0}, {}), std::invalid_argument);
  bisection.report({50.0}, {kExpectedGbps});
  ASSERT_EQ(bisection.pending().size(), 2u);
  EXPECT_THROW(bisection.report({50.0}, {kExpectedGbps}), std::invalid_argument);
}

TEST(Bisection, DuplicateNodeIsRejected) { EXPECT_THROW(Bisection({1, 2, 1}, {}), std::invalid_argument); }

TEST(Bisection, HistoryRecordsEveryMeasuredGroupWithItsRound) {
  Bisection bisection(iota_nodes(8), {});
  run_to_end(bisection, contains_any({0}));
  // round 1: {0..7}; round 2: {0..3}, {4..7}; round 3: {0,1}, {2,3}.
  const auto& history = bisection.history();
  ASSERT_EQ(history.size(), 5u);
  const std::vector<int> rounds = {1, 2, 2, 3, 3};
  const std::vector<bool> slow = {true, true, false, true, false};
  const std::vector<std::vector<int>> groups = {iota_nodes(8), {0, 1, 2, 3}, {4, 5, 6, 7}, {0, 1}, {2, 3}};
  for (std::size_t i = 0; i < history.size(); ++i) {
    EXPECT_EQ(history[i].round, rounds[i]) << i;
    EXPECT_EQ(history[i].slow, slow[i]) << i;
    EXPECT_EQ(history[i].nodes, groups[i]) << i;
    EXPECT_DOUBLE_EQ(history[i].expected, kExpectedGbps) << i;
    EXPECT_DOUBLE_EQ(history[i].value, slow[i] ? 50.0 : 99.0) << i;
  }
  EXPECT_EQ(bisection.suspects(), (std::vector<int>{0, 1}));
}

TEST(Bisection, EmptyGroupIsDoneAtOnce) {
  Bisection bisection({}, {});
  EXPECT_TRUE(bisection.done());
  EXPECT_EQ(bisection.rounds(), 0);
  EXPECT_TRUE(bisection.suspects().empty());
}

}  // namespace
}  // namespace railcheck::analysis
