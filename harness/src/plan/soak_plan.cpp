#include "railcheck/plan/soak_plan.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <string>

namespace railcheck {

std::optional<double> parse_duration(std::string_view text) {
  if (text.empty()) return std::nullopt;
  double unit = 1.0;
  switch (text.back()) {
    case 's':
      text.remove_suffix(1);
      break;
    case 'm':
      unit = 60.0;
      text.remove_suffix(1);
      break;
    case 'h':
      unit = 3600.0;
      text.remove_suffix(1);
      break;
    default:
      break;
  }
  const std::string number(text);
  if (number.empty() || number.find_first_not_of("0123456789.") != std::string::npos) return std::nullopt;
  char* end = nullptr;
  const double value = std::strtod(number.c_str(), &end);
  if (end != number.c_str() + number.size() || !std::isfinite(value) || value < 0) return std::nullopt;
  return value * unit;
}

namespace {

double duration_field(const nlohmann::json& value, const JsonFields& fields, const std::string& path) {
  if (value.is_number() && std::isfinite(value.get<double>()) && value.get<double>() >= 0) return value.get<double>();
  if (value.is_string()) {
    if (auto seconds = parse_duration(value.get<std::string>())) return *seconds;
  }
  fields.fail(path, "expected a duration such as \"4h\", \"15m\", \"90s\" or seconds as a number, got " +
                        JsonFields::describe(value));
}

}  // namespace

SoakPlan parse_soak_plan(const nlohmann::json& value, const JsonFields& fields, const std::string& path) {
  fields.expect_object(value, path, {"duration", "interval", "max_intervals", "fail_early"}, {"duration"});
  SoakPlan plan;
  for (const auto& [key, field] : value.items()) {
    const std::string at = JsonFields::join(path, key);
    if (key == "duration") {
      plan.duration_s = duration_field(field, fields, at);
    } else if (key == "interval") {
      plan.interval_s = duration_field(field, fields, at);
    } else if (key == "max_intervals") {
      plan.max_intervals = fields.int_field(field, at, 0, 1000000);
    } else if (key == "fail_early") {
      plan.fail_early = fields.bool_field(field, at);
    }
  }
  if (auto problem = soak_plan_problem(plan)) fields.fail(path, *problem);
  return plan;
}

std::optional<std::string> soak_plan_problem(const SoakPlan& plan) {
  auto seconds = [](double s) {
    char text[32];
    std::snprintf(text, sizeof text, "%g s", s);
    return std::string(text);
  };
  if (!(plan.duration_s > 0.0)) {
    return "a soak needs a duration above 0, such as \"duration\": \"4h\" (--duration 4h)";
  }
  if (!(plan.interval_s > 0.0) || plan.interval_s > plan.duration_s) {
    return "interval " + seconds(plan.interval_s) + " must be above 0 and at most the duration (" +
           seconds(plan.duration_s) + "); drift needs several intervals, e.g. an interval of 60s for an hour";
  }
  return std::nullopt;
}

}  // namespace railcheck
