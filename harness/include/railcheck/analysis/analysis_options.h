// Reading analysis thresholds from a suite's "analysis" object (results-schema/suite.schema.json).
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "railcheck/analysis/thresholds.h"

namespace railcheck::analysis {

/// Overrides `options` with the fields present in `object` ({"fleet": {...}, "pairs": {...}, "baseline":
/// {...}, "bisection": {...}}); every key is the struct field's name. Throws InputError "<source>: <path>.<field>:
/// <problem>; <fix>" for unknown fields and out-of-range values.
AnalysisOptions parse_analysis_options(const nlohmann::json& object, const std::string& source, const std::string& path,
                                       AnalysisOptions options = {});

/// The options as JSON (same keys), for the manifest: a run records the thresholds it judged by.
nlohmann::json to_json(const AnalysisOptions& options);

}  // namespace railcheck::analysis
