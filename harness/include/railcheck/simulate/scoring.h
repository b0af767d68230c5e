// Scoring a strategy's verdicts against the scenario's truth.
//
// A fault is found when its component (the NIC of that host and rail, the link, the GPU) has a fail verdict.
// A false failure is a fail verdict on any other component, except node verdicts of a host that holds a
// faulty part (combine() fails a node when one of its parts fails; that is the fault, not a false failure).
// Warnings are neither: they ask for a re-test, they do not drain anything.
#pragma once

#include <array>
#include <vector>

#include "railcheck/analysis/verdict.h"
#include "railcheck/simulate/scenario.h"

namespace railcheck::simulate {

inline constexpr std::size_t kFaultKinds = 5;  // nic, link, gpu, link_one_way, lossy_nic: index = FaultKind

struct ScenarioScore {
  std::array<int, kFaultKinds> faults{};              ///< faults of each kind in the scenario
  std::array<int, kFaultKinds> found{};               ///< ... of which have a fail verdict
  std::vector<analysis::ComponentId> false_failures;  ///< failed components that are not faulty
  int total_faults() const {
    int n = 0;
    for (int f : faults) n += f;
    return n;
  }
  int total_found() const {
    int n = 0;
    for (int f : found) n += f;
    return n;
  }
};

ScenarioScore score(const Scenario& scenario, const std::vector<analysis::Verdict>& verdicts);

}  // namespace railcheck::simulate
