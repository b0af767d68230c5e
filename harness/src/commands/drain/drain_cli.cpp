// The flags of `railcheck drain` and `railcheck resume`.
#include <CLI/CLI.hpp>

#include "railcheck/commands/drain/drain_command.h"

namespace railcheck {

CommandSpec drain_command_spec() {
  return {"drain",
          {},
          "take a run's failing nodes out of Slurm's scheduling (scontrol drain, reason \"railcheck: <part> ...\"); "
          "never a node someone else drained; a dry run unless --apply",
          [](CLI::App& sub) {
            auto command = std::make_unique<OptionsCommand<DrainCommandOptions>>(&run_drain_command);
            DrainCommandOptions& options = command->options();
            sub.add_option("results", options.results_path, "the run's results.json (or results.jsonl)")->required();
            sub.add_flag("--apply", options.apply, "drain (without it: say what would be drained)");
            sub.add_option("--max-drain", options.max_nodes,
                           "most nodes to drain; more failing nodes drain none (default: a quarter of the run's "
                           "hosts, at least 1)")
                ->check(CLI::NonNegativeNumber);
            return command;
          }};
}

CommandSpec resume_command_spec() {
  return {"resume",
          {},
          "return to service the nodes railcheck drained (reason \"railcheck: ...\"), never one drained by anyone "
          "else; a dry run unless --apply",
          [](CLI::App& sub) {
            auto command = std::make_unique<OptionsCommand<DrainCommandOptions>>(&run_resume_command);
            DrainCommandOptions& options = command->options();
            sub.add_option("nodes", options.nodes, "the nodes to consider (default: every node)");
            sub.add_flag("--apply", options.apply, "resume (without it: say what would be resumed)");
            return command;
          }};
}

}  // namespace railcheck
