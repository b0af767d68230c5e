// `railcheck drain RESULTS.json` and `railcheck resume [NODE...]`: a run's failing nodes out of Slurm's
// scheduling, and back (fleet/node_actions.h). Both only say what they would do unless --apply.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "railcheck/commands/command.h"

namespace railcheck {

struct DrainCommandOptions {
  std::string results_path;        ///< drain: the run's results.json (or results.jsonl)
  std::vector<std::string> nodes;  ///< resume: the nodes to consider (empty: every node)
  bool apply = false;              ///< act; without it, a dry run
  std::optional<int> max_nodes;    ///< drain: --max-drain
};

/// 0 done (or planned); 1 more nodes fail than --max-drain allows (none drained); InputError (2) for a results
/// file that cannot be read; Error (2) when Slurm cannot be read or changed.
int run_drain_command(const DrainCommandOptions& options, const CommandEnv& env);
/// 0 done (or planned); Error (2) when Slurm cannot be read or changed.
int run_resume_command(const DrainCommandOptions& options, const CommandEnv& env);

CommandSpec drain_command_spec();
CommandSpec resume_command_spec();

}  // namespace railcheck
