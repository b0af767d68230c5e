// Group colors for per-rail, per-node, halves and pairs splits on hand-made rank tables.
#include <gtest/gtest.h>

#include <vector>

#include "railcheck/rank_groups.h"

namespace railcheck {
namespace {

// `nodes` hosts with `per_node` ranks each, ranks numbered node by node (block placement).
std::vector<RankInfo> block_table(int nodes, int per_node) {
  std::vector<RankInfo> ranks;
  for (int node = 0; node < nodes; ++node) {
    for (int local = 0; local < per_node; ++local) {
      RankInfo info;
      info.rank = static_cast<int>(ranks.size());
      info.host = "node" + std::to_string(node);
      info.local_rank = local;
      info.local_size = per_node;
      info.node_index = node;
      ranks.push_back(info);
    }
  }
  return ranks;
}

using Colors = std::vector<int>;

TEST(GroupColors, ThreeNodesTwoRanksEach) {
  const auto ranks = block_table(3, 2);  // ranks 0..5 on nodes 0 0 1 1 2 2, local ranks 0 1 0 1 0 1
  EXPECT_EQ(group_colors(GroupScheme::kWorld, ranks), (Colors{0, 0, 0, 0, 0, 0}));
  EXPECT_EQ(group_colors(GroupScheme::kPerRail, ranks), (Colors{0, 1, 0, 1, 0, 1}));
  EXPECT_EQ(group_colors(GroupScheme::kPerNode, ranks), (Colors{0, 0, 1, 1, 2, 2}));
  // Odd node count: the first half takes the extra node (nodes 0, 1 | node 2).
  EXPECT_EQ(group_colors(GroupScheme::kHalves, ranks), (Colors{0, 0, 0, 0, 1, 1}));
  // Nodes 0+1 pair up; node 2 is alone.
  EXPECT_EQ(group_colors(GroupScheme::kPairs, ranks), (Colors{0, 0, 0, 0, 1, 1}));
}

TEST(GroupColors, FourNodesEightRanksEachHaveEightRails) {
  const auto ranks = block_table(4, 8);
  const Colors rails = group_colors(GroupScheme::kPerRail, ranks);
  ASSERT_EQ(rails.size(), 32u);
  for (int r = 0; r < 32; ++r) EXPECT_EQ(rails[static_cast<std::size_t>(r)], r % 8) << r;
  const Colors halves = group_colors(GroupScheme::kHalves, ranks);
  const Colors pairs = group_colors(GroupScheme::kPairs, ranks);
  for (int r = 0; r < 32; ++r) {
    EXPECT_EQ(halves[static_cast<std::size_t>(r)], r < 16 ? 0 : 1) << r;
    EXPECT_EQ(pairs[static_cast<std::size_t>(r)], r / 16) << r;
  }
}

TEST(GroupColors, FiveSingleRankNodes) {
  const auto ranks = block_table(5, 1);
  EXPECT_EQ(group_colors(GroupScheme::kHalves, ranks), (Colors{0, 0, 0, 1, 1}));
  EXPECT_EQ(group_colors(GroupScheme::kPairs, ranks), (Colors{0, 0, 1, 1, 2}));
  EXPECT_EQ(group_colors(GroupScheme::kPerRail, ranks), (Colors{0, 0, 0, 0, 0}));
  EXPECT_EQ(group_colors(GroupScheme::kPerNode, ranks), (Colors{0, 1, 2, 3, 4}));
}

TEST(GroupColors, RoundRobinPlacementFollowsNodeIndexNotRankOrder) {
  // Ranks dealt round-robin over 2 nodes: rank r on node r % 2, local rank r / 2.
  std::vector<RankInfo> ranks(4);
  for (int r = 0; r < 4; ++r) {
    ranks[static_cast<std::size_t>(r)].rank = r;
    ranks[static_cast<std::size_t>(r)].node_index = r % 2;
    ranks[static_cast<std::size_t>(r)].local_rank = r / 2;
    ranks[static_cast<std::size_t>(r)].local_size = 2;
  }
  EXPECT_EQ(group_colors(GroupScheme::kPerNode, ranks), (Colors{0, 1, 0, 1}));
  EXPECT_EQ(group_colors(GroupScheme::kPerRail, ranks), (Colors{0, 0, 1, 1}));
  EXPECT_EQ(group_colors(GroupScheme::kHalves, ranks), (Colors{0, 1, 0, 1}));
}

TEST(GroupColors, SingleNodeIsOneGroupForHalvesAndPairs) {
  const auto ranks = block_table(1, 4);
  EXPECT_EQ(group_colors(GroupScheme::kHalves, ranks), (Colors{0, 0, 0, 0}));
  EXPECT_EQ(group_colors(GroupScheme::kPairs, ranks), (Colors{0, 0, 0, 0}));
}

TEST(GroupScheme, NamesRoundTrip) {
  for (GroupScheme scheme :
       {GroupScheme::kWorld, GroupScheme::kPerRail, GroupScheme::kPerNode, GroupScheme::kHalves, GroupScheme::kPairs}) {
    EXPECT_EQ(parse_group_scheme(name_of(scheme)), scheme) << name_of(scheme);
  }
  EXPECT_EQ(name_of(GroupScheme::kPerRail), "per_rail");
  EXPECT_EQ(parse_group_scheme("rails"), std::nullopt);
}

}  // namespace
}  // namespace railcheck
