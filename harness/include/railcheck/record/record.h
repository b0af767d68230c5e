// The one record model: every measurement a run keeps is one of these kinds, each with its struct and its
// JSON form (the wire format of results.jsonl / results.json, which the analysis reads). Sinks receive a
// Record and format it per kind; record_kinds.h is the registry of kinds and line types.
#pragma once

#include <optional>
#include <variant>

#include <nlohmann/json.hpp>

#include "railcheck/record/bisection_record.h"
#include "railcheck/record/collective_record.h"
#include "railcheck/record/gpu_check_record.h"
#include "railcheck/record/p2p_record.h"
#include "railcheck/record/record_kinds.h"
#include "railcheck/record/telemetry_record.h"

namespace railcheck {

using Record = std::variant<CollectiveRecord, P2pRecord, GpuCheckRecord, BisectionRecord, TelemetryRecord>;

/// The results.jsonl line type of `record` (its "type" field), one of record_kinds.h's record types.
LineType line_type_of(const Record& record);

/// The record's JSON without "type" (what results.json's "records" holds), with its "kind".
nlohmann::json to_json(const Record& record);

/// The soak interval `record` was measured in; nullopt outside a soak and for kinds a soak does not repeat
/// (bisection).
std::optional<int> interval_of(const Record& record);
/// Names `interval` as the record's soak interval (kinds without one are left as they are).
void stamp_interval(Record& record, int interval);

}  // namespace railcheck
