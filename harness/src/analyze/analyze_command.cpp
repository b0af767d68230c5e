#include "railcheck/analyze_command.h"

#include <fstream>
#include <optional>
#include <sstream>
#include <stdexcept>

#include "json_input.h"
#include "railcheck/analysis/analysis_options.h"
#include "railcheck/analysis/analyze.h"
#include "railcheck/core/error.h"
#include "railcheck/core/exit_codes.h"
#include "railcheck/record_kinds.h"
#include "railcheck/suite.h"

namespace railcheck {
namespace {

using nlohmann::json;

// Only results schema 1.x is understood (minor versions add fields, never rename them).
void expect_results_version(const json& document, const JsonFields& fields, const std::string& where) {
  const auto it = document.find("schema_version");
  if (it == document.end()) fields.fail(where, "missing; a railcheck results file carries \"schema_version\": \"1.<minor>\"");
  const std::string text = it->is_string() ? it->get<std::string>() : it->dump();
  const bool known = it->is_string() && text.size() > 2 && text.rfind("1.", 0) == 0 &&
                     text.find_first_not_of("0123456789", 2) == std::string::npos;
  if (!known) {
    fields.fail(where, "version " + text + " is not supported; this railcheck reads results schema 1.x (1.0 to 1.<any>): "
                       "analyze it with the railcheck that wrote it");
  }
}

// results.json, or the lines of a results.jsonl (a killed run): records in order, and the recorded analysis.
json read_results(const std::string& path) {
  const std::string text = read_input_file(path, "results file", "give the results.json (or results.jsonl) of a run");
  const JsonFields fields(path);
  const bool is_lines = path.size() > 6 && path.substr(path.size() - 6) == ".jsonl";
  if (!is_lines) {
    json doc = fields.parse(text);
    if (!doc.is_object() || doc.value("kind", "") != "railcheck.results") {
      fields.fail("kind", "not a railcheck results document (expected \"kind\": \"railcheck.results\")");
    }
    expect_results_version(doc, fields, "schema_version");
    if (!doc.contains("records") || !doc.at("records").is_array()) fields.fail("records", "missing or not an array");
    return doc;
  }
  json doc = {{"records", json::array()}};
  std::istringstream lines(text);
  bool manifest_seen = false;
  for (std::string line; std::getline(lines, line);) {
    if (line.empty()) continue;
    json j;
    try {
      j = json::parse(line);
    } catch (const json::parse_error&) {
      // A job killed mid-write leaves a torn last line: keep what came before it.
      break;
    }
    if (!j.is_object()) fields.fail("line " + std::to_string(doc["records"].size() + 1), "not a JSON object");
    const std::optional<LineTypeInfo> type = find_line_type(j.value("type", ""));
    if (!type) continue;  // a line type of a newer 1.x writer: nothing this version can judge
    if (type->type == LineType::kManifest) {
      expect_results_version(j, fields, "manifest line: schema_version");
      manifest_seen = true;
    } else if (is_record(*type)) {
      j.erase("type");
      doc["records"].push_back(std::move(j));
    } else if (type->type == LineType::kVerdicts && j.contains("analysis")) {
      doc["analysis"] = j["analysis"];
    }
  }
  if (!manifest_seen) fields.fail("manifest line", "missing: the first line of a results.jsonl is the run manifest");
  return doc;
}

}  // namespace

int run_analyze_command(const AnalyzeOptions& options, std::ostream& out, std::ostream& err) {
  try {
    const json doc = read_results(options.results_path);
    analysis::AnalysisOptions thresholds;
    if (!options.suite_path.empty()) {
      thresholds = load_suite(options.suite_path).analysis;
    } else if (doc.contains("analysis") && doc.at("analysis").contains("options")) {
      thresholds = analysis::parse_analysis_options(doc.at("analysis").at("options"), options.results_path,
                                                    "analysis.options");
    }
    std::optional<analysis::Baseline> baseline;
    if (!options.baseline_path.empty()) {
      baseline = analysis::load_baseline(options.baseline_path);
      analysis::check_profile(*baseline, options.profile);
    }
    std::vector<analysis::Verdict> verdicts;
    try {
      verdicts = analysis::analyze_records(doc.at("records"), thresholds, baseline ? &*baseline : nullptr);
    } catch (const std::invalid_argument& e) {
      throw InputError(options.results_path + ": " + e.what() + "; is this a railcheck results file of schema 1.x?");
    } catch (const json::exception& e) {
      throw InputError(options.results_path + ": malformed record (" + e.what() + "); is this a railcheck results "
                       "file of schema 1.x?");
    }
    out << "# railcheck analyze: " << options.results_path << ", " << doc.at("records").size() << " records"
        << (baseline ? ", baseline " + options.baseline_path : std::string(", no baseline (fleet-relative only)"))
        << "\n";
    analysis::print_verdicts(out, verdicts);
    if (!options.output_path.empty()) {
      std::ofstream file(options.output_path);
      file << json{{"verdicts", analysis::verdicts_json(verdicts)}}.dump(2) << "\n";
      if (!file) throw InputError(options.output_path + ": cannot write the verdicts file; check the directory exists");
    }
    return analysis::exit_code_of(verdicts);
  } catch (const InputError& e) {
    err << "railcheck: error: " << e.what() << std::endl;
    return kExitHarnessError;
  }
}

}  // namespace railcheck
