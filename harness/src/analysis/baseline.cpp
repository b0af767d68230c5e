// Baselines: parsing with errors that name the file and the field, generation by iterative trimmed mean,
// merging, and judging samples against the expected values.
#include "railcheck/analysis/baseline.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <tuple>

#include "railcheck/analysis/robust_stats.h"
#include "railcheck/core/error.h"
#include "railcheck/input/json_input.h"

namespace railcheck::analysis {
namespace {

using nlohmann::json;

constexpr const char* kBaselineKind = "railcheck.baseline";
constexpr const char* kSchemaHint = "see results-schema/baseline.schema.json";

// What makes two entries the same: they would judge exactly the same samples.
using EntryKey = std::tuple<std::string, std::string, std::size_t, std::size_t, int, int>;

EntryKey entry_key(const BaselineEntry& entry) {
  return {entry.scope, entry.metric, entry.min_size_bytes, entry.max_size_bytes, entry.rail, entry.nranks};
}

std::size_t size_field(const JsonFields& fields, const json& value, const std::string& path) {
  if (!value.is_number_integer() || (!value.is_number_unsigned() && value.get<long long>() < 0)) {
    fields.fail(path, "expected a size in bytes (an integer >= 0), got " + JsonFields::describe(value));
  }
  return value.get<std::size_t>();
}

double tolerance_field(const JsonFields& fields, const json& value, const std::string& path) {
  if (!value.is_number() || value.get<double>() < 0.0 || value.get<double>() >= 1.0) {
    fields.fail(path,
                "expected a fraction from 0 to below 1, got " + JsonFields::describe(value) + "; write 0.1 for 10%");
  }
  return value.get<double>();
}

BaselineEntry read_entry(const JsonFields& fields, const json& value, const std::string& path) {
  fields.expect_object(value, path,
                       {"metric", "scope", "min_size_bytes", "max_size_bytes", "rail", "nranks", "expected",
                        "higher_is_better", "warn_tolerance", "fail_tolerance", "samples"});
  for (const char* name : {"metric", "scope", "min_size_bytes", "max_size_bytes", "expected", "higher_is_better",
                           "warn_tolerance", "fail_tolerance"}) {
    if (!value.contains(name)) {
      fields.fail(JsonFields::join(path, name), std::string("missing required field; add it (") + kSchemaHint + ")");
    }
  }
  BaselineEntry entry;
  entry.metric = fields.string_field(value["metric"], path + ".metric");
  if (entry.metric.empty()) {
    fields.fail(path + ".metric", "empty; name the test key and field, e.g. \"all_reduce.float.sum busbw_gbps\"");
  }
  entry.scope = fields.string_field(value["scope"], path + ".scope");
  if (entry.scope != "link" && entry.scope != "unit" && entry.scope != "group") {
    fields.fail(path + ".scope", "unknown scope '" + entry.scope + "'; choose one of link, unit, group");
  }
  entry.min_size_bytes = size_field(fields, value["min_size_bytes"], path + ".min_size_bytes");
  entry.max_size_bytes = size_field(fields, value["max_size_bytes"], path + ".max_size_bytes");
  if (entry.min_size_bytes > entry.max_size_bytes) {
    fields.fail(path + ".min_size_bytes", std::to_string(entry.min_size_bytes) + " is above max_size_bytes " +
                                              std::to_string(entry.max_size_bytes) + "; swap them");
  }
  if (value.contains("rail")) entry.rail = fields.int_field(value["rail"], path + ".rail", -1, 1023);
  if (value.contains("nranks")) {
    entry.nranks = fields.int_field(value["nranks"], path + ".nranks", -1, 1 << 24);
    if (entry.nranks == 0) fields.fail(path + ".nranks", "0 ranks; give the group's rank count, or -1 for any");
  }
  const json& expected = value["expected"];
  if (!expected.is_number() || expected.get<double>() <= 0.0 || !std::isfinite(expected.get<double>())) {
    fields.fail(path + ".expected",
                "expected a number above 0 (in the metric's unit), got " + JsonFields::describe(expected));
  }
  entry.expected = expected.get<double>();
  entry.higher_is_better = fields.bool_field(value["higher_is_better"], path + ".higher_is_better");
  entry.warn_tolerance = tolerance_field(fields, value["warn_tolerance"], path + ".warn_tolerance");
  entry.fail_tolerance = tolerance_field(fields, value["fail_tolerance"], path + ".fail_tolerance");
  if (entry.warn_tolerance > entry.fail_tolerance) {
    fields.fail(path + ".warn_tolerance", format_number(entry.warn_tolerance) + " is above fail_tolerance " +
                                              format_number(entry.fail_tolerance) +
                                              "; the warn tolerance must not exceed the fail tolerance");
  }
  if (value.contains("samples")) entry.samples = fields.int_field(value["samples"], path + ".samples", 0, 1 << 30);
  return entry;
}

// Fraction by which `measured` is worse than `expected` (negative: better).
double worse_fraction(double measured, double expected, bool higher_is_better) {
  const double deviation = (measured - expected) / expected;
  return higher_is_better ? -deviation : deviation;
}

// Samples of one (scope, metric, size, rail, nranks), collected for generate_baseline.
struct ValueGroup {
  bool higher_is_better = true;
  std::vector<double> values;
};

BaselineEntry trimmed_entry(const EntryKey& key, const ValueGroup& group, const BaselineOptions& options) {
  const std::vector<double>& all = group.values;
  std::vector<double> kept = all;
  double mean = 0.0;
  for (;;) {
    mean = 0.0;
    for (double v : kept) mean += v;
    mean /= static_cast<double>(kept.size());
    std::vector<double> next;
    for (double v : kept) {
      if (mean > 0.0 && std::abs(v - mean) / mean <= options.fail_tolerance) next.push_back(v);
    }
    if (next.size() == kept.size()) break;
    if (2 * next.size() < all.size()) {  // trimming would keep less than half: the median of everything
      kept = all;
      mean = median(all);
      break;
    }
    kept = std::move(next);
  }
  BaselineEntry entry;
  std::tie(entry.scope, entry.metric, entry.min_size_bytes, entry.max_size_bytes, entry.rail, entry.nranks) = key;
  entry.expected = mean;
  entry.higher_is_better = group.higher_is_better;
  entry.warn_tolerance = options.warn_tolerance;
  entry.fail_tolerance = options.fail_tolerance;
  entry.samples = static_cast<int>(kept.size());
  return entry;
}

Finding judge(const BaselineEntry& entry, const Baseline& baseline, ComponentId component, const std::string& metric,
              std::size_t size_bytes, double measured, const std::string& failure) {
  Finding finding;
  finding.component = std::move(component);
  Evidence& e = finding.evidence;
  e.source = "baseline";
  e.metric = metric;
  e.size_bytes = size_bytes;
  e.measured = measured;
  e.expected = entry.expected;
  e.expected_from = "baseline " + baseline.source + " (profile " + baseline.profile + ")";
  const std::string where = label(finding.component) + ": " + metric + " at " + std::to_string(size_bytes) + " bytes";
  if (!failure.empty()) {
    finding.status = VerdictStatus::kFail;
    e.text = where + " failed (" + failure + ") where the baseline expects " + format_number(entry.expected) + ".";
    return finding;
  }
  e.deviation = (measured - entry.expected) / entry.expected;
  const double worse = worse_fraction(measured, entry.expected, entry.higher_is_better);
  finding.status = worse > entry.fail_tolerance   ? VerdictStatus::kFail
                   : worse > entry.warn_tolerance ? VerdictStatus::kWarn
                                                  : VerdictStatus::kPass;
  const char* limit_name = finding.status == VerdictStatus::kPass ? "warn beyond " : "limit ";
  const double limit = finding.status == VerdictStatus::kFail ? entry.fail_tolerance : entry.warn_tolerance;
  e.text = where + " is " + format_number(measured) + " against the baseline's " + format_number(entry.expected) +
           " (" + format_percent(std::abs(worse)) + (worse > 0 ? " worse" : " better") + ", " + limit_name +
           format_percent(limit) + ").";
  return finding;
}

}  // namespace

Baseline parse_baseline(std::string_view json_text, const std::string& source) {
  const JsonFields fields(source);
  const json document = fields.parse(json_text);
  if (!document.is_object()) fields.fail("", "expected a baseline object, got " + JsonFields::describe(document));
  if (!document.contains("kind") || document["kind"] != kBaselineKind) {
    fields.fail("kind", (document.contains("kind") ? "is " + JsonFields::describe(document["kind"]) : "missing") +
                            ", so this is not a railcheck baseline; give a file written by `railcheck baseline "
                            "generate` (\"kind\": \"railcheck.baseline\")");
  }
  fields.expect_schema_version(document, kBaselineSchemaVersion);
  fields.expect_object(document, "", {"kind", "schema_version", "profile", "description", "generated_from", "entries"});
  for (const char* name : {"profile", "entries"}) {
    if (!document.contains(name)) {
      fields.fail(name, std::string("missing required field; add it (") + kSchemaHint + ")");
    }
  }
  Baseline baseline;
  baseline.source = source;
  baseline.profile = fields.string_field(document["profile"], "profile");
  if (baseline.profile.empty()) fields.fail("profile", "empty; name the hardware profile, e.g. \"dgx-h100\"");
  if (document.contains("description"))
    baseline.description = fields.string_field(document["description"], "description");
  if (document.contains("generated_from"))
    baseline.generated_from = fields.string_field(document["generated_from"], "generated_from");
  const json& entries = document["entries"];
  if (!entries.is_array()) fields.fail("entries", "expected an array of entries, got " + JsonFields::describe(entries));
  std::map<EntryKey, std::size_t> seen;
  for (std::size_t i = 0; i < entries.size(); ++i) {
    const std::string path = "entries[" + std::to_string(i) + "]";
    BaselineEntry entry = read_entry(fields, entries[i], path);
    const auto [it, inserted] = seen.emplace(entry_key(entry), i);
    if (!inserted) {
      fields.fail(path, "same scope, metric, sizes, rail and nranks as entries[" + std::to_string(it->second) +
                            "]; remove one of them or merge them with `railcheck baseline merge`");
    }
    baseline.entries.push_back(std::move(entry));
  }
  return baseline;
}

Baseline load_baseline(const std::filesystem::path& path) {
  const std::string text = read_input_file(
      path, "baseline file", "give a baseline from suites/baselines/ or make one with `railcheck baseline generate`");
  return parse_baseline(text, path.string());
}

nlohmann::json to_json(const Baseline& baseline) {
  json entries = json::array();
  for (const BaselineEntry& e : baseline.entries) {
    entries.push_back({{"metric", e.metric},
                       {"scope", e.scope},
                       {"min_size_bytes", e.min_size_bytes},
                       {"max_size_bytes", e.max_size_bytes},
                       {"rail", e.rail},
                       {"nranks", e.nranks},
                       {"expected", e.expected},
                       {"higher_is_better", e.higher_is_better},
                       {"warn_tolerance", e.warn_tolerance},
                       {"fail_tolerance", e.fail_tolerance},
                       {"samples", e.samples}});
  }
  return {{"kind", kBaselineKind},
          {"schema_version", kBaselineSchemaVersion},
          {"profile", baseline.profile},
          {"description", baseline.description},
          {"generated_from", baseline.generated_from},
          {"entries", std::move(entries)}};
}

void check_profile(const Baseline& baseline, const std::string& run_profile) {
  if (run_profile.empty() || run_profile == baseline.profile) return;
  throw InputError(baseline.source + ": profile: the baseline is for profile '" + baseline.profile +
                   "' but this run is on profile '" + run_profile +
                   "'; use the baseline of this hardware (suites/baselines/) or make one with `railcheck baseline "
                   "generate --profile " +
                   run_profile + "`");
}

const BaselineEntry* find_entry(const Baseline& baseline, std::string_view scope, std::string_view metric,
                                std::size_t size_bytes, int rail, int nranks) {
  const BaselineEntry* best = nullptr;
  // Specificity: exact rail, then exact nranks, then the narrower size range.
  auto rank = [](const BaselineEntry& e) {
    return std::make_tuple(e.rail != -1, e.nranks != -1, -(static_cast<double>(e.max_size_bytes - e.min_size_bytes)));
  };
  for (const BaselineEntry& e : baseline.entries) {
    if (e.scope != scope || e.metric != metric) continue;
    if (size_bytes < e.min_size_bytes || size_bytes > e.max_size_bytes) continue;
    if (e.rail != -1 && e.rail != rail) continue;
    if (e.nranks != -1 && e.nranks != nranks) continue;
    if (best == nullptr || rank(e) > rank(*best)) best = &e;
  }
  return best;
}

Baseline generate_baseline(const Samples& samples, std::string profile, const BaselineOptions& options) {
  std::map<EntryKey, ValueGroup> groups;
  auto add = [&groups](EntryKey key, double value, bool higher_is_better) {
    ValueGroup& group = groups[std::move(key)];
    group.higher_is_better = higher_is_better;
    group.values.push_back(value);
  };
  for (const UnitSample& s : samples.units) {
    add({"unit", s.metric, s.size_bytes, s.size_bytes, s.rail, -1}, s.value, s.higher_is_better);
  }
  for (const LinkSample& s : samples.links) {
    if (!s.ok || s.retest) continue;  // failed transfers have no value; re-tests are a biased subset
    add({"link", s.metric, s.size_bytes, s.size_bytes, s.rail, -1}, s.value, s.higher_is_better);
  }
  for (const GroupSample& s : samples.groups) {
    add({"group", s.metric, s.size_bytes, s.size_bytes, -1, s.nranks}, s.value, s.higher_is_better);
  }
  Baseline baseline;
  baseline.profile = std::move(profile);
  for (const auto& [key, group] : groups) {
    BaselineEntry entry = trimmed_entry(key, group, options);
    if (entry.expected > 0.0 && std::isfinite(entry.expected)) baseline.entries.push_back(std::move(entry));
  }
  return baseline;
}

Baseline merge_baselines(const Baseline& older, const Baseline& newer) {
  if (older.profile != newer.profile) {
    throw InputError(newer.source + ": profile: '" + newer.profile + "' differs from '" + older.profile + "' of " +
                     older.source + "; merge only baselines of the same hardware profile");
  }
  Baseline merged = older;
  merged.source.clear();
  if (!newer.description.empty()) merged.description = newer.description;
  if (!newer.generated_from.empty()) {
    merged.generated_from += (merged.generated_from.empty() ? "" : "; ") + newer.generated_from;
  }
  std::map<EntryKey, std::size_t> index;
  for (std::size_t i = 0; i < merged.entries.size(); ++i) index.emplace(entry_key(merged.entries[i]), i);
  for (const BaselineEntry& fresh : newer.entries) {
    const auto it = index.find(entry_key(fresh));
    if (it == index.end()) {
      index.emplace(entry_key(fresh), merged.entries.size());
      merged.entries.push_back(fresh);
      continue;
    }
    BaselineEntry& old = merged.entries[it->second];
    const int total = old.samples + fresh.samples;
    const double expected = total > 0 ? (old.expected * old.samples + fresh.expected * fresh.samples) / total
                                      : (old.expected + fresh.expected) / 2.0;
    old = fresh;
    old.expected = expected;
    old.samples = total;
  }
  return merged;
}

std::vector<Finding> compare_to_baseline(const Samples& samples, const Baseline& baseline) {
  std::vector<Finding> findings;
  for (const UnitSample& s : samples.units) {
    const BaselineEntry* entry = find_entry(baseline, "unit", s.metric, s.size_bytes, s.rail, -1);
    if (entry != nullptr) findings.push_back(judge(*entry, baseline, s.unit, s.metric, s.size_bytes, s.value, ""));
  }
  for (const LinkSample& s : samples.links) {
    const BaselineEntry* entry = find_entry(baseline, "link", s.metric, s.size_bytes, s.rail, -1);
    if (entry == nullptr) continue;
    findings.push_back(judge(*entry, baseline, make_link(s.host_a, s.nic_a, s.host_b, s.nic_b, s.rail), s.metric,
                             s.size_bytes, s.ok ? s.value : 0.0,
                             s.ok ? "" : (s.error.empty() ? "transfer failed" : s.error)));
  }
  // A collective against its group entry: on one host the host is the part; across hosts every member host is
  // a suspect, warned at most (the collective cannot say which of them is slow: bisection or pairwise can).
  for (const GroupSample& s : samples.groups) {
    const BaselineEntry* entry = find_entry(baseline, "group", s.metric, s.size_bytes, -1, s.nranks);
    if (entry == nullptr) continue;
    for (const std::string& host : s.hosts) {
      Finding finding = judge(*entry, baseline, make_node(host), s.metric, s.size_bytes, s.value, "");
      finding.evidence.refs = {s.group};
      if (s.hosts.size() > 1) {
        finding.evidence.text = "the " + s.group + " " + s.metric + " collective of " + std::to_string(s.nranks) +
                                " ranks on " + std::to_string(s.hosts.size()) + " hosts: " + finding.evidence.text +
                                " " + std::string(kNotLocalizedText);
        if (finding.status == VerdictStatus::kFail) finding.status = VerdictStatus::kWarn;
      }
      findings.push_back(std::move(finding));
    }
  }
  return findings;
}

}  // namespace railcheck::analysis
