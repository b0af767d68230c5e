// The simulator's loop: scenarios x strategies, scored and summed up per strategy. Pure apart from the clock
// (wall_s).
#pragma once

#include <array>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "railcheck/commands/simulate/simulate_command.h"
#include "railcheck/simulate/scoring.h"

namespace railcheck::simulate {

/// One strategy over all scenarios.
struct StrategySummary {
  Strategy strategy = Strategy::kPairwise;
  bool simulated = true;  ///< false: too large to simulate (max_pairwise_links); only the planned rounds
  int scenarios = 0;
  std::array<int, kFaultKinds> faults{};
  std::array<int, kFaultKinds> found{};
  int false_failures = 0;  ///< over all scenarios
  int scenarios_with_false_failure = 0;
  double mean_first_pass_rounds = 0;
  double mean_bisection_rounds = 0;
  double mean_retest_rounds = 0;
  double mean_total_rounds = 0;
  int max_total_rounds = 0;
  double mean_modelled_s = 0;               ///< mean_total_rounds x round_seconds
  double wall_s = 0;                        ///< what simulating took here
  std::vector<std::string> misses;          ///< the first few faults not found: "scenario 3: link ... (warn)"
  std::vector<std::string> false_examples;  ///< the first few false failures: "scenario 9: node4 GPU 1"
  std::string shown;                        ///< --show-scenario: its faults and print_verdicts() text
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

/// The strategies `text` names ("pairwise", "bisect", "both"); std::nullopt for anything else.
std::optional<std::vector<Strategy>> parse_strategies(const std::string& text);

/// Generates the scenarios and runs every strategy on each. Throws std::invalid_argument for impossible
/// options (see FabricModel, generate_scenarios).
std::vector<StrategySummary> run_simulation(const SimulateOptions& options);

/// The summary table: one row per strategy, then the misses and false failures seen. `options` heads it.
void print_simulation(std::ostream& out, const SimulateOptions& options, const std::vector<StrategySummary>& rows);

/// {"options": {...}, "strategies": [...]} with the same numbers as the table.
nlohmann::json simulation_json(const SimulateOptions& options, const std::vector<StrategySummary>& rows);

}  // namespace railcheck::simulate
