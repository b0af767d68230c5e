// The flags of `railcheck baseline generate` and `railcheck baseline merge`.
#include <CLI/CLI.hpp>

#include "railcheck/commands/baseline/baseline_command.h"

namespace railcheck {
namespace {

// Adds "generate" and "merge" under `baseline`, writing their arguments and the chosen action into
// `options` (which outlives parsing).
void add_actions(CLI::App& baseline, BaselineCommandOptions& options) {
  struct {
    CLI::App* baseline;
    CLI::App* generate;
    CLI::App* merge;
  } subs{&baseline, nullptr, nullptr};
  subs.baseline->require_subcommand(1);

  subs.generate = subs.baseline->add_subcommand(
      "generate", "expected values per metric, size and rail from results.json files (iterative trimmed mean)");
  subs.generate->add_option("results", options.results_paths, "results.json of known-good runs")->required();
  subs.generate->add_option("--profile", options.profile, "hardware profile the numbers belong to, e.g. dgx-h100")
      ->required();
  subs.generate->add_option("-o,--output", options.output_path, "baseline file to write")->required();
  subs.generate
      ->add_option("--warn", options.tolerances.warn_tolerance,
                   "warn when worse than expected by more than this fraction")
      ->capture_default_str();
  subs.generate
      ->add_option("--fail", options.tolerances.fail_tolerance,
                   "fail beyond this fraction; values further than this from the mean are trimmed while generating")
      ->capture_default_str();
  subs.generate->add_option("--description", options.description, "free text written into the baseline");
  subs.generate->callback([&options] { options.action = BaselineAction::kGenerate; });

  subs.merge = subs.baseline->add_subcommand(
      "merge", "update OLD with NEW: same keys get the sample-weighted mean, new keys are added, old ones kept");
  subs.merge->add_option("old", options.old_path, "the baseline to update")->required();
  subs.merge->add_option("new", options.new_path, "the baseline with newer numbers (same profile)")->required();
  subs.merge->add_option("-o,--output", options.output_path, "merged baseline file to write")->required();
  subs.merge->callback([&options] { options.action = BaselineAction::kMerge; });
}

}  // namespace

CommandSpec baseline_command_spec() {
  return {"baseline",
          {},
          "make a baseline from known-good results, or update one (no MPI needed); see suites/baselines/",
          [](CLI::App& sub) {
            auto command = std::make_unique<OptionsCommand<BaselineCommandOptions>>(&run_baseline_command);
            add_actions(sub, command->options());
            return command;
          }};
}

}  // namespace railcheck
