// Which links are measured when: pure planning over node and rail indices, no MPI, no sockets.
//
// Across nodes: the circle method (round-robin tournament). n nodes, n even: n-1 rounds of n/2 disjoint
// pairs; n odd: n rounds, one node idle in each. Every unordered pair meets exactly once, and the pairs of a
// round run at the same time, so a round measures n/2 links concurrently. Every rail of a pair runs at once:
// rail i of node a <-> rail i of node b. Within a node (optional): the rails of one node paired with each other
// by the same method, all nodes at once ("loopback" pairs through the switch and back).
#pragma once

#include <vector>

namespace railcheck {

/// One measured link: `a` listens and, unidirectional, sends first; `b` connects. Ranks, not nodes.
struct RankPair {
  int a = -1;
  int b = -1;
  int rail = 0;    ///< rail index of a (and of b for cross-node pairs)
  int rail_b = 0;  ///< rail index of b (differs from rail only for within-node pairs)
  bool within_node = false;
};

struct PairRound {
  std::vector<RankPair> pairs;
  std::vector<int> idle_ranks;  ///< ranks in no pair this round
};

/// Node pairs of the circle method: rounds of disjoint (a, b) with a < b. Empty for n < 2.
std::vector<std::vector<std::pair<int, int>>> circle_rounds(int nodes);

struct PairPlanOptions {
  bool cross_node = true;    ///< pairs between nodes (rail i <-> rail i)
  bool within_node = false;  ///< also pairs of rails inside each node, in extra rounds after the cross-node ones
};

/// The plan for ranks laid out as `rank_of[node][rail]` (-1: this node lacks that rail). Each rank is in at
/// most one pair per round. Ranks absent from `rank_of` never appear.
std::vector<PairRound> plan_pairs(const std::vector<std::vector<int>>& rank_of, const PairPlanOptions& options);

}  // namespace railcheck
