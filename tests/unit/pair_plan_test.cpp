// The pairwise planner: circle method rounds, disjoint pairs, every pair once, rails at once.
#include <gtest/gtest.h>

#include <set>

#include "railcheck/plan/pair_plan.h"

namespace railcheck {
namespace {

TEST(PairPlan, CircleMethodMeetsEveryPairOnceInDisjointRounds) {
  for (int n = 2; n <= 17; ++n) {
    const auto rounds = circle_rounds(n);
    EXPECT_EQ(static_cast<int>(rounds.size()), n % 2 == 0 ? n - 1 : n) << n;
    std::set<std::pair<int, int>> seen;
    for (const auto& round : rounds) {
      EXPECT_EQ(static_cast<int>(round.size()), n / 2) << n;
      std::set<int> busy;
      for (const auto& [a, b] : round) {
        EXPECT_LT(a, b);
        EXPECT_TRUE(busy.insert(a).second) << "node " << a << " twice in a round, n=" << n;
        EXPECT_TRUE(busy.insert(b).second) << "node " << b << " twice in a round, n=" << n;
        EXPECT_TRUE(seen.insert({a, b}).second) << a << "-" << b << " measured twice, n=" << n;
      }
      EXPECT_EQ(static_cast<int>(busy.size()), n - n % 2);  // odd n: exactly one idle
    }
    EXPECT_EQ(static_cast<int>(seen.size()), n * (n - 1) / 2) << n;
  }
  EXPECT_TRUE(circle_rounds(1).empty());
  EXPECT_TRUE(circle_rounds(0).empty());
}

TEST(PairPlan, FourNodesOneRailAreThreeRoundsOfTwoPairs) {
  const auto plan = plan_pairs({{0}, {1}, {2}, {3}}, {});
  ASSERT_EQ(plan.size(), 3u);
  for (const auto& round : plan) {
    EXPECT_EQ(round.pairs.size(), 2u);
    EXPECT_TRUE(round.idle_ranks.empty());
  }
}

TEST(PairPlan, OddNodeCountLeavesOneNodeIdlePerRound) {
  const auto plan = plan_pairs({{0}, {1}, {2}}, {});
  ASSERT_EQ(plan.size(), 3u);
  std::set<int> idle;
  for (const auto& round : plan) {
    ASSERT_EQ(round.idle_ranks.size(), 1u);
    idle.insert(round.idle_ranks[0]);
  }
  EXPECT_EQ(idle.size(), 3u);  // each node sits out once
}

TEST(PairPlan, EveryRailOfAPairAtOnceRailToSameRail) {
  // 3 nodes x 2 rails: rank = node * 2 + rail
  const auto plan = plan_pairs({{0, 1}, {2, 3}, {4, 5}}, {});
  ASSERT_EQ(plan.size(), 3u);
  std::set<std::pair<int, int>> seen;
  for (const auto& round : plan) {
    EXPECT_EQ(round.pairs.size(), 2u);  // one node pair, both rails
    for (const RankPair& p : round.pairs) {
      EXPECT_EQ(p.a % 2, p.rail);
      EXPECT_EQ(p.b % 2, p.rail);
      EXPECT_FALSE(p.within_node);
      seen.insert({p.a, p.b});
    }
  }
  EXPECT_EQ(seen.size(), 6u);  // 3 node pairs x 2 rails
}

TEST(PairPlan, WithinNodePairsEveryRailPairOnceOnAllNodesAtOnce) {
  PairPlanOptions options;
  options.cross_node = false;
  options.within_node = true;
  const auto plan = plan_pairs({{0, 1, 2, 3}, {4, 5, 6, 7}}, options);
  ASSERT_EQ(plan.size(), 3u);  // 4 rails: 3 rounds
  std::set<std::pair<int, int>> seen;
  for (const auto& round : plan) {
    EXPECT_EQ(round.pairs.size(), 4u);  // 2 pairs per node, both nodes
    std::set<int> busy;
    for (const RankPair& p : round.pairs) {
      EXPECT_TRUE(p.within_node);
      EXPECT_EQ(p.a / 4, p.b / 4);
      EXPECT_TRUE(busy.insert(p.a).second && busy.insert(p.b).second);
      seen.insert({p.a, p.b});
    }
  }
  EXPECT_EQ(seen.size(), 12u);  // 6 rail pairs per node x 2 nodes
}

TEST(PairPlan, MissingRailsAreSkipped) {
  const auto plan = plan_pairs({{0, 1}, {2, -1}}, {});
  ASSERT_EQ(plan.size(), 1u);
  ASSERT_EQ(plan[0].pairs.size(), 1u);
  EXPECT_EQ(plan[0].idle_ranks, std::vector<int>{1});
}

}  // namespace
}  // namespace railcheck
