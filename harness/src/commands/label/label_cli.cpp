// The flags of `railcheck label`.
#include <CLI/CLI.hpp>

#include "railcheck/commands/label/label_command.h"

namespace railcheck {

CommandSpec label_command_spec() {
  return {"label",
          {},
          "a run's verdicts on its Kubernetes nodes: railcheck.io/ labels on every judged node, --taint a NoSchedule "
          "taint on failing ones (removed when they pass); only railcheck's own keys; a dry run unless --apply",
          [](CLI::App& sub) {
            auto command = std::make_unique<OptionsCommand<LabelCommandOptions>>(&run_label_command);
            LabelCommandOptions& options = command->options();
            sub.add_option("results", options.results_path, "the run's results.json (or results.jsonl)")->required();
            sub.add_flag("--taint", options.taint, "also taint failing nodes NoSchedule (and untaint passing ones)");
            sub.add_flag("--apply", options.apply, "patch the nodes (without it: say what would change)");
            sub.add_option("--label-prefix", options.label_prefix,
                           "railcheck's label and taint prefix (default railcheck.io/; must name railcheck)");
            return command;
          }};
}

}  // namespace railcheck
