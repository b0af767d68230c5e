#include "railcheck/fabric/tomography.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <stdexcept>
#include <string>

namespace railcheck::fabric {

TomographyResult boolean_tomography(const Fabric& fabric, const std::vector<Stage>& plan,
                                    const std::vector<std::vector<bool>>& slow, const RouteOracle& route,
                                    const TomographyOptions& options) {
  std::vector<std::vector<std::vector<int>>> routes(plan.size());
  for (std::size_t s = 0; s < plan.size(); ++s) {
    for (const Flow& flow : plan[s].flows) routes[s].push_back(route(flow.src, flow.dst));
  }
  return boolean_tomography(fabric.links().size(), routes, slow, options);
}

namespace {

/// How far (in Poisson spreads of the background's count) an ECMP bundle's slow flows must stand out.
constexpr double kBundleSpreads = 2.0;

/// What the solver judges: directed links, and ECMP bundles of several (ids past the links).
struct Components {
  std::vector<int> width;                 ///< by component: 1 for a link, k for a bundle of k links
  std::vector<std::vector<int>> members;  ///< by component: the directed links it stands for
};

/// Boolean tomography over components: `routes[s][f]` the components flow f of stage s crossed.
TomographyResult solve(const Components& components, const std::vector<std::vector<std::vector<int>>>& routes,
                       const std::vector<std::vector<bool>>& slow, const TomographyOptions& options) {
  const std::size_t count = components.width.size();
  std::vector<int> total(count, 0), slow_count(count, 0);
  std::vector<std::vector<FlowRef>> slow_flows_of(count);
  std::vector<std::vector<FlowRef>> signature(count);
  std::vector<FlowRef> all_slow;
  int flows = 0;
  for (std::size_t s = 0; s < routes.size(); ++s) {
    flows += static_cast<int>(routes[s].size());
    for (std::size_t f = 0; f < routes[s].size(); ++f) {
      const FlowRef ref{static_cast<int>(s), static_cast<int>(f)};
      const bool is_slow = slow.at(s).at(f);
      if (is_slow) all_slow.push_back(ref);
      for (const int component : routes[s][f]) {
        const auto c = static_cast<std::size_t>(component);
        ++total[c];
        signature[c].push_back(ref);
        if (is_slow) {
          ++slow_count[c];
          slow_flows_of[c].push_back(ref);
        }
      }
    }
  }
  // Candidates, grouped by signature (and width): components the plan cannot tell apart are named together.
  std::map<std::pair<std::vector<FlowRef>, int>, std::vector<int>> classes;
  for (std::size_t c = 0; c < count; ++c) {
    const int width = components.width[c];
    if (slow_count[c] == 0 || slow_count[c] * width < options.slow_share * total[c]) continue;
    classes[{signature[c], width}].push_back(static_cast<int>(c));
  }
  TomographyResult result;
  std::set<FlowRef> unexplained(all_slow.begin(), all_slow.end());
  while (!unexplained.empty()) {
    // The class whose unexplained slow flows outnumber its healthy flows the most: each healthy flow over a
    // link is evidence that it is fine (a slow leaf -> NIC link and the spine link feeding it share two slow
    // flows, but only the leaf link also carries the healthy intra-leaf one).
    // On a tie, the class with fewer healthy flows: a link under a slow one shares all its slow flows, and one
    // more flow of the lower link measured slow by chance ties them; the healthy flows left over it still speak.
    const std::pair<std::vector<FlowRef>, int>* best = nullptr;
    int best_score = options.min_margin - 1, best_healthy = 0;
    auto gain_of = [&](std::size_t c) {
      const std::vector<FlowRef>& flows = slow_flows_of[c];
      return static_cast<int>(
          std::count_if(flows.begin(), flows.end(), [&](const FlowRef& r) { return unexplained.contains(r); }));
    };
    for (const auto& [key, members] : classes) {
      if (key.second != 1) continue;
      const auto c = static_cast<std::size_t>(members.front());
      const int healthy = total[c] - slow_count[c];
      const int score = gain_of(c) - healthy;
      if (score > best_score || (best != nullptr && score == best_score && healthy < best_healthy)) {
        best_score = score;
        best_healthy = healthy;
        best = &key;
      }
    }
    // Then ECMP bundles. Flows also collide (two or three hashed onto one member run at a half or a third), so a
    // bundle is a candidate only when its unexplained slow flows stand out of that background: more than the
    // share of the other flows left unexplained predicts for its flows, by kBundleSpreads Poisson spreads, and in
    // at least two stages (a collision slows flows of one stage; a slow member, stage after stage). Its healthy
    // flows clear nothing: one slow member of k slows only about 1/k of them. It is named before the best link
    // known to carry its flows only when it stands out by more than that link's slow-minus-healthy count: a
    // slow spine -> leaf member slows about half of the cross-leaf flows into each NIC of the leaf, which can
    // outnumber the healthy flows over that NIC's own link, while the group explains the slow flows of every NIC
    // behind it, and a slow NIC link slows its intra-leaf flows too, which no group explains.
    const std::pair<std::vector<FlowRef>, int>* best_bundle = nullptr;
    double best_excess = 0.0;
    for (const auto& [key, members] : classes) {
      if (key.second == 1) continue;
      const auto c = static_cast<std::size_t>(members.front());
      std::set<int> stages;
      int gain = 0;
      for (const FlowRef& r : slow_flows_of[c]) {
        if (!unexplained.contains(r)) continue;
        ++gain;
        stages.insert(r.stage);
      }
      const double others = static_cast<double>(std::max(flows - total[c], 1));
      const double expected = static_cast<double>(static_cast<int>(unexplained.size()) - gain) / others * total[c];
      const double excess = gain - expected;
      if (gain < options.min_margin || stages.size() < 2 ||
          excess <= kBundleSpreads * std::sqrt(std::max(expected, 1.0))) {
        continue;
      }
      if (best_bundle == nullptr || excess > best_excess ||
          (excess == best_excess && key.second < best_bundle->second)) {
        best_excess = excess;
        best_bundle = &key;
      }
    }
    if (best_bundle != nullptr && (best == nullptr || best_excess > best_score)) best = best_bundle;
    if (best == nullptr) break;
    const std::vector<int>& members = classes.at(*best);
    NamedFault fault;
    for (const int c : members) {
      const std::vector<int>& links = components.members[static_cast<std::size_t>(c)];
      fault.links.insert(fault.links.end(), links.begin(), links.end());
    }
    for (const FlowRef& r : slow_flows_of[static_cast<std::size_t>(members.front())]) {
      if (unexplained.erase(r) > 0) fault.flows.push_back(r);
    }
    classes.erase(*best);
    result.faults.push_back(std::move(fault));
  }
  result.unexplained.assign(unexplained.begin(), unexplained.end());
  return result;
}

Components links_only(std::size_t links) {
  Components c;
  c.width.assign(links, 1);
  for (std::size_t l = 0; l < links; ++l) c.members.push_back({static_cast<int>(l)});
  return c;
}

void check_link(int link, std::size_t links) {
  if (link < 0 || static_cast<std::size_t>(link) >= links)
    throw std::out_of_range("flow route names link " + std::to_string(link) + " of " + std::to_string(links));
}

}  // namespace

TomographyResult boolean_tomography(std::size_t links, const std::vector<std::vector<std::vector<int>>>& routes,
                                    const std::vector<std::vector<bool>>& slow, const TomographyOptions& options) {
  for (const auto& stage : routes) {
    for (const auto& route : stage) {
      for (const int link : route) check_link(link, links);
    }
  }
  return solve(links_only(links), routes, slow, options);
}

TomographyResult boolean_tomography_hops(std::size_t links,
                                         const std::vector<std::vector<std::vector<std::vector<int>>>>& routes,
                                         const std::vector<std::vector<bool>>& slow, const TomographyOptions& options) {
  Components components = links_only(links);
  std::map<std::vector<int>, int> bundle_id;
  std::vector<std::vector<std::vector<int>>> component_routes(routes.size());
  for (std::size_t s = 0; s < routes.size(); ++s) {
    for (const auto& hops : routes[s]) {
      std::vector<int> route;
      for (std::vector<int> hop : hops) {
        for (const int link : hop) check_link(link, links);
        std::sort(hop.begin(), hop.end());
        hop.erase(std::unique(hop.begin(), hop.end()), hop.end());
        if (hop.empty()) continue;
        if (hop.size() == 1) {
          route.push_back(hop.front());
          continue;
        }
        const auto [it, added] = bundle_id.try_emplace(hop, static_cast<int>(components.width.size()));
        if (added) {
          components.width.push_back(static_cast<int>(hop.size()));
          components.members.push_back(hop);
        }
        route.push_back(it->second);
      }
      component_routes[s].push_back(std::move(route));
    }
  }
  return solve(components, component_routes, slow, options);
}

}  // namespace railcheck::fabric
