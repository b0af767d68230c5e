#include "railcheck/run/judge_run.h"

#include "railcheck/analysis/analysis_options.h"
#include "railcheck/analysis/analyze.h"
#include "railcheck/analysis/results_document.h"
#include "railcheck/core/error.h"
#include "railcheck/input/json_input.h"

namespace railcheck {

int judge_run(const std::filesystem::path& stream, const JudgeInputs& inputs, OutputSink& sink) {
  const std::string text = read_input_file(stream, "results stream", "the run's own results.jsonl; check the disk");
  const nlohmann::json document = analysis::parse_results(text, /*jsonl=*/true, stream.string());
  VerdictReport report;
  report.verdicts = analysis::analyze_records(document.at("records"), inputs.options, inputs.baseline,
                                              document.value("manifest", nlohmann::json()));
  report.analysis = {
      {"options", analysis::to_json(inputs.options)},
      {"baseline", inputs.baseline_path.empty() ? nlohmann::json(nullptr) : nlohmann::json(inputs.baseline_path)},
      {"profile", inputs.profile}};
  sink.verdicts(report);
  return analysis::exit_code_of(report.verdicts);
}

}  // namespace railcheck
