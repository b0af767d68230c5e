// The flags of `railcheck analyze`.
#include <CLI/CLI.hpp>

#include "railcheck/commands/analyze/analyze_command.h"

namespace railcheck {

CommandSpec analyze_command_spec() {
  return {
      "analyze",
      {},
      "re-analyze a saved run: verdicts per GPU, NIC, link and node with their evidence (no MPI, no hardware)",
      [](CLI::App& sub) {
        auto command = std::make_unique<OptionsCommand<AnalyzeOptions>>(&run_analyze_command);
        AnalyzeOptions& options = command->options();
        sub.add_option("results", options.results_path, "results.json (or results.jsonl of a killed run)")->required();
        sub.add_option("--baseline", options.baseline_path,
                       "baseline file to judge against (results-schema/baseline.schema.json)");
        sub.add_option("--profile", options.profile, "hardware profile of the run; must match the baseline's");
        sub.add_option("--suite", options.suite_path,
                       "take the analysis thresholds from this suite instead of the run's");
        sub.add_option("-o,--output", options.output_path, "also write the verdicts as JSON to this file");
        sub.add_option("--junit", options.junit_path, "also write the verdicts as a JUnit report (FILE.xml)");
        sub.add_option("--prom", options.prom_path,
                       "also write the verdicts and figures as a Prometheus textfile (FILE.prom)");
        sub.add_option("--expect-gpus", options.expect_gpus,
                       "GPUs each host must show (from the run's manifest); fewer fails the node")
            ->check(CLI::NonNegativeNumber);
        return command;
      }};
}

}  // namespace railcheck
