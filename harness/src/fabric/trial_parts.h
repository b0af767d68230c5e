// The parts of a simulated localization (fabric_trial.h) that known and ECMP routes share: faults injected at
// random, and the names scored against them.
#pragma once

#include <random>
#include <set>
#include <vector>

#include "railcheck/fabric/fabric_trial.h"

namespace railcheck::fabric::trial_parts {

struct Injected {
  std::set<int> links;     ///< directed links made slow
  std::set<int> switches;  ///< switches made slow
  std::set<int> slow;      ///< every slow directed link: those, and every link into or out of those switches
  std::set<int> gray;      ///< directed links made partly slow (none of the slow ones)
};

/// Draws trial.faults distinct links and trial.switch_faults distinct switches. Throws std::invalid_argument
/// when either count is out of range.
Injected inject(const RoutedFabric& fabric, const FabricTrial& trial, std::mt19937_64& random);

/// The names (solver classes and switches) scored against what was injected.
FabricTrialScore score(const Injected& injected, const TomographyResult& result,
                       const std::vector<NamedSwitch>& named_switches, int stages);

/// The plan a trial runs: trial.plan or the fabric's tiered plan, trial.repeats times.
std::vector<Stage> plan_of(const RoutedFabric& fabric, const FabricTrial& trial);

/// The trial over ECMP routes (trial.routing not kKnown).
FabricTrialScore run_ecmp_trial(const RoutedFabric& fabric, const FabricTrial& trial);

}  // namespace railcheck::fabric::trial_parts
