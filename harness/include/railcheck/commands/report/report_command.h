// `railcheck report RESULTS [NEW]`: the HTML report of a saved run (the page every run writes as results.html),
// or of two runs side by side (no MPI, no hardware).
#pragma once

#include <string>

#include "railcheck/commands/command.h"

namespace railcheck {

struct ReportOptions {
  std::string results_path;  ///< results.json or results.jsonl (the earlier run when new_path is given)
  std::string new_path;      ///< optional: the later run, shown beside the first
  std::string output_path;   ///< -o; default: beside the (later) results file, <stem>.html or compare.html
  double tolerance = 0.05;   ///< two runs: a value worse by more than this share regressed
};

/// Writes the page and prints its path; 0 when written. InputError (exit 2) for a file that is not a railcheck
/// results file of schema 1.x, an output name not ending in .html or a directory that cannot be written.
int run_report_command(const ReportOptions& options, const CommandEnv& env);

CommandSpec report_command_spec();

}  // namespace railcheck
