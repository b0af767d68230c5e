// A soak (burn-in): the suite's tests run again and again for a duration, in intervals, every record tagged
// with its interval, so the analysis can follow each part over time (drift, dips). The suite's "soak" object
// or `railcheck soak --duration`.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "railcheck/input/json_input.h"

namespace railcheck {

struct SoakPlan {
  double duration_s = 0.0;   ///< the soak stops after the pass during which this much time has passed
  double interval_s = 60.0;  ///< an interval repeats the suite's tests until this long has passed (one pass at least)
  int max_intervals = 0;     ///< stop after this many intervals too (0: duration only)
  bool fail_early = false;   ///< stop after the first interval whose records already give a FAIL verdict
};

/// Seconds from "90", "90s", "15m", "4h", "1.5h" (a number with an optional s, m or h); nullopt for anything
/// else, a negative or a non-finite number.
std::optional<double> parse_duration(std::string_view text);

/// The suite's "soak" object: {"duration": "4h", "interval": "60s", "max_intervals": 0, "fail_early": false};
/// durations as strings (parse_duration) or seconds. Calls fields.fail(path...) for unknown fields, bad
/// durations and soak_plan_problem's.
SoakPlan parse_soak_plan(const nlohmann::json& value, const JsonFields& fields, const std::string& path);

/// Why `plan` cannot run (no duration, an interval of 0 or above the duration), with the fix; nullopt when it can.
std::optional<std::string> soak_plan_problem(const SoakPlan& plan);

}  // namespace railcheck
