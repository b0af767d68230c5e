#include "railcheck/plan/pair_plan.h"

#include <algorithm>
#include <set>

namespace railcheck {

std::vector<std::vector<std::pair<int, int>>> circle_rounds(int nodes) {
  std::vector<std::vector<std::pair<int, int>>> rounds;
  if (nodes < 2) return rounds;
  const int m = nodes % 2 == 0 ? nodes : nodes + 1;  // odd: a phantom node; its partner sits out
  std::vector<int> ring(static_cast<std::size_t>(m));
  for (int i = 0; i < m; ++i) ring[static_cast<std::size_t>(i)] = i;
  for (int r = 0; r < m - 1; ++r) {
    std::vector<std::pair<int, int>> round;
    for (int i = 0; i < m / 2; ++i) {
      const int x = ring[static_cast<std::size_t>(i)], y = ring[static_cast<std::size_t>(m - 1 - i)];
      if (x >= nodes || y >= nodes) continue;
      round.emplace_back(std::min(x, y), std::max(x, y));
    }
    std::sort(round.begin(), round.end());
    rounds.push_back(std::move(round));
    std::rotate(ring.begin() + 1, ring.end() - 1, ring.end());  // ring[0] fixed, the rest turn one step
  }
  return rounds;
}

std::vector<PairRound> plan_pairs(const std::vector<std::vector<int>>& rank_of, const PairPlanOptions& options) {
  std::set<int> all;
  for (const auto& rails : rank_of) {
    for (int rank : rails) {
      if (rank >= 0) all.insert(rank);
    }
  }
  auto finish = [&all](PairRound& round) {
    std::set<int> busy;
    for (const RankPair& p : round.pairs) busy.insert({p.a, p.b});
    for (int rank : all) {
      if (!busy.count(rank)) round.idle_ranks.push_back(rank);
    }
  };
  std::vector<PairRound> plan;
  const int nodes = static_cast<int>(rank_of.size());
  if (options.cross_node) {
    for (const auto& node_pairs : circle_rounds(nodes)) {
      PairRound round;
      for (const auto& [x, y] : node_pairs) {
        const auto& rx = rank_of[static_cast<std::size_t>(x)];
        const auto& ry = rank_of[static_cast<std::size_t>(y)];
        for (std::size_t rail = 0; rail < std::min(rx.size(), ry.size()); ++rail) {
          if (rx[rail] < 0 || ry[rail] < 0) continue;
          round.pairs.push_back({rx[rail], ry[rail], static_cast<int>(rail), static_cast<int>(rail), false});
        }
      }
      finish(round);
      plan.push_back(std::move(round));
    }
  }
  if (options.within_node) {
    std::size_t most_rails = 0;
    for (const auto& rails : rank_of) most_rails = std::max(most_rails, rails.size());
    for (const auto& rail_pairs : circle_rounds(static_cast<int>(most_rails))) {
      PairRound round;
      for (const auto& rails : rank_of) {
        for (const auto& [i, j] : rail_pairs) {
          if (static_cast<std::size_t>(j) >= rails.size()) continue;
          const int a = rails[static_cast<std::size_t>(i)], b = rails[static_cast<std::size_t>(j)];
          if (a >= 0 && b >= 0) round.pairs.push_back({a, b, i, j, true});
        }
      }
      if (round.pairs.empty()) continue;
      finish(round);
      plan.push_back(std::move(round));
    }
  }
  return plan;
}

}  // namespace railcheck
