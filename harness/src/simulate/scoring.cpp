#include "railcheck/simulate/scoring.h"

#include <map>
#include <set>
#include <string>

namespace railcheck::simulate {

ScenarioScore score(const Scenario& scenario, const std::vector<analysis::Verdict>& verdicts) {
  std::set<analysis::ComponentId> failed;
  std::map<analysis::ComponentId, std::string> direction;
  for (const analysis::Verdict& verdict : verdicts) {
    if (verdict.status != analysis::VerdictStatus::kFail) continue;
    failed.insert(verdict.component);
    direction[verdict.component] = verdict.direction;
  }
  ScenarioScore result;
  std::set<analysis::ComponentId> faulty;
  std::set<std::string> faulty_hosts;
  for (const Fault& fault : scenario.faults) {
    const auto kind = static_cast<std::size_t>(fault.kind);
    const analysis::ComponentId id = component_of(fault);
    faulty.insert(id);
    faulty_hosts.insert(id.host);
    if (!id.peer_host.empty()) faulty_hosts.insert(id.peer_host);
    ++result.faults[kind];
    // Found: failed, and for a one-way fault named with its direction.
    const std::string expected = direction_of(fault);
    if (failed.contains(id) && (expected.empty() || direction[id] == expected)) ++result.found[kind];
  }
  for (const analysis::ComponentId& id : failed) {
    if (faulty.contains(id)) continue;
    if (id.kind == analysis::ComponentKind::kNode && faulty_hosts.contains(id.host)) continue;
    result.false_failures.push_back(id);
  }
  return result;
}

}  // namespace railcheck::simulate
