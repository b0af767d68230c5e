#include "railcheck/fabric/confirm_stage.h"

#include <algorithm>
#include <map>
#include <random>
#include <set>
#include <utility>

#include "railcheck/fabric/stage_plan.h"

namespace railcheck::fabric {
namespace {

/// A link to send a flow over, and a link the flow must not cross (-1: none).
struct Target {
  int link = 0;
  int avoid = -1;
  auto operator<=>(const Target&) const = default;
};

/// Per directed link: the flows over it (all and slow) and the counts the solver scores by.
struct LinkEvidence {
  std::vector<std::vector<FlowRef>> flows;
  std::vector<int> slow, total;
  explicit LinkEvidence(const Measured& m, std::size_t links) : flows(links), slow(links, 0), total(links, 0) {
    for (std::size_t s = 0; s < m.routes.size(); ++s) {
      for (std::size_t f = 0; f < m.routes[s].size(); ++f) {
        for (const int l : m.routes[s][f]) {
          const auto i = static_cast<std::size_t>(l);
          flows[i].push_back({static_cast<int>(s), static_cast<int>(f)});
          ++total[i];
          if (m.slow[s][f]) ++slow[i];
        }
      }
    }
  }
  int score(int l) const { return 2 * slow[static_cast<std::size_t>(l)] - total[static_cast<std::size_t>(l)]; }
  bool suspect(int l, double share) const {
    const auto i = static_cast<std::size_t>(l);
    return slow[i] > 0 && slow[i] >= share * total[i];
  }
};

/// Endpoints grouped by the switch their NIC is cabled to: the other NICs of an endpoint's leaf.
std::vector<std::vector<int>> leaf_mates(const RoutedFabric& fabric) {
  const std::vector<int> leaf = leaf_of_endpoints(fabric);
  std::map<int, std::vector<int>> by_switch;
  for (int e = 0; e < fabric.endpoints(); ++e) by_switch[leaf[static_cast<std::size_t>(e)]].push_back(e);
  std::vector<std::vector<int>> mates(static_cast<std::size_t>(fabric.endpoints()));
  for (int e = 0; e < fabric.endpoints(); ++e) {
    const int l = leaf[static_cast<std::size_t>(e)];
    mates[static_cast<std::size_t>(e)] = l >= 0 ? by_switch[l] : std::vector<int>{e};
  }
  return mates;
}

/// The links in doubt, each once.
std::vector<Target> targets_in_doubt(const Measured& m, const LinkEvidence& ev, const TomographyResult& solved,
                                     const TomographyOptions& solver, int band) {
  std::set<Target> targets;
  std::set<int> named;
  for (const NamedFault& fault : solved.faults) named.insert(fault.links.begin(), fault.links.end());
  // Near the threshold and not named: a fault whose flows noise made healthy, or a healthy link noise made slow.
  for (std::size_t l = 0; l < ev.total.size(); ++l) {
    const int link = static_cast<int>(l);
    if (!named.contains(link) && ev.suspect(link, solver.slow_share) && ev.score(link) >= solver.min_margin - band) {
      targets.insert({link, -1});
    }
  }
  for (const NamedFault& fault : solved.faults) {
    for (const int link : fault.links) {
      // Members of a class the plan could not split: a flow over each but not the others.
      for (const int other : fault.links) {
        if (other != link) targets.insert({link, other});
      }
      if (ev.score(link) < solver.min_margin + band) targets.insert({link, -1});
      // Rivals: links sharing its slow flows that score nearly as well.
      std::set<int> rivals;
      for (const FlowRef& r : fault.flows) {
        for (const int other : m.routes[static_cast<std::size_t>(r.stage)][static_cast<std::size_t>(r.flow)]) {
          if (other != link && ev.suspect(other, solver.slow_share) && ev.score(other) >= ev.score(link) - band) {
            rivals.insert(other);
          }
        }
      }
      for (const int rival : rivals) {
        targets.insert({rival, link});
        targets.insert({link, rival});
      }
    }
  }
  return {targets.begin(), targets.end()};
}

}  // namespace

Stage plan_confirm_stage(const RoutedFabric& fabric, const Measured& measured, const TomographyResult& solved,
                         const TomographyOptions& solver, const ConfirmOptions& options) {
  const std::size_t links = fabric.fabric().links().size();
  const LinkEvidence ev(measured, links);
  std::vector<Target> targets = targets_in_doubt(measured, ev, solved, solver, options.doubt_band);
  std::mt19937_64 random(options.seed);
  std::shuffle(targets.begin(), targets.end(), random);
  // An endpoint takes one flow a stage, and the links above a destination all want its one. First the flows
  // that split a named link from a rival (more flows over both would not tell them apart), the split with the
  // fewest such flows so far first, so that splits of one chain take turns; then the link most likely faulty
  // (the highest slow-minus-healthy count).
  const auto splitting = [&](const Target& t) {
    const std::vector<FlowRef>& over = ev.flows[static_cast<std::size_t>(t.link)];
    return static_cast<int>(std::count_if(over.begin(), over.end(), [&](const FlowRef& r) {
      const std::vector<int>& path =
          measured.routes[static_cast<std::size_t>(r.stage)][static_cast<std::size_t>(r.flow)];
      return std::find(path.begin(), path.end(), t.avoid) == path.end();
    }));
  };
  std::vector<std::pair<int, Target>> keyed;
  for (const Target& t : targets) keyed.emplace_back(t.avoid >= 0 ? splitting(t) : 0, t);
  std::stable_sort(keyed.begin(), keyed.end(), [&](const auto& a, const auto& b) {
    const bool a_splits = a.second.avoid >= 0, b_splits = b.second.avoid >= 0;
    if (a_splits != b_splits) return a_splits;
    if (a.first != b.first) return a.first < b.first;
    return ev.score(a.second.link) > ev.score(b.second.link);
  });
  for (std::size_t i = 0; i < keyed.size(); ++i) targets[i] = keyed[i].second;
  const std::vector<std::vector<int>> mates = leaf_mates(fabric);

  const auto usable = [&](int endpoint) {
    return options.usable.empty() || options.usable[static_cast<std::size_t>(endpoint)];
  };
  Stage stage{"confirm", {}};
  std::vector<char> sending(static_cast<std::size_t>(fabric.endpoints()), 0);
  std::vector<char> receiving(sending.size(), 0);
  std::vector<char> loaded(links, 0);
  for (const Target& target : targets) {
    const std::vector<FlowRef>& seeds = ev.flows[static_cast<std::size_t>(target.link)];
    if (seeds.empty()) continue;
    std::uniform_int_distribution<std::size_t> pick_seed(0, seeds.size() - 1);
    Flow best{};
    std::vector<int> best_route;
    int best_cost = -1;
    for (int t = 0; t < options.tries && best_cost != 0; ++t) {
      const FlowRef seed = seeds[pick_seed(random)];
      Flow flow = measured.stages[static_cast<std::size_t>(seed.stage)].flows[static_cast<std::size_t>(seed.flow)];
      // Move one end to another NIC of its leaf: the source for links the flow's sending side chose, the
      // destination for the rest; which one works is found by walking the route.
      int& end = (random() & 1) != 0 ? flow.src : flow.dst;
      const std::vector<int>& on_leaf = mates[static_cast<std::size_t>(end)];
      end = on_leaf[std::uniform_int_distribution<std::size_t>(0, on_leaf.size() - 1)(random)];
      if (flow.src == flow.dst || sending[static_cast<std::size_t>(flow.src)] != 0 ||
          receiving[static_cast<std::size_t>(flow.dst)] != 0 || !usable(flow.src) || !usable(flow.dst)) {
        continue;
      }
      std::vector<int> route = fabric.route(flow.src, flow.dst);
      if (std::find(route.begin(), route.end(), target.link) == route.end()) continue;
      if (target.avoid >= 0 && std::find(route.begin(), route.end(), target.avoid) != route.end()) continue;
      if (std::any_of(route.begin(), route.end(), [&](int l) { return loaded[static_cast<std::size_t>(l)] != 0; })) {
        continue;
      }
      const auto cost = static_cast<int>(std::count_if(
          route.begin(), route.end(), [&](int l) { return l != target.link && ev.suspect(l, solver.slow_share); }));
      if (best_cost < 0 || cost < best_cost) {
        best_cost = cost;
        best = flow;
        best_route = std::move(route);
      }
    }
    if (best_cost < 0) continue;
    sending[static_cast<std::size_t>(best.src)] = 1;
    receiving[static_cast<std::size_t>(best.dst)] = 1;
    for (const int l : best_route) loaded[static_cast<std::size_t>(l)] = 1;
    stage.flows.push_back(best);
  }
  return stage;
}

}  // namespace railcheck::fabric
