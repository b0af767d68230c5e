#include "railcheck/commands/compare/compare_command.h"

#include <cstdio>
#include <fstream>

#include "railcheck/analysis/analyze.h"
#include "railcheck/analysis/compare_runs.h"
#include "railcheck/analysis/results_document.h"
#include "railcheck/core/error.h"

namespace railcheck {
namespace {

/// One run: its samples and its verdicts, judged again with the thresholds it recorded.
struct Run {
  analysis::Samples samples;
  std::vector<analysis::Verdict> verdicts;
  std::size_t records = 0;
};

Run load_run(const std::string& path) {
  const nlohmann::json document = analysis::read_results_file(path);
  Run run;
  run.verdicts = analysis::judge_results(document, path, analysis::recorded_thresholds(document, path), nullptr);
  run.samples = analysis::samples_from_records(document.at("records"));  // judge_results checked every record
  run.records = document.at("records").size();
  return run;
}

}  // namespace

int run_compare_command(const CompareOptions& options, const CommandEnv& env) {
  if (!(options.tolerance >= 0.0 && options.tolerance < 1.0)) {
    throw InputError("--tolerance " + std::to_string(options.tolerance) +
                     ": give a share from 0 to below 1, such as 0.05 for 5 %");
  }
  const Run before = load_run(options.old_path);
  const Run after = load_run(options.new_path);
  const analysis::Comparison comparison =
      analysis::compare_runs(before.samples, before.verdicts, after.samples, after.verdicts, options.tolerance);
  env.out << "# railcheck compare: " << options.old_path << " (" << before.records << " records) -> "
          << options.new_path << " (" << after.records << " records)\n";
  analysis::print_comparison(env.out, comparison);
  if (!options.output_path.empty()) {
    nlohmann::json document = to_json(comparison);
    document["old"] = options.old_path;
    document["new"] = options.new_path;
    std::ofstream file(options.output_path);
    file << document.dump(2) << "\n";
    if (!file) {
      throw InputError(options.output_path + ": cannot write the comparison; check the directory exists");
    }
  }
  return comparison.exit_code();
}

}  // namespace railcheck
