// The simulator's table and JSON document.
#include <cstdio>
#include <string>

#include "railcheck/simulate/simulation.h"

namespace railcheck::simulate {
namespace {

std::string fixed(double value, int decimals) {
  char text[32];
  std::snprintf(text, sizeof text, "%.*f", decimals, value);
  return text;
}

std::string recall_text(int found, int faults) { return faults == 0 ? "n/a" : fixed(double(found) / faults, 3); }

std::string kinds_text(const std::vector<FaultKind>& kinds) {
  std::string text;
  for (FaultKind kind : kinds) text += (text.empty() ? "" : ",") + std::string(key_of(kind));
  return text;
}

std::string padded(const std::string& text, std::size_t width) {
  return text.size() >= width ? text + " " : text + std::string(width - text.size(), ' ');
}

nlohmann::json recall_json(int found, int faults) {
  return faults == 0 ? nlohmann::json(nullptr) : nlohmann::json(double(found) / faults);
}

}  // namespace

void print_simulation(std::ostream& out, const SimulateOptions& options, const std::vector<StrategySummary>& rows) {
  const auto& f = options.fabric;
  const auto& s = options.scenarios;
  out << "# simulate: " << f.nodes << " nodes x " << f.rails << " rails, " << options.scenario_count << " scenarios, "
      << s.faults << " fault(s) each (" << kinds_text(s.kinds) << ", factor " << fixed(s.min_factor, 2) << "-"
      << fixed(s.max_factor, 2) << "), noise " << fixed(f.noise * 100, 1) << "%, dips " << fixed(f.dips * 100, 1)
      << "%, seed " << options.seed << ", " << fixed(options.round_seconds, 1) << " s per round\n";
  const auto& a = options.localization.analysis;
  out << "# thresholds: link slow > " << fixed(a.pairs.link.fail_spreads, 1)
      << " spreads and >= " << fixed(a.pairs.link.fail_deviation * 100, 0) << "%, re-test slow > "
      << fixed(a.pairs.retest_spreads, 1) << " spreads, GPU fail > " << fixed(a.fleet.fail_spreads, 1)
      << " spreads and >= " << fixed(a.fleet.fail_deviation * 100, 0) << "% (median of "
      << options.localization.gpu_check_samples << " checks), bisection slow below expected by > "
      << fixed(a.bisection.slow_tolerance * 100, 0) << "%\n";
  const std::vector<std::pair<const char*, std::size_t>> columns = {
      {"strategy", 10}, {"status", 11},    {"faults", 8},  {"found", 7},    {"recall", 8},
      {"nic", 7},       {"link", 7},       {"gpu", 7},     {"one_way", 8},  {"lossy", 7},
      {"false", 7},     {"false/scn", 10}, {"r_first", 9}, {"r_bisect", 9}, {"r_retest", 9},
      {"r_total", 9},   {"r_max", 7},      {"time_s", 9},  {"wall_s", 8}};
  std::string header;
  for (const auto& [name, width] : columns) header += padded(name, width);
  out << header << "\n";
  for (const StrategySummary& row : rows) {
    std::vector<std::string> cells = {std::string(key_of(row.strategy)), row.simulated ? "simulated" : "planned"};
    if (row.simulated) {
      cells.insert(cells.end(),
                   {std::to_string(row.total_faults()), std::to_string(row.total_found()),
                    recall_text(row.total_found(), row.total_faults()), recall_text(row.found[0], row.faults[0]),
                    recall_text(row.found[1], row.faults[1]), recall_text(row.found[2], row.faults[2]),
                    recall_text(row.found[3], row.faults[3]), recall_text(row.found[4], row.faults[4]),
                    std::to_string(row.false_failures), fixed(double(row.false_failures) / row.scenarios, 3),
                    fixed(row.mean_first_pass_rounds, 1), fixed(row.mean_bisection_rounds, 1),
                    fixed(row.mean_retest_rounds, 1), fixed(row.mean_total_rounds, 1),
                    std::to_string(row.max_total_rounds), fixed(row.mean_modelled_s, 0), fixed(row.wall_s, 1)});
    } else {
      cells.insert(cells.end(),
                   {"-", "-", "-", "-", "-", "-", "-", "-", "-", "-", fixed(row.mean_first_pass_rounds, 0), "0", "?",
                    ">=" + fixed(row.mean_total_rounds, 0), "-", ">=" + fixed(row.mean_modelled_s, 0), "-"});
    }
    std::string line;
    for (std::size_t i = 0; i < cells.size(); ++i) line += padded(cells[i], columns[i].second);
    out << line << "\n";
  }
  for (const StrategySummary& row : rows) {
    if (!row.simulated) {
      out << "# " << key_of(row.strategy) << ": planned, not simulated (" << f.nodes << " nodes x " << f.rails
          << " rails x " << options.scenario_count << " scenarios is more than --max-pairwise-links "
          << options.max_pairwise_links << " link measurements): first-pass rounds from the circle planner + 1 "
          << "GPU-check round; re-test rounds not counted\n";
    }
    if (!row.shown.empty()) {
      out << "# " << key_of(row.strategy) << ", scenario " << options.show_scenario << ":\n" << row.shown;
    }
    for (const std::string& miss : row.misses) out << "# " << key_of(row.strategy) << " missed: " << miss << "\n";
    for (const std::string& example : row.false_examples) {
      out << "# " << key_of(row.strategy) << " false failure: " << example << "\n";
    }
  }
}

nlohmann::json simulation_json(const SimulateOptions& options, const std::vector<StrategySummary>& rows) {
  const auto& pairs = options.localization.analysis.pairs;
  const auto& fleet = options.localization.analysis.fleet;
  std::vector<std::string> kinds;
  for (FaultKind kind : options.scenarios.kinds) kinds.emplace_back(key_of(kind));
  nlohmann::json document = {{"options",
                              {{"nodes", options.fabric.nodes},
                               {"rails", options.fabric.rails},
                               {"noise", options.fabric.noise},
                               {"dips", options.fabric.dips},
                               {"nic_gbps", options.fabric.nic_gbps},
                               {"scenarios", options.scenario_count},
                               {"faults", options.scenarios.faults},
                               {"fault_kinds", kinds},
                               {"min_factor", options.scenarios.min_factor},
                               {"max_factor", options.scenarios.max_factor},
                               {"seed", options.seed},
                               {"round_seconds", options.round_seconds},
                               {"link_fail_spreads", pairs.link.fail_spreads},
                               {"link_fail_deviation", pairs.link.fail_deviation},
                               {"retest_spreads", pairs.retest_spreads},
                               {"gpu_fail_spreads", fleet.fail_spreads},
                               {"gpu_fail_deviation", fleet.fail_deviation},
                               {"slow_tolerance", options.localization.analysis.bisection.slow_tolerance},
                               {"gpu_check_samples", options.localization.gpu_check_samples}}},
                             {"strategies", nlohmann::json::array()}};
  for (const StrategySummary& row : rows) {
    nlohmann::json entry = {{"strategy", key_of(row.strategy)},
                            {"status", row.simulated ? "simulated" : "planned, not simulated"},
                            {"first_pass_rounds", row.mean_first_pass_rounds}};
    if (row.simulated) {
      entry.update({{"scenarios", row.scenarios},
                    {"faults", row.total_faults()},
                    {"found", row.total_found()},
                    {"recall", recall_json(row.total_found(), row.total_faults())},
                    {"recall_nic", recall_json(row.found[0], row.faults[0])},
                    {"recall_link", recall_json(row.found[1], row.faults[1])},
                    {"recall_gpu", recall_json(row.found[2], row.faults[2])},
                    {"recall_link_one_way", recall_json(row.found[3], row.faults[3])},
                    {"recall_lossy_nic", recall_json(row.found[4], row.faults[4])},
                    {"false_failures", row.false_failures},
                    {"scenarios_with_false_failure", row.scenarios_with_false_failure},
                    {"bisection_rounds", row.mean_bisection_rounds},
                    {"retest_rounds", row.mean_retest_rounds},
                    {"total_rounds", row.mean_total_rounds},
                    {"max_total_rounds", row.max_total_rounds},
                    {"modelled_s", row.mean_modelled_s},
                    {"wall_s", row.wall_s},
                    {"misses", row.misses},
                    {"false_failure_examples", row.false_examples}});
    } else {
      entry["total_rounds_at_least"] = row.mean_total_rounds;
      entry["modelled_s_at_least"] = row.mean_modelled_s;
    }
    document["strategies"].push_back(std::move(entry));
  }
  return document;
}

}  // namespace railcheck::simulate
