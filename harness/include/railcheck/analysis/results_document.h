// Reading a run's results back: results.json, or the lines of a results.jsonl (a run killed before it
// finished). What `railcheck analyze` reads, and what its fuzz target feeds with arbitrary bytes.
#pragma once

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace railcheck::analysis {

/// The document of `text` as {"records": [...], "analysis": ... (when recorded)}: results.json (`jsonl`
/// false) checked for its kind, schema version 1.x and records array; or the lines of a results.jsonl
/// (`jsonl` true): the manifest line required, every record line (record_kinds.h) kept in order without its
/// "type", a torn last line dropped, line types of a newer 1.x writer skipped. Throws InputError naming
/// `source` and the field for anything else (not JSON, wrong kind or version, a line that is not an object).
nlohmann::json parse_results(std::string_view text, bool jsonl, const std::string& source);

/// The file at `path` through parse_results (a results.jsonl by its name, else results.json). Throws InputError
/// naming the file when it cannot be read or parsed.
nlohmann::json read_results_file(const std::string& path);

}  // namespace railcheck::analysis
