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

using nlohmann::json;

int run_analyze_command(const AnalyzeOptions& options, const CommandEnv& env) {
  std::ostream& out = env.out;
  const json doc = analysis::read_results_file(options.results_path);
  analysis::AnalysisOptions thresholds = options.suite_path.empty()
                                             ? analysis::recorded_thresholds(doc, options.results_path)
                                             : load_suite(options.suite_path).analysis;
  if (options.expect_gpus >= 0) thresholds.inventory.expect_gpus = options.expect_gpus;
  std::optional<analysis::Baseline> baseline;
  if (!options.baseline_path.empty()) {
    baseline = analysis::load_baseline(options.baseline_path);
    analysis::check_profile(*baseline, options.profile);
  }
  const std::vector<analysis::Verdict> verdicts =
      analysis::judge_results(doc, options.results_path, thresholds, baseline ? &*baseline : nullptr);
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
