// `railcheck simulate`: random fault scenarios on a modelled fabric, localized by the pairwise and bisect
// strategies through the real analysis code; prints recall, false failures and rounds. No MPI; run_app calls
// it before MPI starts.
#pragma once

#include <cstdint>
#include <ostream>
#include <string>

#include "railcheck/simulate/fabric_model.h"
#include "railcheck/simulate/localization.h"
#include "railcheck/simulate/scenario.h"

namespace railcheck {

struct SimulateOptions {
  simulate::FabricOptions fabric;                ///< --nodes, --rails, --noise
  simulate::ScenarioOptions scenarios;           ///< --faults, --fault-kinds, --min-factor, --max-factor
  int scenario_count = 100;                      ///< --scenarios
  std::string strategy = "both";                 ///< --strategy: pairwise | bisect | both
  std::uint64_t seed = 1;                        ///< --seed: scenarios and noise
  double round_seconds = 10.0;                   ///< --round-seconds: modelled duration of one round
  std::int64_t max_pairwise_links = 50'000'000;  ///< --max-pairwise-links: first-pass link measurements the
                                                 ///< pairwise strategy may simulate in one run; more: planned only
  simulate::LocalizationOptions localization;    ///< thresholds (--fail-spreads, --slow-tolerance, ...)
  std::string json_path;                         ///< --json: also write the summary document here ("" = none)
  int show_scenario = -1;                        ///< --show-scenario: print this scenario's faults and verdicts
};

/// Runs the scenarios, prints the table to `out`. Returns 0, or 2 with one "railcheck: error: ..." line on
/// `err` for bad options (impossible fabric, unwritable --json).
int run_simulate_command(const SimulateOptions& options, std::ostream& out, std::ostream& err);

}  // namespace railcheck
