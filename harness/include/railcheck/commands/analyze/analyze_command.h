// `railcheck analyze RESULTS.json [--baseline B.json]`: re-judges a saved run with the same analysis a run does
// at its end, with no MPI and no hardware.
#pragma once

#include <string>

#include "railcheck/commands/command.h"

namespace railcheck {

struct AnalyzeOptions {
  std::string results_path;   ///< a results.json (or a results.jsonl of a killed run)
  std::string baseline_path;  ///< optional baseline file
  std::string profile;        ///< hardware profile of the run, checked against the baseline's; empty: any
  std::string suite_path;     ///< optional suite whose "analysis" thresholds replace the run's recorded ones
  std::string output_path;    ///< optional: write {"verdicts": [...]} here
  int expect_gpus = -1;       ///< GPUs each host must show; -1: as the run (or --suite) said
  std::string junit_path;     ///< --junit: the verdicts as a JUnit report (output/junit_sink.h)
  std::string prom_path;      ///< --prom: the verdicts and figures as a Prometheus textfile (output/prometheus_sink.h)
};

/// Returns 0 (no component failed) or 1 (a component failed); throws InputError naming the file and field for
/// bad input (exit 2).
int run_analyze_command(const AnalyzeOptions& options, const CommandEnv& env);

CommandSpec analyze_command_spec();

}  // namespace railcheck
