#include "railcheck/analysis/analysis_options.h"

#include <climits>
#include <functional>
#include <map>

#include "railcheck/input/json_input.h"

namespace railcheck::analysis {
namespace {

using nlohmann::json;

// One settable field: how to read it from JSON and write it back.
struct Field {
  std::function<void(const json&, const std::string&, const JsonFields&)> read;
  std::function<json()> write;
};
using FieldMap = std::map<std::string, Field>;

Field fraction(double& target) {
  return {[&target](const json& v, const std::string& at, const JsonFields& f) {
            if (!v.is_number() || v.get<double>() < 0.0 || v.get<double>() >= 1.0) {
              f.fail(at, "expected a fraction from 0 to below 1 (0.2 = 20%), got " + JsonFields::describe(v));
            }
            target = v.get<double>();
          },
          [&target] { return json(target); }};
}
Field positive(double& target) {
  return {[&target](const json& v, const std::string& at, const JsonFields& f) {
            if (!v.is_number() || v.get<double>() <= 0.0)
              f.fail(at, "expected a number > 0, got " + JsonFields::describe(v));
            target = v.get<double>();
          },
          [&target] { return json(target); }};
}
Field non_negative(double& target) {
  return {[&target](const json& v, const std::string& at, const JsonFields& f) {
            if (!v.is_number() || v.get<double>() < 0.0)
              f.fail(at, "expected a number >= 0, got " + JsonFields::describe(v));
            target = v.get<double>();
          },
          [&target] { return json(target); }};
}
Field count(int& target, int min) {
  return {[&target, min](const json& v, const std::string& at, const JsonFields& f) {
            target = f.int_field(v, at, min, INT_MAX);
          },
          [&target] { return json(target); }};
}

FieldMap outlier_fields(OutlierOptions& o) {
  return {{"warn_spreads", positive(o.warn_spreads)},
          {"fail_spreads", positive(o.fail_spreads)},
          {"warn_deviation", fraction(o.warn_deviation)},
          {"fail_deviation", fraction(o.fail_deviation)},
          {"min_relative_spread", fraction(o.min_relative_spread)},
          {"min_units", count(o.min_units, 2)},
          {"decisive_deviation", non_negative(o.decisive_deviation)}};
}

FieldMap pair_fields(PairMatrixOptions& o) {
  FieldMap m = {{"suspect_share", fraction(o.suspect_share)},
                {"min_slow_pairs", count(o.min_slow_pairs, 1)},
                {"retest_peers", count(o.retest_peers, 0)},
                {"retest_alone_max_pairs", count(o.retest_alone_max_pairs, 0)},
                {"retest_spreads", positive(o.retest_spreads)},
                {"latency_floor_us", non_negative(o.latency_floor_us)},
                {"tail_latency_floor_us", non_negative(o.tail_latency_floor_us)},
                {"loss_floor", fraction(o.loss_floor)}};
  return m;
}

FieldMap baseline_fields(BaselineOptions& o) {
  return {{"warn_tolerance", fraction(o.warn_tolerance)}, {"fail_tolerance", fraction(o.fail_tolerance)}};
}

FieldMap inventory_fields(InventoryOptions& o) { return {{"expect_gpus", count(o.expect_gpus, 0)}}; }

FieldMap soak_fields(SoakOptions& o) {
  return {{"warmup_intervals", count(o.warmup_intervals, 0)},
          {"window_intervals", count(o.window_intervals, 1)},
          {"drift", fraction(o.drift)},
          {"dip", fraction(o.dip)},
          {"fabric_share", positive(o.fabric_share)},
          {"noise_spreads", non_negative(o.noise_spreads)},
          {"dip_noise_spreads", non_negative(o.dip_noise_spreads)}};
}

FieldMap bisection_fields(BisectionOptions& o) {
  return {{"slow_tolerance", fraction(o.slow_tolerance)},
          {"min_group_nodes", count(o.min_group_nodes, 1)},
          {"max_rounds", count(o.max_rounds, 1)}};
}

std::string names(const FieldMap& fields) {
  std::string out;
  for (const auto& [name, field] : fields) out += (out.empty() ? "" : ", ") + name;
  return out;
}

void read_fields(const json& object, const std::string& path, const JsonFields& f, FieldMap fields,
                 const char* extra_object = nullptr, std::function<void(const json&, const std::string&)> extra = {}) {
  if (!object.is_object()) f.fail(path, "expected an object, got " + JsonFields::describe(object));
  for (const auto& [key, value] : object.items()) {
    const std::string at = JsonFields::join(path, key);
    if (extra_object != nullptr && key == extra_object) {
      extra(value, at);
    } else if (auto it = fields.find(key); it != fields.end()) {
      it->second.read(value, at, f);
    } else {
      f.fail(at,
             "unknown field; known fields: " + names(fields) + (extra_object ? std::string(", ") + extra_object : ""));
    }
  }
}

json write_fields(const FieldMap& fields) {
  json out = json::object();
  for (const auto& [name, field] : fields) out[name] = field.write();
  return out;
}

void check_order(const OutlierOptions& o, const std::string& path, const JsonFields& f) {
  if (o.warn_spreads > o.fail_spreads) f.fail(path + ".warn_spreads", "must not exceed fail_spreads");
  if (o.warn_deviation > o.fail_deviation) f.fail(path + ".warn_deviation", "must not exceed fail_deviation");
  if (o.decisive_deviation > 0.0 && o.decisive_deviation < o.fail_deviation) {
    f.fail(path + ".decisive_deviation", "must be 0 (off) or at least fail_deviation");
  }
}

}  // namespace

AnalysisOptions parse_analysis_options(const json& object, const std::string& source, const std::string& path,
                                       AnalysisOptions options) {
  const JsonFields f(source);
  if (!object.is_object()) f.fail(path, "expected an object with inventory, fleet, pairs, baseline, bisection or soak");
  for (const auto& [key, value] : object.items()) {
    const std::string at = JsonFields::join(path, key);
    if (key == "inventory") {
      read_fields(value, at, f, inventory_fields(options.inventory));
    } else if (key == "fleet") {
      read_fields(value, at, f, outlier_fields(options.fleet));
      check_order(options.fleet, at, f);
    } else if (key == "pairs") {
      read_fields(value, at, f, pair_fields(options.pairs), "link", [&](const json& link, const std::string& link_at) {
        read_fields(link, link_at, f, outlier_fields(options.pairs.link));
        check_order(options.pairs.link, link_at, f);
      });
    } else if (key == "baseline") {
      read_fields(value, at, f, baseline_fields(options.baseline));
      if (options.baseline.warn_tolerance > options.baseline.fail_tolerance) {
        f.fail(at + ".warn_tolerance", "must not exceed fail_tolerance");
      }
    } else if (key == "bisection") {
      read_fields(value, at, f, bisection_fields(options.bisection));
    } else if (key == "soak") {
      read_fields(value, at, f, soak_fields(options.soak));
      if (options.soak.drift <= 0.0 || options.soak.dip <= 0.0) f.fail(at, "drift and dip must be above 0");
      if (options.soak.fabric_share > 1.0) f.fail(at + ".fabric_share", "must be at most 1");
    } else {
      f.fail(at, "unknown field; known fields: inventory, fleet, pairs, baseline, bisection, soak");
    }
  }
  return options;
}

json to_json(const AnalysisOptions& options) {
  AnalysisOptions copy = options;  // the field maps bind references
  json pairs = write_fields(pair_fields(copy.pairs));
  pairs["link"] = write_fields(outlier_fields(copy.pairs.link));
  return {{"inventory", write_fields(inventory_fields(copy.inventory))},
          {"fleet", write_fields(outlier_fields(copy.fleet))},
          {"pairs", pairs},
          {"baseline", write_fields(baseline_fields(copy.baseline))},
          {"bisection", write_fields(bisection_fields(copy.bisection))},
          {"soak", write_fields(soak_fields(copy.soak))}};
}

}  // namespace railcheck::analysis
