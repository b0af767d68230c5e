#include "railcheck/fabric/tomography.h"

#include <algorithm>
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

TomographyResult boolean_tomography(std::size_t links, const std::vector<std::vector<std::vector<int>>>& routes,
                                    const std::vector<std::vector<bool>>& slow, const TomographyOptions& options) {
  std::vector<int> total(links, 0), slow_count(links, 0);
  std::vector<std::vector<FlowRef>> slow_flows_of(links);
  std::vector<std::vector<FlowRef>> signature(links);
  std::vector<FlowRef> all_slow;
  for (std::size_t s = 0; s < routes.size(); ++s) {
    for (std::size_t f = 0; f < routes[s].size(); ++f) {
      const FlowRef ref{static_cast<int>(s), static_cast<int>(f)};
      const bool is_slow = slow.at(s).at(f);
      if (is_slow) all_slow.push_back(ref);
      for (const int link : routes[s][f]) {
        const auto l = static_cast<std::size_t>(link);
        if (l >= links)
          throw std::out_of_range("flow route names link " + std::to_string(link) + " of " + std::to_string(links));
        ++total[l];
        signature[l].push_back(ref);
        if (is_slow) {
          ++slow_count[l];
          slow_flows_of[l].push_back(ref);
        }
      }
    }
  }
  // Candidates, grouped by signature: links the plan cannot tell apart are named together.
  std::map<std::vector<FlowRef>, std::vector<int>> classes;
  for (std::size_t l = 0; l < links; ++l) {
    if (slow_count[l] == 0 || slow_count[l] < options.slow_share * total[l]) continue;
    classes[signature[l]].push_back(static_cast<int>(l));
  }
  TomographyResult result;
  std::set<FlowRef> unexplained(all_slow.begin(), all_slow.end());
  while (!unexplained.empty()) {
    // The class whose unexplained slow flows outnumber its healthy flows the most: each healthy flow over a
    // link is evidence that it is fine (a slow leaf -> NIC link and the spine link feeding it share two slow
    // flows, but only the leaf link also carries the healthy intra-leaf one).
    // On a tie, the class with fewer healthy flows: a link under a slow one shares all its slow flows, and one
    // more flow of the lower link measured slow by chance ties them; the healthy flows left over it still speak.
    const std::vector<int>* best = nullptr;
    int best_score = options.min_margin - 1, best_healthy = 0;
    for (const auto& [sig, members] : classes) {
      const auto l = static_cast<std::size_t>(members.front());
      const std::vector<FlowRef>& flows = slow_flows_of[l];
      const auto gain = static_cast<int>(
          std::count_if(flows.begin(), flows.end(), [&](const FlowRef& r) { return unexplained.contains(r); }));
      const int healthy = total[l] - slow_count[l];
      const int score = gain - healthy;
      if (score > best_score || (best != nullptr && score == best_score && healthy < best_healthy)) {
        best_score = score;
        best_healthy = healthy;
        best = &members;
      }
    }
    if (best == nullptr) break;
    NamedFault fault;
    fault.links = *best;
    for (const FlowRef& r : slow_flows_of[static_cast<std::size_t>(best->front())]) {
      if (unexplained.erase(r) > 0) fault.flows.push_back(r);
    }
    classes.erase(signature[static_cast<std::size_t>(best->front())]);
    result.faults.push_back(std::move(fault));
  }
  result.unexplained.assign(unexplained.begin(), unexplained.end());
  return result;
}

}  // namespace railcheck::fabric
