// Fuzz target: results documents (railcheck analyze, baseline generate), the whole way from bytes to
// verdicts: parse_results (first byte odd: as results.jsonl lines, else as results.json), the recorded
// analysis options, then analyze_records with the conversions run_analyze_command applies at its boundary
// (std::invalid_argument and json::exception from a malformed record become InputError); then the HTML report
// of the document (make_run_view, render_report), which must take whatever the reader accepted.
#include <nlohmann/json.hpp>

#include "fuzz_target.h"
#include "railcheck/analysis/analysis_options.h"
#include "railcheck/analysis/analyze.h"
#include "railcheck/analysis/results_document.h"
#include "railcheck/report/html_report.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const bool jsonl = (data[0] & 1) != 0;
  return fuzz_reader(data + 1, size - 1, [jsonl](std::string_view text) {
    namespace analysis = railcheck::analysis;
    const nlohmann::json doc = analysis::parse_results(text, jsonl, "fuzz.json");
    analysis::AnalysisOptions options;
    if (doc.contains("analysis") && doc.at("analysis").contains("options")) {
      options = analysis::parse_analysis_options(doc.at("analysis").at("options"), "fuzz.json", "analysis.options");
    }
    try {
      (void)analysis::analyze_records(doc.at("records"), options, nullptr);
    } catch (const std::invalid_argument& e) {
      throw railcheck::InputError(e.what());
    } catch (const nlohmann::json::exception& e) {
      throw railcheck::InputError(e.what());
    }
    (void)railcheck::report::render_report(railcheck::report::make_run_view(doc, "fuzz.json"));
  });
}
