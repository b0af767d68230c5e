// `railcheck baseline generate` and `railcheck baseline merge`: baselines from known-good results files, and
// an old baseline updated with a new one. Neither needs MPI.
#pragma once

#include <string>
#include <vector>

#include "railcheck/analysis/thresholds.h"
#include "railcheck/commands/command.h"

namespace railcheck {

enum class BaselineAction { kGenerate, kMerge };

/// Options of `railcheck baseline generate|merge`.
struct BaselineCommandOptions {
  BaselineAction action = BaselineAction::kGenerate;  ///< which of the two subcommands was given
  std::vector<std::string> results_paths;             ///< generate: results.json files of known-good runs (one or more)
  std::string profile;                   ///< generate --profile: the hardware profile the numbers belong to
  std::string description;               ///< generate --description: free text written into the baseline
  analysis::BaselineOptions tolerances;  ///< generate --warn / --fail: tolerances written into every entry;
                                         ///< --fail also trims the values (see generate_baseline)
  std::string old_path;                  ///< merge: the baseline to update
  std::string new_path;                  ///< merge: the baseline whose entries update it
  std::string output_path;               ///< -o: where the baseline is written (through a temporary + rename)
};

/// Runs the action: reads the inputs, writes output_path, prints one summary line. Returns 0; throws
/// InputError (exit 2) for bad input (unreadable or malformed results / baseline files, profiles that differ,
/// bad tolerances, no measurement to make a baseline from, unwritable -o).
int run_baseline_command(const BaselineCommandOptions& options, const CommandEnv& env);

/// `railcheck baseline generate|merge`.
CommandSpec baseline_command_spec();

}  // namespace railcheck
