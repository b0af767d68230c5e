#include "railcheck/record/pass_summary.h"

namespace railcheck {

nlohmann::json to_json(const PassSummary& s) {
  nlohmann::json j = {{"of", s.of},
                      {"count", s.count},
                      {"failed", s.failed},
                      {"start_unix_s", s.start_unix_s},
                      {"end_unix_s", s.end_unix_s}};
  if (s.min) j["min"] = *s.min;
  if (s.mean) j["mean"] = *s.mean;
  if (s.max) j["max"] = *s.max;
  if (s.median) j["median"] = *s.median;
  return j;
}

PassSummary pass_summary_from_json(const nlohmann::json& j) {
  PassSummary s;
  s.of = j.at("of");
  s.count = j.at("count");
  s.failed = j.value("failed", 0);
  s.start_unix_s = j.value("start_unix_s", 0.0);
  s.end_unix_s = j.value("end_unix_s", 0.0);
  if (j.contains("min")) s.min = j.at("min").get<double>();
  if (j.contains("mean")) s.mean = j.at("mean").get<double>();
  if (j.contains("max")) s.max = j.at("max").get<double>();
  if (j.contains("median")) s.median = j.at("median").get<double>();
  return s;
}

}  // namespace railcheck
