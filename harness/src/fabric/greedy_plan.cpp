#include "railcheck/fabric/greedy_plan.h"

#include <algorithm>
#include <cstdint>
#include <set>
#include <string>
#include <unordered_set>
#include <utility>

#include "railcheck/fabric/stage_plan.h"

namespace railcheck::fabric {
namespace {

/// Leaf and place shifts to try, in order: across leaves (+1), within a leaf (0), back (-1), then farther leaves
/// (half, a third, ... of the way round, which on a fabric laid out pod by pod leave the pod) and more place shifts.
std::vector<std::pair<int, int>> candidate_shifts(int leaves) {
  // Backwards too (-1): a fabric laid out pod by pod gives a pod's first leaf its only flows from inside the pod
  // that way, as +1 does its last.
  std::vector<int> leaf_shifts = {1, 0, leaves - 1};
  for (int d = 2; d <= 8; ++d) leaf_shifts.push_back(leaves / d + 1);
  for (int a = 2; a <= 8; ++a) leaf_shifts.insert(leaf_shifts.end(), {a, leaves - a});
  std::vector<std::pair<int, int>> out;
  std::set<std::pair<int, int>> seen;
  for (const int place_shift : {1, 3, 5, 2, 7, 4}) {
    for (const int a : leaf_shifts) {
      const int leaf_shift = leaves > 0 ? ((a % leaves) + leaves) % leaves : 0;
      if (seen.insert({leaf_shift, place_shift}).second) out.emplace_back(leaf_shift, place_shift);
    }
  }
  return out;
}

/// Per link, a running hash of the flows over it: links with equal hashes (and counts) are one class.
struct Signatures {
  std::vector<std::uint64_t> hash;
  std::vector<int> count;
  explicit Signatures(std::size_t links) : hash(links, 0), count(links, 0) {}
  void add(const std::vector<int>& route, std::uint64_t flow) {
    for (const int l : route) {
      auto& h = hash[static_cast<std::size_t>(l)];
      h = (h ^ flow) * 0x100000001b3ULL + 0x9e3779b97f4a7c15ULL;
      ++count[static_cast<std::size_t>(l)];
    }
  }
  /// (covered links, classes among them)
  std::pair<std::size_t, std::size_t> score() const {
    std::unordered_set<std::uint64_t> classes;
    std::size_t covered = 0;
    for (std::size_t l = 0; l < hash.size(); ++l) {
      if (count[l] == 0) continue;
      ++covered;
      classes.insert(hash[l] ^ (static_cast<std::uint64_t>(count[l]) << 48));
    }
    return {covered, classes.size()};
  }
};

}  // namespace

std::vector<Stage> greedy_plan(const RoutedFabric& fabric, int max_stages) {
  const Fabric& f = fabric.fabric();
  // Endpoints by leaf: the device each NIC's first link reaches.
  std::vector<std::vector<int>> by_leaf;
  std::vector<int> leaf_index(f.devices().size(), -1);
  std::vector<std::pair<int, int>> place_of(static_cast<std::size_t>(fabric.endpoints()));
  const std::vector<int> leaf_of = leaf_of_endpoints(fabric);
  for (int e = 0; e < fabric.endpoints(); ++e) {
    const int leaf = leaf_of[static_cast<std::size_t>(e)];
    if (leaf < 0) continue;
    int& index = leaf_index[static_cast<std::size_t>(leaf)];
    if (index < 0) {
      index = static_cast<int>(by_leaf.size());
      by_leaf.emplace_back();
    }
    place_of[static_cast<std::size_t>(e)] = {index, static_cast<int>(by_leaf[static_cast<std::size_t>(index)].size())};
    by_leaf[static_cast<std::size_t>(index)].push_back(e);
  }
  const int leaves = static_cast<int>(by_leaf.size());
  Signatures signatures(f.links().size());
  std::pair<std::size_t, std::size_t> best = signatures.score();
  std::vector<Stage> plan;
  std::uint64_t flow_tag = 0;
  for (const auto& [leaf_shift, place_shift] : candidate_shifts(leaves)) {
    if (static_cast<int>(plan.size()) >= max_stages) break;
    if (best.first == f.links().size() && best.second == f.links().size()) break;  // every link alone
    Stage stage{(leaf_shift == 0 ? "intra-leaf +" + std::to_string(place_shift)
                                 : "leaf +" + std::to_string(leaf_shift) + " place +" + std::to_string(place_shift)),
                {}};
    std::vector<char> receiving(static_cast<std::size_t>(fabric.endpoints()), 0), loaded(f.links().size(), 0);
    std::vector<std::vector<int>> routes;
    for (int src = 0; src < fabric.endpoints(); ++src) {
      const auto [leaf, place] = place_of[static_cast<std::size_t>(src)];
      if (by_leaf.empty()) break;
      const std::vector<int>& to = by_leaf[static_cast<std::size_t>((leaf + leaf_shift) % leaves)];
      const int dst = to[static_cast<std::size_t>((place + place_shift) % static_cast<int>(to.size()))];
      if (dst == src || receiving[static_cast<std::size_t>(dst)] != 0) continue;
      std::vector<int> route = fabric.route(src, dst);
      if (std::any_of(route.begin(), route.end(), [&](int l) { return loaded[static_cast<std::size_t>(l)] != 0; })) {
        continue;
      }
      for (const int l : route) loaded[static_cast<std::size_t>(l)] = 1;
      receiving[static_cast<std::size_t>(dst)] = 1;
      stage.flows.push_back({src, dst});
      routes.push_back(std::move(route));
    }
    if (stage.flows.empty()) continue;
    Signatures tried = signatures;
    for (std::size_t i = 0; i < routes.size(); ++i) tried.add(routes[i], ++flow_tag * 0xff51afd7ed558ccdULL);
    const auto score = tried.score();
    if (score.first <= best.first && score.second <= best.second) continue;  // tells nothing new
    signatures = std::move(tried);
    best = score;
    plan.push_back(std::move(stage));
  }
  return plan;
}

}  // namespace railcheck::fabric
