// `railcheck compare OLD.json NEW.json`: nightly regression between two saved runs (no MPI, no hardware).
#pragma once

#include <string>

#include "railcheck/commands/command.h"

namespace railcheck {

struct CompareOptions {
  std::string old_path, new_path;  ///< results.json (or results.jsonl) of the two runs
  double tolerance = 0.05;         ///< a value worse by more than this share regresses (--tolerance)
  std::string output_path;         ///< optional: the comparison as JSON (-o)
};

/// 0 nothing regressed, 1 a value regressed or a part newly fails; InputError (exit 2) for a file that is not a
/// railcheck results file of schema 1.x, or a bad tolerance.
int run_compare_command(const CompareOptions& options, const CommandEnv& env);

CommandSpec compare_command_spec();

}  // namespace railcheck
