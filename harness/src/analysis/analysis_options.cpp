#include "railcheck/analysis/analysis_options.h"

#include <algorithm>
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
                {"retest_link_repeats", count(o.retest_link_repeats, 1)},
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

FieldMap fabric_fields(FabricOptions& o) {
  return {{"slow_ratio", fraction(o.slow_ratio)},
          {"loss_floor", fraction(o.loss_floor)},
          {"slow_share", fraction(o.slow_share)},
          {"min_margin", count(o.min_margin, 1)},
          {"ack_shadow_ratio", positive(o.ack_shadow_ratio)},
          {"gray_below", fraction(o.gray_below)}};
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

// "telemetry": {"rules": [...]}: each rule replaces the default of the same source and counter (or is added);
// "status": "off" drops it.
void read_telemetry(const json& object, const std::string& path, const JsonFields& f, TelemetryOptions& options) {
  f.expect_object(object, path, {"rules"});
  if (!object.contains("rules")) return;
  const json& rules = object.at("rules");
  const std::string at = JsonFields::join(path, "rules");
  if (!rules.is_array()) f.fail(at, "expected an array of rules, got " + JsonFields::describe(rules));
  for (std::size_t i = 0; i < rules.size(); ++i) {
    const json& r = rules[i];
    const std::string rule_at = at + "[" + std::to_string(i) + "]";
    f.expect_object(r, rule_at, {"source", "counter", "above", "per", "status", "means", "stat"},
                    {"source", "counter", "status"});
    TelemetryRule rule;
    rule.source = f.string_field(r.at("source"), rule_at + ".source");
    if (rule.source != "netdev" && rule.source != "rdma" && rule.source != "tcp" && rule.source != "gpu") {
      f.fail(rule_at + ".source", "unknown source '" + rule.source + "'; known: netdev, rdma, tcp, gpu");
    }
    rule.counter = f.string_field(r.at("counter"), rule_at + ".counter");
    rule.status = f.string_field(r.at("status"), rule_at + ".status");
    if (rule.status != "fail" && rule.status != "warn" && rule.status != "off") {
      f.fail(rule_at + ".status", "must be fail, warn or off");
    }
    rule.above = r.contains("above") ? f.number_field(r.at("above"), rule_at + ".above", 0.0) : 0.0;
    rule.per = r.contains("per") ? f.string_field(r.at("per"), rule_at + ".per") : "run";
    if (rule.per != "run" && rule.per != "second" && rule.per != "minute" && rule.per != "hour") {
      f.fail(rule_at + ".per", "must be run, second, minute or hour");
    }
    rule.means = r.contains("means") ? f.string_field(r.at("means"), rule_at + ".means") : rule.counter + " grew";
    rule.stat = r.contains("stat") ? f.string_field(r.at("stat"), rule_at + ".stat") : "growth";
    if (rule.stat != "growth" && rule.stat != "max" && rule.stat != "nonzero_run") {
      f.fail(rule_at + ".stat", "must be growth (a counter), max or nonzero_run (a gauge)");
    }
    if (rule.stat != "growth" && rule.per != "run")
      f.fail(rule_at + ".per", "a gauge's stat has no rate: leave per out");
    std::erase_if(options.rules,
                  [&](const TelemetryRule& old) { return old.source == rule.source && old.counter == rule.counter; });
    if (rule.status != "off") options.rules.push_back(std::move(rule));
  }
}

// Every rule in force, and each default rule dropped as "off", so that reading it back (which starts from the
// defaults) gives the same rules.
json telemetry_json(const TelemetryOptions& options) {
  json rules = json::array();
  for (const TelemetryRule& r : options.rules) {
    rules.push_back({{"source", r.source},
                     {"counter", r.counter},
                     {"above", r.above},
                     {"per", r.per},
                     {"status", r.status},
                     {"means", r.means},
                     {"stat", r.stat}});
  }
  for (const TelemetryRule& d : TelemetryOptions{}.rules) {
    const bool kept = std::any_of(options.rules.begin(), options.rules.end(), [&](const TelemetryRule& r) {
      return r.source == d.source && r.counter == d.counter;
    });
    if (!kept) rules.push_back({{"source", d.source}, {"counter", d.counter}, {"status", "off"}});
  }
  return {{"rules", rules}};
}

}  // namespace

AnalysisOptions parse_analysis_options(const json& object, const std::string& source, const std::string& path,
                                       AnalysisOptions options) {
  const JsonFields f(source);
  if (!object.is_object())
    f.fail(path, "expected an object with inventory, fleet, pairs, baseline, bisection, soak or telemetry");
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
    } else if (key == "telemetry") {
      read_telemetry(value, at, f, options.telemetry);
    } else if (key == "fabric") {
      read_fields(value, at, f, fabric_fields(options.fabric));
    } else {
      f.fail(at, "unknown field; known fields: inventory, fleet, pairs, baseline, bisection, soak, telemetry, fabric");
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
          {"soak", write_fields(soak_fields(copy.soak))},
          {"telemetry", telemetry_json(copy.telemetry)},
          {"fabric", write_fields(fabric_fields(copy.fabric))}};
}

}  // namespace railcheck::analysis
