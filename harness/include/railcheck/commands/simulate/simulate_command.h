// `railcheck simulate`: random fault scenarios on a modelled fabric, localized by the pairwise and bisect
// strategies through the real analysis code; prints recall, false failures and rounds. No MPI.
#pragma once

#include <cstdint>
#include <string>

#include "railcheck/commands/command.h"
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

/// Runs the scenarios, prints the table. Returns 0; throws InputError (exit 2) for bad options (impossible
/// fabric, unwritable --json).
int run_simulate_command(const SimulateOptions& options, const CommandEnv& env);

class SimulateCommand final : public Command {
 public:
  explicit SimulateCommand(CLI::App& sub);
  /// Validates and converts. Throws InputError "<flag>: <problem>; <fix>".
  void finish() override;
  int run(const CommandEnv& env) override { return run_simulate_command(options_, env); }
  const SimulateOptions& options() const { return options_; }

 private:
  SimulateOptions options_;
  std::string fault_kinds_ = "nic,link,gpu";
};

CommandSpec simulate_command_spec();

}  // namespace railcheck
