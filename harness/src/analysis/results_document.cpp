#include "railcheck/analysis/results_document.h"

#include <optional>
#include <sstream>

#include "railcheck/input/json_input.h"
#include "railcheck/record/record_kinds.h"

namespace railcheck::analysis {
namespace {

using nlohmann::json;

// Only results schema 1.x is understood (minor versions add fields, never rename them).
void expect_results_version(const json& document, const JsonFields& fields, const std::string& where) {
  const auto it = document.find("schema_version");
  if (it == document.end())
    fields.fail(where, "missing; a railcheck results file carries \"schema_version\": \"1.<minor>\"");
  const std::string text = it->is_string() ? it->get<std::string>() : it->dump();
  const bool known = it->is_string() && text.size() > 2 && text.rfind("1.", 0) == 0 &&
                     text.find_first_not_of("0123456789", 2) == std::string::npos;
  if (!known) {
    fields.fail(where, "version " + text +
                           " is not supported; this railcheck reads results schema 1.x (1.0 to 1.<any>): "
                           "analyze it with the railcheck that wrote it");
  }
}

// The string at `key` of object `j`, or "" when absent or not a string.
std::string string_or_empty(const json& j, const char* key) {
  const auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

}  // namespace

json parse_results(std::string_view text, bool jsonl, const std::string& source) {
  const JsonFields fields(source);
  if (!jsonl) {
    json doc = fields.parse(text);
    if (!doc.is_object() || string_or_empty(doc, "kind") != "railcheck.results") {
      fields.fail("kind", "not a railcheck results document (expected \"kind\": \"railcheck.results\")");
    }
    expect_results_version(doc, fields, "schema_version");
    if (!doc.contains("records") || !doc.at("records").is_array()) fields.fail("records", "missing or not an array");
    return doc;
  }
  json doc = {{"records", json::array()}};
  std::istringstream lines{std::string(text)};
  bool manifest_seen = false;
  int number = 0;
  for (std::string line; std::getline(lines, line);) {
    ++number;
    if (line.empty()) continue;
    json j;
    try {
      j = json::parse(line);
    } catch (const json::parse_error&) {
      // A job killed mid-write leaves a torn last line: keep what came before it.
      break;
    } catch (const json::out_of_range& e) {
      fields.fail("line " + std::to_string(number), std::string("a number out of range (") + e.what() + ")");
    }
    if (!j.is_object()) fields.fail("line " + std::to_string(number), "not a JSON object");
    const std::optional<LineTypeInfo> type = find_line_type(string_or_empty(j, "type"));
    if (!type) continue;  // a line type of a newer 1.x writer: nothing this version can judge
    if (type->type == LineType::kManifest) {
      expect_results_version(j, fields, "manifest line: schema_version");
      manifest_seen = true;
      if (j.contains("manifest")) doc["manifest"] = std::move(j["manifest"]);
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

json read_results_file(const std::string& path) {
  const std::string text = read_input_file(path, "results file", "give the results.json (or results.jsonl) of a run");
  const bool is_lines = path.size() > 6 && path.substr(path.size() - 6) == ".jsonl";
  return parse_results(text, is_lines, path);
}

}  // namespace railcheck::analysis
