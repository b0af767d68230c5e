#include "railcheck/commands/analyze/analyze_command.h"

#include <cstdio>
#include <ctime>
#include <fstream>
#include <optional>
#include <sstream>
#include <stdexcept>

#include "railcheck/analysis/analysis_options.h"
#include "railcheck/analysis/analyze.h"
#include "railcheck/analysis/results_document.h"
#include "railcheck/core/error.h"
#include "railcheck/core/exit_codes.h"
#include "railcheck/input/json_input.h"
#include "railcheck/output/junit_sink.h"
#include "railcheck/output/prometheus_sink.h"
#include "railcheck/plan/suite.h"
#include "railcheck/record/manifest.h"

namespace railcheck {

using nlohmann::json;

namespace {

// "2026-12-07T03:00:00Z" (utc_now_iso8601's form) as Unix time; nullopt for anything else.
std::optional<double> unix_time_of(const std::string& iso) {
  std::tm t{};
  char zone = 0;
  if (std::sscanf(iso.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d%c", &t.tm_year, &t.tm_mon, &t.tm_mday, &t.tm_hour, &t.tm_min,
                  &t.tm_sec, &zone) != 7 ||
      zone != 'Z') {
    return std::nullopt;
  }
  t.tm_year -= 1900;
  t.tm_mon -= 1;
  return static_cast<double>(timegm(&t));
}

// --junit / --prom for a saved run: the same documents a run writes at its end, from its file.
void write_reports(const AnalyzeOptions& options, const json& doc, const std::vector<analysis::Verdict>& verdicts) {
  if (options.junit_path.empty() && options.prom_path.empty()) return;
  const RunManifest manifest = manifest_from_json(doc.value("manifest", json::object()));
  RunSummary summary;
  summary.exit_code = analysis::exit_code_of(verdicts);
  if (doc.contains("summary") && doc.at("summary").is_object()) {
    const json& s = doc.at("summary");
    if (s.contains("wrong_elements") && s.at("wrong_elements").is_number_integer()) {
      summary.wrong_elements = s.at("wrong_elements").get<std::int64_t>();
    }
    if (s.contains("problems") && s.at("problems").is_array()) {
      for (const json& p : s.at("problems")) {
        if (p.is_string()) summary.problems.push_back(p.get<std::string>());
      }
    }
  }
  const double start = unix_time_of(manifest.start_time).value_or(0.0);
  const double end = unix_time_of(manifest.end_time).value_or(start);
  if (!options.junit_path.empty()) {
    check_junit_file(options.junit_path);
    write_junit_file(options.junit_path, junit_document(manifest, &verdicts, &summary, nullptr, end - start));
  }
  if (!options.prom_path.empty()) {
    check_prometheus_file(options.prom_path);
    write_prometheus_file(options.prom_path, manifest, analysis::samples_from_records(doc.at("records")), verdicts,
                          summary, end, end - start);
  }
}

}  // namespace

int run_analyze_command(const AnalyzeOptions& options, const CommandEnv& env) {
  std::ostream& out = env.out;
  const json doc = analysis::read_results_file(options.results_path);
  analysis::AnalysisOptions thresholds = options.suite_path.empty()
                                             ? analysis::recorded_thresholds(doc, options.results_path)
                                             : load_suite(options.suite_path).analysis;
  if (options.expect_gpus >= 0) thresholds.inventory.expect_gpus = options.expect_gpus;
  std::optional<analysis::Baseline> baseline;
  if (!options.baseline_path.empty()) {
    baseline = analysis::load_baseline(options.baseline_path);
    analysis::check_profile(*baseline, options.profile);
  }
  const std::vector<analysis::Verdict> verdicts =
      analysis::judge_results(doc, options.results_path, thresholds, baseline ? &*baseline : nullptr);
  out << "# railcheck analyze: " << options.results_path << ", " << doc.at("records").size() << " records"
      << (baseline ? ", baseline " + options.baseline_path : std::string(", no baseline (fleet-relative only)"))
      << "\n";
  analysis::print_verdicts(out, verdicts);
  if (!options.output_path.empty()) {
    std::ofstream file(options.output_path);
    file << json{{"verdicts", analysis::verdicts_json(verdicts)}}.dump(2) << "\n";
    if (!file) throw InputError(options.output_path + ": cannot write the verdicts file; check the directory exists");
  }
  write_reports(options, doc, verdicts);
  return analysis::exit_code_of(verdicts);
}

}  // namespace railcheck
