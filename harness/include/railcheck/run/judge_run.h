// The end of a run: its records read back from the results stream, judged by the analysis (the same pipeline
// `railcheck analyze` runs on a saved file), and the verdicts handed to the run's sinks.
#pragma once

#include <filesystem>
#include <string>

#include "railcheck/analysis/baseline.h"
#include "railcheck/analysis/thresholds.h"
#include "railcheck/output/sink.h"

namespace railcheck {

struct JudgeInputs {
  const analysis::AnalysisOptions& options;
  const analysis::Baseline* baseline = nullptr;  ///< null: fleet-relative verdicts only
  std::string baseline_path;                     ///< "" when none
  std::string profile;                           ///< the run's hardware profile ("" any)
};

/// Reads `stream` (results.jsonl), judges every record, calls sink.verdicts(). Returns the verdicts' exit
/// code (kExitDegraded when a component fails). Throws Error when the stream cannot be read back.
int judge_run(const std::filesystem::path& stream, const JudgeInputs& inputs, OutputSink& sink);

}  // namespace railcheck
