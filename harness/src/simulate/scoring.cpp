#include "railcheck/simulate/scoring.h"

#include <set>
#include <string>

namespace railcheck::simulate {

ScenarioScore score(const Scenario& scenario, const std::vector<analysis::Verdict>& verdicts) {
  std::set<analysis::ComponentId> failed;
  for (const analysis::Verdict& verdict : verdicts) {
    if (verdict.status == analysis::VerdictStatus::kFail) failed.insert(verdict.component);
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
    if (failed.contains(id)) ++result.found[kind];
  }
  for (const analysis::ComponentId& id : failed) {
    if (faulty.contains(id)) continue;
    if (id.kind == analysis::ComponentKind::kNode && faulty_hosts.contains(id.host)) continue;
    result.false_failures.push_back(id);
  }
  return result;
}

}  // namespace railcheck::simulate
