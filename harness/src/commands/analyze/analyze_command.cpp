#include "railcheck/commands/analyze/analyze_command.h"

#include <fstream>
#include <sstream>
#include <stdexcept>

#include "railcheck/analysis/analysis_options.h"
#include "railcheck/analysis/analyze.h"
#include "railcheck/analysis/results_document.h"
#include "railcheck/core/error.h"
#include "railcheck/core/exit_codes.h"
#include "railcheck/input/json_input.h"
#include "railcheck/plan/suite.h"

namespace railcheck {
namespace {

using nlohmann::json;

// results.json, or the lines of a results.jsonl (a killed run): records in order, and the recorded analysis.
json read_results(const std::string& path) {
  const std::string text = read_input_file(path, "results file", "give the results.json (or results.jsonl) of a run");
  const bool is_lines = path.size() > 6 && path.substr(path.size() - 6) == ".jsonl";
  return analysis::parse_results(text, is_lines, path);
}

}  // namespace

int run_analyze_command(const AnalyzeOptions& options, const CommandEnv& env) {
  std::ostream& out = env.out;
  const json doc = read_results(options.results_path);
  analysis::AnalysisOptions thresholds;
  if (!options.suite_path.empty()) {
    thresholds = load_suite(options.suite_path).analysis;
  } else if (doc.contains("analysis") && doc.at("analysis").contains("options")) {
    thresholds =
        analysis::parse_analysis_options(doc.at("analysis").at("options"), options.results_path, "analysis.options");
  }
  if (options.expect_gpus >= 0) thresholds.inventory.expect_gpus = options.expect_gpus;
  std::optional<analysis::Baseline> baseline;
  if (!options.baseline_path.empty()) {
    baseline = analysis::load_baseline(options.baseline_path);
    analysis::check_profile(*baseline, options.profile);
  }
  std::vector<analysis::Verdict> verdicts;
  try {
    verdicts = analysis::analyze_records(doc.at("records"), thresholds, baseline ? &*baseline : nullptr,
                                         doc.value("manifest", json()));
  } catch (const std::invalid_argument& e) {
    throw InputError(options.results_path + ": " + e.what() + "; is this a railcheck results file of schema 1.x?");
  } catch (const json::exception& e) {
    throw InputError(options.results_path + ": malformed record (" + e.what() +
                     "); is this a railcheck results "
                     "file of schema 1.x?");
  }
  out << "# railcheck analyze: " << options.results_path << ", " << doc.at("records").size() << " records"
      << (baseline ? ", baseline " + options.baseline_path : std::string(", no baseline (fleet-relative only)"))
      << "\n";
  analysis::print_verdicts(out, verdicts);
  if (!options.output_path.empty()) {
    std::ofstream file(options.output_path);
    file << json{{"verdicts", analysis::verdicts_json(verdicts)}}.dump(2) << "\n";
    if (!file) throw InputError(options.output_path + ": cannot write the verdicts file; check the directory exists");
  }
  return analysis::exit_code_of(verdicts);
}

}  // namespace railcheck
