// `railcheck analyze RESULTS.json [--baseline B.json]`: re-judges a saved run with the same analysis a run does
// at its end, with no MPI and no hardware.
#pragma once

#include <ostream>
#include <string>

namespace railcheck {

struct AnalyzeOptions {
  std::string results_path;   ///< a results.json (or a results.jsonl of a killed run)
  std::string baseline_path;  ///< optional baseline file
  std::string profile;        ///< hardware profile of the run, checked against the baseline's; empty: any
  std::string suite_path;     ///< optional suite whose "analysis" thresholds replace the run's recorded ones
  std::string output_path;    ///< optional: write {"verdicts": [...]} here
};

/// Returns 0 (no component failed), 1 (a component failed) or 2 (bad input, message on `err`).
int run_analyze_command(const AnalyzeOptions& options, std::ostream& out, std::ostream& err);

}  // namespace railcheck
