#include "railcheck/simulate/simulation.h"

#include <algorithm>
#include <chrono>
#include <random>
#include <set>
#include <sstream>

namespace railcheck::simulate {
namespace {

constexpr std::size_t kExamplesKept = 5;

std::string fault_text(const Fault& fault) {
  char factor[16];
  std::snprintf(factor, sizeof factor, "%.2f", fault.factor);
  if (fault.kind == FaultKind::kLossyNic) {
    std::snprintf(factor, sizeof factor, "%.1f%%", fault.factor * 100.0);
    return analysis::label(component_of(fault)) + " dropping " + factor + " of its packets";
  }
  const std::string text = analysis::label(component_of(fault)) + " at " + factor + " of nominal";
  if (fault.kind != FaultKind::kLinkOneWay) return text;
  return text + " from " + host_name(fault.node) + " to " + host_name(fault.peer_node) + " only";
}

std::string status_of(const analysis::ComponentId& id, const std::vector<analysis::Verdict>& verdicts) {
  for (const analysis::Verdict& verdict : verdicts) {
    if (verdict.component == id) return std::string(analysis::key_of(verdict.status));
  }
  return "no verdict";
}

StrategySummary planned_only(Strategy strategy, const SimulateOptions& options) {
  StrategySummary row;
  row.strategy = strategy;
  row.simulated = false;
  row.mean_first_pass_rounds = planned_pairwise_first_pass_rounds(options.fabric.nodes);
  row.mean_total_rounds = row.mean_first_pass_rounds;  // re-test rounds unknown: not simulated
  row.max_total_rounds = static_cast<int>(row.mean_first_pass_rounds);
  row.mean_modelled_s = row.mean_total_rounds * options.round_seconds;
  return row;
}

}  // namespace

std::optional<std::vector<Strategy>> parse_strategies(const std::string& text) {
  if (text == "pairwise") return std::vector<Strategy>{Strategy::kPairwise};
  if (text == "bisect") return std::vector<Strategy>{Strategy::kBisect};
  if (text == "both") return std::vector<Strategy>{Strategy::kPairwise, Strategy::kBisect};
  return std::nullopt;
}

std::vector<StrategySummary> run_simulation(const SimulateOptions& options) {
  const auto strategies = parse_strategies(options.strategy);
  if (!strategies) throw std::invalid_argument("strategy must be pairwise, bisect or both");
  if (options.scenario_count < 1) throw std::invalid_argument("scenarios must be >= 1");
  const FabricModel healthy(options.fabric);  // validates the fabric options
  const std::vector<Scenario> scenarios =
      generate_scenarios(options.scenario_count, options.fabric, options.scenarios, options.seed);

  const double links_per_scenario =
      static_cast<double>(options.fabric.nodes) * (options.fabric.nodes - 1) / 2.0 * options.fabric.rails;
  std::vector<StrategySummary> rows;
  for (Strategy strategy : *strategies) {
    if (strategy == Strategy::kPairwise &&
        links_per_scenario * options.scenario_count > static_cast<double>(options.max_pairwise_links)) {
      rows.push_back(planned_only(strategy, options));
      continue;
    }
    StrategySummary row;
    row.strategy = strategy;
    row.scenarios = static_cast<int>(scenarios.size());
    const auto start = std::chrono::steady_clock::now();
    double first = 0, bisect = 0, retest = 0;
    for (const Scenario& scenario : scenarios) {
      const FabricModel fabric = apply(scenario, options.fabric);
      std::mt19937_64 rng(scenario.noise_seed);
      const LocalizationRun run = run_strategy(strategy, fabric, options.localization, rng);
      const ScenarioScore scored = score(scenario, run.verdicts);
      for (std::size_t kind = 0; kind < kFaultKinds; ++kind) {
        row.faults[kind] += scored.faults[kind];
        row.found[kind] += scored.found[kind];
      }
      row.false_failures += static_cast<int>(scored.false_failures.size());
      row.scenarios_with_false_failure += scored.false_failures.empty() ? 0 : 1;
      for (const analysis::ComponentId& id : scored.false_failures) {
        if (row.false_examples.size() < kExamplesKept) {
          row.false_examples.push_back("scenario " + std::to_string(scenario.index) + ": " + analysis::label(id));
        }
      }
      for (const Fault& fault : scenario.faults) {
        const std::string status = status_of(component_of(fault), run.verdicts);
        if (status != "fail" && row.misses.size() < kExamplesKept) {
          row.misses.push_back("scenario " + std::to_string(scenario.index) + ": " + fault_text(fault) + " (" + status +
                               ")");
        }
      }
      if (scenario.index == options.show_scenario) {
        std::ostringstream text;
        for (const Fault& fault : scenario.faults) text << "# fault: " << fault_text(fault) << "\n";
        analysis::print_verdicts(text, run.verdicts);
        row.shown = text.str();
      }
      first += run.first_pass_rounds;
      bisect += run.bisection_rounds;
      retest += run.retest_rounds;
      row.max_total_rounds = std::max(row.max_total_rounds, run.total_rounds());
    }
    const double count = static_cast<double>(scenarios.size());
    row.mean_first_pass_rounds = first / count;
    row.mean_bisection_rounds = bisect / count;
    row.mean_retest_rounds = retest / count;
    row.mean_total_rounds = (first + bisect + retest) / count;
    row.mean_modelled_s = row.mean_total_rounds * options.round_seconds;
    row.wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    rows.push_back(std::move(row));
  }
  return rows;
}

}  // namespace railcheck::simulate
