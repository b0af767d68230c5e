// The kinds of line a results.jsonl holds, and which of them are records (measurements results.json keeps
// in "records"): the one list the writer (JsonlSink), the readers (analyze, baseline), the schema
// (results.schema.json $defs/stream_line dispatches on the same names; a unit test checks they agree) and the
// tests use. A new record kind is one entry here, one struct in record.h's Record variant, one $defs entry and one
// branch of stream_line.
#pragma once

#include <array>
#include <optional>
#include <string_view>

namespace railcheck {

enum class LineType {
  kManifest,   ///< first line: the run manifest and the schema version
  kRecord,     ///< a collective record (kind "collective")
  kP2p,        ///< a point-to-point transfer (kind "p2p")
  kGpuCheck,   ///< a single-GPU check (kind "gpu_check")
  kBisection,  ///< one group of one bisection round (kind "bisection")
  kTelemetry,  ///< one host's counters over a test or a soak interval (kind "telemetry")
  kVerdicts,   ///< the analysis options and every verdict
  kWatchdog,   ///< the watchdog's last word on a job it ended
  kNote,       ///< a message for the operator: a skipped test, a warning, a failure outside any record
  kSummary,    ///< last line of a run that finished: totals and the exit code
};

struct LineTypeInfo {
  LineType type;
  std::string_view name;         ///< the line's "type" field
  std::string_view record_kind;  ///< the "kind" of the record in results.json's "records"; "" not a record
  std::string_view schema_def;   ///< the results.schema.json $defs entry the line validates against
};

inline constexpr std::array<LineTypeInfo, 10> kLineTypes = {{
    {LineType::kManifest, "manifest", "", "stream_manifest"},
    {LineType::kRecord, "record", "collective", "stream_record"},
    {LineType::kP2p, "p2p", "p2p", "stream_p2p_record"},
    {LineType::kGpuCheck, "gpu_check", "gpu_check", "stream_gpu_check_record"},
    {LineType::kBisection, "bisection", "bisection", "stream_bisection_record"},
    {LineType::kTelemetry, "telemetry", "telemetry", "stream_telemetry_record"},
    {LineType::kVerdicts, "verdicts", "", "stream_verdicts"},
    {LineType::kWatchdog, "watchdog", "", "stream_watchdog"},
    {LineType::kNote, "note", "", "stream_note"},
    {LineType::kSummary, "summary", "", "stream_summary"},
}};

/// The entry of `type`.
constexpr const LineTypeInfo& line_type_info(LineType type) {
  for (const LineTypeInfo& info : kLineTypes) {
    if (info.type == type) return info;
  }
  return kLineTypes[0];  // unreachable: every enumerator has an entry (checked by a unit test)
}

/// The entry whose "type" name is `name`, or nullopt for a line type this version does not know.
constexpr std::optional<LineTypeInfo> find_line_type(std::string_view name) {
  for (const LineTypeInfo& info : kLineTypes) {
    if (info.name == name) return info;
  }
  return std::nullopt;
}

/// The kind of a record with no "kind" field (written before kinds existed): a collective record.
inline constexpr std::string_view kUnnamedRecordKind = line_type_info(LineType::kRecord).record_kind;

/// Whether the record kind `kind` is that of `type`.
constexpr bool is_kind(std::string_view kind, LineType type) { return kind == line_type_info(type).record_kind; }

/// Whether lines of this type are records (measurements results.json keeps in "records").
constexpr bool is_record(const LineTypeInfo& info) { return !info.record_kind.empty(); }

}  // namespace railcheck
