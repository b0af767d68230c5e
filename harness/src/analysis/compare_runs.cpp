#include "railcheck/analysis/compare_runs.h"

#include <algorithm>
#include <map>
#include <ostream>

#include "railcheck/analysis/robust_stats.h"

namespace railcheck::analysis {
namespace {

/// Every value of a run under its key, with what the key describes.
struct Keyed {
  ComparedValue shape;  ///< key, metric, size, where, sense
  std::vector<double> values;
};

void add(std::map<std::string, Keyed>& out, std::string metric, std::size_t size, std::string where,
         bool higher_is_better, double value) {
  const std::string key = metric + " @ " + std::to_string(size) + " B " + where;
  Keyed& k = out[key];
  if (k.values.empty()) {
    k.shape.key = key;
    k.shape.metric = std::move(metric);
    k.shape.size_bytes = size;
    k.shape.where = std::move(where);
    k.shape.higher_is_better = higher_is_better;
  }
  k.values.push_back(value);
}

std::map<std::string, Keyed> keyed(const Samples& samples) {
  std::map<std::string, Keyed> out;
  for (const LinkSample& l : samples.links) {
    if (l.retest) continue;
    const std::string where = (l.test.empty() ? std::string() : l.test + ": ") + l.host_a + "(" + l.nic_a + ")" +
                              (l.directional ? " -> " : " <-> ") + l.host_b + "(" + l.nic_b + ") rail " +
                              std::to_string(l.rail);
    add(out, l.metric, l.size_bytes, where, l.higher_is_better, l.ok ? l.value : 0.0);
  }
  for (const GroupSample& g : samples.groups) {
    add(out, g.metric, g.size_bytes, g.group + " (" + std::to_string(g.nranks) + " ranks)", g.higher_is_better,
        g.value);
  }
  for (const UnitSample& u : samples.units) {
    add(out, u.metric, u.size_bytes, label(u.unit), u.higher_is_better, u.value);
  }
  return out;
}

int change_order(ValueChange c) {
  switch (c) {
    case ValueChange::kRegressed:
      return 0;
    case ValueChange::kBetter:
      return 1;
    case ValueChange::kNew:
      return 2;
    case ValueChange::kMissing:
      return 3;
    case ValueChange::kSame:
      return 4;
  }
  return 5;
}

std::string worst_text(const Verdict& v) { return v.evidence.empty() ? std::string() : v.evidence.front().text; }

}  // namespace

std::string_view key_of(ValueChange change) {
  switch (change) {
    case ValueChange::kSame:
      return "same";
    case ValueChange::kBetter:
      return "better";
    case ValueChange::kRegressed:
      return "regressed";
    case ValueChange::kNew:
      return "new";
    case ValueChange::kMissing:
      return "missing";
  }
  return "same";
}

std::string_view key_of(VerdictChange change) {
  switch (change) {
    case VerdictChange::kNewlyFailing:
      return "newly_failing";
    case VerdictChange::kFixed:
      return "fixed";
    case VerdictChange::kNewlyWarning:
      return "newly_warning";
    case VerdictChange::kStillFailing:
      return "still_failing";
    case VerdictChange::kNotJudged:
      return "not_judged";
  }
  return "still_failing";
}

int Comparison::count(ValueChange change) const {
  return static_cast<int>(
      std::count_if(values.begin(), values.end(), [&](const auto& v) { return v.change == change; }));
}

int Comparison::count(VerdictChange change) const {
  return static_cast<int>(
      std::count_if(verdicts.begin(), verdicts.end(), [&](const auto& v) { return v.change == change; }));
}

int Comparison::exit_code() const {
  return count(ValueChange::kRegressed) > 0 || count(VerdictChange::kNewlyFailing) > 0 ? kExitDegraded : 0;
}

Comparison compare_runs(const Samples& old_samples, const std::vector<Verdict>& old_verdicts,
                        const Samples& new_samples, const std::vector<Verdict>& new_verdicts, double tolerance) {
  Comparison c;
  c.tolerance = tolerance;
  const auto before = keyed(old_samples), after = keyed(new_samples);
  auto value_of = [](const Keyed& k) { return median(k.values); };
  for (const auto& [key, k] : before) {
    ComparedValue v = k.shape;
    v.old_value = value_of(k);
    const auto found = after.find(key);
    if (found == after.end()) {
      v.change = ValueChange::kMissing;
      c.values.push_back(v);
      continue;
    }
    v.new_value = value_of(found->second);
    v.delta = *v.new_value - *v.old_value;
    v.ratio = *v.old_value > 0 ? *v.new_value / *v.old_value : 0.0;
    // Worse by more than the tolerance in the value's own sense; an old 0 (a failed transfer) can only improve.
    const bool worse = v.higher_is_better ? *v.new_value < *v.old_value * (1.0 - tolerance)
                                          : *v.new_value > *v.old_value * (1.0 + tolerance);
    const bool better = v.higher_is_better ? *v.new_value > *v.old_value * (1.0 + tolerance)
                                           : *v.new_value < *v.old_value * (1.0 - tolerance);
    v.change = worse ? ValueChange::kRegressed : better ? ValueChange::kBetter : ValueChange::kSame;
    c.values.push_back(v);
  }
  for (const auto& [key, k] : after) {
    if (before.contains(key)) continue;
    ComparedValue v = k.shape;
    v.new_value = value_of(k);
    v.change = ValueChange::kNew;
    c.values.push_back(v);
  }
  std::stable_sort(c.values.begin(), c.values.end(), [](const ComparedValue& a, const ComparedValue& b) {
    if (change_order(a.change) != change_order(b.change)) return change_order(a.change) < change_order(b.change);
    if (a.change == ValueChange::kRegressed) {  // the worst first, in each value's own sense
      const double wa = a.higher_is_better ? a.ratio : (a.ratio > 0 ? 1.0 / a.ratio : 0.0);
      const double wb = b.higher_is_better ? b.ratio : (b.ratio > 0 ? 1.0 / b.ratio : 0.0);
      return wa < wb;
    }
    return false;
  });

  std::map<ComponentId, const Verdict*> old_by, new_by;
  for (const Verdict& v : old_verdicts) old_by[v.component] = &v;
  for (const Verdict& v : new_verdicts) new_by[v.component] = &v;
  auto judged = [](const std::map<ComponentId, const Verdict*>& by, const ComponentId& id) {
    const auto found = by.find(id);
    return found == by.end() ? std::optional<VerdictStatus>() : std::optional(found->second->status);
  };
  std::map<ComponentId, bool> every;
  for (const auto& [id, v] : old_by) every[id] = true;
  for (const auto& [id, v] : new_by) every[id] = true;
  for (const auto& [id, unused] : every) {
    ComparedVerdict cv;
    cv.component = id;
    cv.old_status = judged(old_by, id);
    cv.new_status = judged(new_by, id);
    const bool old_fail = cv.old_status == VerdictStatus::kFail, new_fail = cv.new_status == VerdictStatus::kFail;
    if (new_fail && !old_fail) {
      cv.change = VerdictChange::kNewlyFailing;
    } else if (new_fail) {
      cv.change = VerdictChange::kStillFailing;
    } else if (old_fail && cv.new_status) {
      cv.change = VerdictChange::kFixed;
    } else if (old_fail || (cv.old_status >= VerdictStatus::kWarn && !cv.new_status)) {
      cv.change = VerdictChange::kNotJudged;  // named in the old run, not measured in the new one
    } else if (cv.new_status == VerdictStatus::kWarn && cv.old_status != VerdictStatus::kWarn) {
      cv.change = VerdictChange::kNewlyWarning;
    } else {
      continue;  // the same, or pass / skip on both sides
    }
    const auto source = cv.new_status ? new_by.find(id) : old_by.find(id);
    cv.evidence = worst_text(*source->second);
    c.verdicts.push_back(std::move(cv));
  }
  std::stable_sort(c.verdicts.begin(), c.verdicts.end(), [](const ComparedVerdict& a, const ComparedVerdict& b) {
    return static_cast<int>(a.change) < static_cast<int>(b.change);
  });
  return c;
}

nlohmann::json to_json(const Comparison& c) {
  nlohmann::json values = nlohmann::json::array();
  for (const ComparedValue& v : c.values) {
    values.push_back(
        {{"key", v.key},
         {"metric", v.metric},
         {"size_bytes", v.size_bytes},
         {"where", v.where},
         {"higher_is_better", v.higher_is_better},
         {"old", v.old_value ? nlohmann::json(*v.old_value) : nlohmann::json(nullptr)},
         {"new", v.new_value ? nlohmann::json(*v.new_value) : nlohmann::json(nullptr)},
         {"ratio", v.old_value && v.new_value && *v.old_value > 0 ? nlohmann::json(v.ratio) : nlohmann::json(nullptr)},
         {"delta", v.old_value && v.new_value ? nlohmann::json(v.delta) : nlohmann::json(nullptr)},
         {"change", key_of(v.change)}});
  }
  nlohmann::json verdicts = nlohmann::json::array();
  auto status = [](const std::optional<VerdictStatus>& s) {
    return s ? nlohmann::json(std::string(key_of(*s))) : nlohmann::json(nullptr);
  };
  for (const ComparedVerdict& v : c.verdicts) {
    verdicts.push_back({{"component", to_json(v.component)},
                        {"old_status", status(v.old_status)},
                        {"new_status", status(v.new_status)},
                        {"change", key_of(v.change)},
                        {"evidence", v.evidence}});
  }
  nlohmann::json counts = nlohmann::json::object();
  for (ValueChange change :
       {ValueChange::kRegressed, ValueChange::kBetter, ValueChange::kSame, ValueChange::kNew, ValueChange::kMissing}) {
    counts[std::string(key_of(change))] = c.count(change);
  }
  for (VerdictChange change : {VerdictChange::kNewlyFailing, VerdictChange::kFixed, VerdictChange::kNewlyWarning,
                               VerdictChange::kStillFailing, VerdictChange::kNotJudged}) {
    counts[std::string(key_of(change))] = c.count(change);
  }
  return {{"kind", "railcheck_compare"}, {"tolerance", c.tolerance},  {"counts", counts}, {"values", values},
          {"verdicts", verdicts},        {"exit_code", c.exit_code()}};
}

void print_comparison(std::ostream& out, const Comparison& c) {
  for (const ComparedValue& v : c.values) {
    if (v.change != ValueChange::kRegressed) continue;
    out << "# REGRESSED " << v.where << ": " << v.metric << format_at_size(v.size_bytes) << " "
        << format_value(*v.old_value, v.metric) << " -> " << format_value(*v.new_value, v.metric) << " ("
        << format_percent(v.ratio) << " of the old)\n";
  }
  for (const ComparedVerdict& v : c.verdicts) {
    if (v.change == VerdictChange::kNotJudged) continue;
    out << "# "
        << (v.change == VerdictChange::kNewlyFailing   ? "NEWLY FAILING "
            : v.change == VerdictChange::kFixed        ? "FIXED "
            : v.change == VerdictChange::kNewlyWarning ? "NEWLY WARNING "
                                                       : "STILL FAILING ")
        << label(v.component) << (v.evidence.empty() ? "" : ": " + v.evidence) << "\n";
  }
  out << "# compare: " << c.count(ValueChange::kRegressed) << " regressed, " << c.count(ValueChange::kBetter)
      << " better, " << c.count(ValueChange::kSame) << " same (within " << format_percent(c.tolerance) << "), "
      << c.count(ValueChange::kNew) << " new, " << c.count(ValueChange::kMissing)
      << " missing; parts: " << c.count(VerdictChange::kNewlyFailing) << " newly failing, "
      << c.count(VerdictChange::kFixed) << " fixed, " << c.count(VerdictChange::kStillFailing) << " still failing, "
      << c.count(VerdictChange::kNewlyWarning) << " newly warning\n";
}

}  // namespace railcheck::analysis
