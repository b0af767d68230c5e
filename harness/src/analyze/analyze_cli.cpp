#include "analyze_cli.h"

namespace railcheck {

CLI::App* add_analyze_subcommand(CLI::App& app, AnalyzeOptions& options) {
  CLI::App* sub = app.add_subcommand("analyze",
                                     "re-analyze a saved run: verdicts per GPU, NIC, link and node with "
                                     "their evidence (no MPI, no hardware)");
  sub->add_option("results", options.results_path, "results.json (or results.jsonl of a killed run)")->required();
  sub->add_option("--baseline", options.baseline_path,
                  "baseline file to judge against (results-schema/baseline.schema.json)");
  sub->add_option("--profile", options.profile, "hardware profile of the run; must match the baseline's");
  sub->add_option("--suite", options.suite_path, "take the analysis thresholds from this suite instead of the run's");
  sub->add_option("-o,--output", options.output_path, "also write the verdicts as JSON to this file");
  return sub;
}

}  // namespace railcheck
