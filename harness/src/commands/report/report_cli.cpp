// The flags of `railcheck report`.
#include <CLI/CLI.hpp>

#include "railcheck/commands/report/report_command.h"

namespace railcheck {

CommandSpec report_command_spec() {
  return {"report",
          {},
          "the HTML report of a saved run (verdicts and actions first, link heatmaps per rail, bandwidth against "
          "size, ranks' spread, soak timelines with telemetry; one file, no scripts, no requests), or of two runs "
          "side by side",
          [](CLI::App& sub) {
            auto command = std::make_unique<OptionsCommand<ReportOptions>>(&run_report_command);
            ReportOptions& options = command->options();
            sub.add_option("results", options.results_path, "a run's results.json (or results.jsonl)")->required();
            sub.add_option("new", options.new_path, "a later run's results file: both side by side");
            sub.add_option("-o,--output", options.output_path,
                           "the page to write (default: beside the results, results.html; compare.html for two)");
            sub.add_option("--tolerance", options.tolerance,
                           "two runs: a value worse than before by more than this share regressed (0.05 = 5 %)")
                ->capture_default_str();
            return command;
          }};
}

}  // namespace railcheck
