#include "railcheck/analysis/soak_drift.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <optional>
#include <set>

#include "railcheck/analysis/baseline.h"
#include "railcheck/analysis/robust_stats.h"
#include "railcheck/record/wall_clock.h"

namespace railcheck::analysis {
namespace {

constexpr const char* kLinkMetric = "p2p.bw bw_gbps";

std::string percent(double ratio) { return format_percent(ratio, 0); }

/// The intervals a metric was measured in, in order, and when each began (the earliest sample in it).
struct Timeline {
  std::vector<int> intervals;
  std::map<int, double> start_unix_s;

  void add(int interval, double start) {
    auto [it, inserted] = start_unix_s.emplace(interval, start);
    if (!inserted && start > 0 && (it->second <= 0 || start < it->second)) it->second = start;
  }
  void finish() {
    for (const auto& [interval, start] : start_unix_s) intervals.push_back(interval);
  }
  std::string describe(int interval) const {
    std::string text = "interval " + std::to_string(interval);
    const auto found = start_unix_s.find(interval);
    if (found != start_unix_s.end() && found->second > 0) {
      text += " (from " + format_unix_time(found->second, "%Y-%m-%d %H:%M:%S UTC", TimeZone::kUtc) + ")";
    }
    return text;
  }
};

/// Which intervals form the reference, and whether there are enough to judge at all.
struct Windows {
  std::set<int> reference;
  bool judgeable = false;
};

Windows windows_of(const Timeline& timeline, const SoakOptions& options) {
  Windows w;
  const auto& iv = timeline.intervals;
  const std::size_t warmup = static_cast<std::size_t>(std::max(options.warmup_intervals, 0));
  const std::size_t k = static_cast<std::size_t>(std::max(options.window_intervals, 1));
  if (iv.size() < static_cast<std::size_t>(soak_intervals_needed(options))) return w;
  for (std::size_t i = warmup; i < warmup + k; ++i) w.reference.insert(iv[i]);
  w.judgeable = true;
  return w;
}

/// A series of ratios to a reference (1 = as in the reference), per interval; absent intervals are not judged.
using Series = std::map<int, double>;

/// The ratios below which an interval is low (drift) and dips, raised above the options' shares for a noisy
/// metric: `noise` is the reference samples' robust spread as a share of the reference.
struct Limits {
  double drift_low = 0.95;
  double dip_low = 0.8;
  double noise = 0.0;
  double spreads = 0.0;
  bool raised = false;
};

Limits limits_of(double noise, const SoakOptions& options) {
  Limits l;
  l.noise = noise;
  l.spreads = options.noise_spreads;
  const double floor = options.noise_spreads * noise;
  l.drift_low = 1.0 - std::max(options.drift, floor);
  l.dip_low = 1.0 - std::max(options.dip, options.dip_noise_spreads * noise);
  l.raised = floor > options.drift;
  return l;
}

/// A metric's own noise, as a share of its value: from the steps between consecutive intervals of each series
/// (values in interval order), the robust spread (1.4826 MAD) of log(v[i] / v[i-1]) over every step of every
/// series, / sqrt(2) (a step holds two samples' noise). A drift or a dip is one or two steps of a series among
/// many, so it barely moves the estimate; fewer than 3 steps: 0 (no noise known).
double noise_of(const std::vector<std::vector<double>>& series_list) {
  std::vector<double> steps;
  for (const std::vector<double>& series : series_list) {
    for (std::size_t i = 1; i < series.size(); ++i) {
      if (series[i] > 0 && series[i - 1] > 0) steps.push_back(std::log(series[i] / series[i - 1]));
    }
  }
  return steps.size() < 3 ? 0.0 : 1.4826 * mad(steps) / std::sqrt(2.0);
}

std::string limits_text(const Limits& l) {
  if (!l.raised) return "";
  return " (threshold raised to " + percent(1.0 - l.drift_low) + " below: " + format_number(l.spreads) + " x its " +
         percent(l.noise) + " noise from interval to interval)";
}

/// The drift and dip judgement of one series, over the intervals from the reference's start on.
struct Judgement {
  bool drift = false;
  double window_ratio = 1.0;     ///< median of the last K judged intervals
  std::vector<int> window;       ///< those intervals
  std::optional<int> began;      ///< drift: the first low interval from which the median stays low
  std::optional<int> worst_dip;  ///< no drift: the interval furthest below 1 - dip
  double worst_ratio = 1.0;
};

Judgement judge(const Series& series, int first_judged, const Limits& limits, const SoakOptions& options) {
  Judgement j;
  std::vector<std::pair<int, double>> points;
  for (const auto& [interval, ratio] : series) {
    if (interval >= first_judged) points.emplace_back(interval, ratio);
  }
  if (points.empty()) return j;
  const std::size_t k =
      std::min<std::size_t>(static_cast<std::size_t>(std::max(options.window_intervals, 1)), points.size());
  std::vector<double> last;
  for (std::size_t i = points.size() - k; i < points.size(); ++i) {
    last.push_back(points[i].second);
    j.window.push_back(points[i].first);
  }
  j.window_ratio = median(last);
  const double low = limits.drift_low;
  if (j.window_ratio < low) {
    j.drift = true;
    for (std::size_t b = 0; b < points.size(); ++b) {
      if (points[b].second >= low) continue;
      std::vector<double> rest;
      for (std::size_t i = b; i < points.size(); ++i) rest.push_back(points[i].second);
      if (median(rest) < low) {
        j.began = points[b].first;
        break;
      }
    }
    return j;
  }
  for (const auto& [interval, ratio] : points) {
    if (ratio < limits.dip_low && ratio < j.worst_ratio) {
      j.worst_ratio = ratio;
      j.worst_dip = interval;
    }
  }
  return j;
}

// ---- p2p: NIC directions from directed pairs -------------------------------------------------------------

struct PairKey {
  std::string src_host, src_nic, dst_host, dst_nic;
  int rail = 0;
  auto operator<=>(const PairKey&) const = default;
};

/// A NIC in one role: "tx" (the pairs it sends in) or "rx" (receives in).
struct PartKey {
  std::string host, nic;
  int rail = 0;
  std::string direction;
  auto operator<=>(const PartKey&) const = default;
};

PartKey sender(const PairKey& p) { return {p.src_host, p.src_nic, p.rail, "tx"}; }
PartKey receiver(const PairKey& p) { return {p.dst_host, p.dst_nic, p.rail, "rx"}; }

struct LinkFamily {  // one test's one-way bandwidth at one size
  Timeline timeline;
  std::map<PairKey, std::map<int, std::vector<double>>> values;  // pair -> interval -> samples
};

void judge_links(const std::string& family_name, LinkFamily& family, const SoakOptions& options,
                 std::vector<Finding>& out) {
  family.timeline.finish();
  const Windows windows = windows_of(family.timeline, options);
  if (!windows.judgeable) return;

  // Each pair's value per interval and its reference.
  std::map<PairKey, std::map<int, double>> value;
  std::map<PairKey, double> reference;
  std::vector<double> references;
  for (const auto& [pair, by_interval] : family.values) {
    std::vector<double> ref;
    for (const auto& [interval, samples] : by_interval) {
      value[pair][interval] = median(samples);
      if (windows.reference.contains(interval)) ref.push_back(value[pair][interval]);
    }
    const double r = ref.empty() ? 0.0 : median(ref);
    if (r > 0) {
      reference[pair] = r;
      references.push_back(r);
    }
  }
  if (references.empty()) return;
  const double typical_reference = median(references);
  std::vector<std::vector<double>> pair_series;
  for (const auto& [pair, by_interval] : value) {
    std::vector<double>& series = pair_series.emplace_back();
    for (const auto& [interval, v] : by_interval) series.push_back(v);
  }
  const Limits limits = limits_of(noise_of(pair_series), options);
  for (const auto& [pair, by_interval] : value) {
    if (!reference.contains(pair)) reference[pair] = typical_reference;
  }

  // Per interval: every pair's ratio, each part's raw ratio, then the part's judged ratio without the pairs its
  // other end explains; intervals where most parts are low are the fabric's, not a part's.
  std::map<PartKey, Series> judged;
  std::map<PartKey, double> part_reference;
  std::map<PartKey, std::vector<double>> part_refs;
  std::vector<int> fabric_wide;
  for (int interval : family.timeline.intervals) {
    std::map<PairKey, double> ratio;
    for (const auto& [pair, by_interval] : value) {
      const auto found = by_interval.find(interval);
      if (found != by_interval.end()) ratio[pair] = found->second / reference.at(pair);
    }
    std::map<PartKey, std::vector<std::pair<PairKey, double>>> members;
    for (const auto& [pair, r] : ratio) {
      members[sender(pair)].emplace_back(pair, r);
      members[receiver(pair)].emplace_back(pair, r);
    }
    std::map<PartKey, double> raw;
    for (const auto& [part, list] : members) {
      std::vector<double> rs;
      for (const auto& [pair, r] : list) rs.push_back(r);
      raw[part] = median(rs);
    }
    std::map<PartKey, double> adjusted;
    int low_parts = 0;
    for (const auto& [part, list] : members) {
      std::vector<double> rs;
      for (const auto& [pair, r] : list) {
        const PartKey other = part.direction == "tx" ? receiver(pair) : sender(pair);
        const double other_raw = raw.at(other);
        const bool explained = r < limits.drift_low && other_raw < limits.drift_low && other_raw < raw.at(part);
        if (!explained) rs.push_back(r);
      }
      adjusted[part] = rs.empty() ? 1.0 : median(rs);
      if (adjusted[part] < limits.drift_low) ++low_parts;
    }
    // An interval slower as a whole (the fabric, the job, or on the namespace testbed every pair sharing its
    // cores with a capped host's) is judged against its typical part: a uniformly slow interval blames nothing
    // and one part far below the rest still counts as low in it. Most parts low: a fabric-wide interval, named
    // in the evidence.
    std::vector<double> all;
    for (const auto& [part, r] : adjusted) all.push_back(r);
    const double typical = all.empty() ? 1.0 : median(all);
    const bool wide = static_cast<double>(low_parts) > options.fabric_share * static_cast<double>(adjusted.size());
    if (wide) fabric_wide.push_back(interval);
    const bool slower = typical > 0 && typical < 1.0;
    for (const auto& [part, r] : adjusted) {
      if (!slower) {
        judged[part][interval] = r;
      } else {
        judged[part][interval] = wide ? std::min(r / typical, 1.0) : r / typical;
      }
    }
  }
  for (const auto& [pair, r] : reference) {
    part_refs[sender(pair)].push_back(r);
    part_refs[receiver(pair)].push_back(r);
  }
  for (const auto& [part, refs] : part_refs) part_reference[part] = median(refs);

  const int first_judged = *windows.reference.begin();
  for (const auto& [part, series] : judged) {
    const Judgement j = judge(series, first_judged, limits, options);
    Finding f;
    f.component = make_nic(part.host, part.nic, part.rail);
    Evidence& e = f.evidence;
    e.source = "soak";
    e.metric = family_name;
    e.direction = part.direction;
    e.expected = part_reference.at(part);
    e.expected_from = "its own reference: the median of " + family.timeline.describe(*windows.reference.begin()) +
                      " to interval " + std::to_string(*windows.reference.rbegin());
    const std::string role = part.direction == "tx" ? "sending" : "receiving";
    if (j.drift) {
      f.status = VerdictStatus::kFail;
      e.measured = e.expected * j.window_ratio;
      e.deviation = j.window_ratio - 1.0;
      e.text = label(f.component) + " " + role + ": " + family_name + " drifted to " + percent(j.window_ratio) +
               " of its reference (median of intervals " + std::to_string(j.window.front()) + "-" +
               std::to_string(j.window.back()) + ")" +
               (j.began ? ", from " + family.timeline.describe(*j.began) : std::string()) + limits_text(limits);
      if (j.began) e.interval = *j.began;
      for (const auto& [interval, r] : series) {
        if (j.began && interval >= *j.began) {
          e.refs.push_back(family.timeline.describe(interval) + ": " + percent(r));
        }
      }
    } else if (!j.worst_dip) {
      f.status = VerdictStatus::kPass;
      e.measured = e.expected * j.window_ratio;
      e.deviation = j.window_ratio - 1.0;
      e.text = label(f.component) + " " + role + ": " + family_name + " steady: the last intervals' median at " +
               percent(j.window_ratio) + " of its reference, no interval below " + percent(limits.dip_low) +
               limits_text(limits);
    } else {
      f.status = VerdictStatus::kWarn;
      e.measured = e.expected * j.worst_ratio;
      e.deviation = j.worst_ratio - 1.0;
      e.text = label(f.component) + " " + role + ": " + family_name + " dipped to " + percent(j.worst_ratio) +
               " of its reference in " + family.timeline.describe(*j.worst_dip) + " and recovered (median of " +
               "the last intervals " + percent(j.window_ratio) + ")" + limits_text(limits);
      e.refs.push_back(family.timeline.describe(*j.worst_dip) + ": " + percent(j.worst_ratio));
      e.interval = *j.worst_dip;
    }
    if (!fabric_wide.empty()) {
      std::string list;
      for (int interval : fabric_wide) list += (list.empty() ? "" : ", ") + std::to_string(interval);
      e.text += "; fabric-wide slow intervals (judged against that interval's typical part): " + list;
    }
    out.push_back(std::move(f));
  }
}

// ---- collectives: groups ---------------------------------------------------------------------------------

struct GroupFamily {
  Timeline timeline;
  std::vector<std::string> hosts;
  std::map<int, std::vector<double>> values;
};

void judge_group(const std::string& name, GroupFamily& family, const SoakOptions& options,
                 const std::set<std::string>& hosts_with_failing_parts, std::vector<Finding>& out) {
  family.timeline.finish();
  const Windows windows = windows_of(family.timeline, options);
  if (!windows.judgeable) return;
  std::vector<double> ref;
  Series series;
  for (const auto& [interval, samples] : family.values) {
    if (windows.reference.contains(interval)) ref.push_back(median(samples));
  }
  const double reference = ref.empty() ? 0.0 : median(ref);
  if (!(reference > 0)) return;
  std::vector<double> medians;
  for (const auto& [interval, samples] : family.values) {
    series[interval] = median(samples) / reference;
    medians.push_back(series[interval]);
  }
  const Limits limits = limits_of(noise_of({medians}), options);
  const Judgement j = judge(series, *windows.reference.begin(), limits, options);
  // A group's dips are not localized enough to warn about on their own: a group passes or drifts.
  std::string explained_by;
  for (const std::string& host : family.hosts) {
    if (hosts_with_failing_parts.contains(host)) explained_by += (explained_by.empty() ? "" : ", ") + host;
  }
  for (const std::string& host : family.hosts) {
    Finding f;
    f.component = make_node(host);
    f.status = j.drift && explained_by.empty() ? VerdictStatus::kWarn : VerdictStatus::kPass;
    Evidence& e = f.evidence;
    e.source = "soak";
    e.metric = name;
    e.expected = reference;
    e.expected_from = "the group's own reference (intervals " + std::to_string(*windows.reference.begin()) + "-" +
                      std::to_string(*windows.reference.rbegin()) + ")";
    e.measured = reference * j.window_ratio;
    e.deviation = j.window_ratio - 1.0;
    if (!j.drift) {
      e.text = name + " steady: the last intervals' median at " + percent(j.window_ratio) + " of its reference" +
               limits_text(limits);
    } else {
      if (j.began) e.interval = *j.began;
      e.text =
          name + " drifted to " + percent(j.window_ratio) + " of its reference" +
          (j.began ? ", from " + family.timeline.describe(*j.began) : std::string()) + " (" +
          format_number(e.measured) + " against " + format_number(reference) + ")" + limits_text(limits) + "; " +
          (explained_by.empty() ? std::string(kNotLocalizedText) : "explained by the failing parts of " + explained_by);
    }
    out.push_back(std::move(f));
  }
}

}  // namespace

int soak_intervals_needed(const SoakOptions& options) {
  return std::max(options.warmup_intervals, 0) + std::max(options.window_intervals, 1) + 1;
}

std::vector<Finding> soak_findings(const Samples& soak, const SoakOptions& options) {
  std::vector<Finding> out;
  std::map<std::string, LinkFamily> links;
  for (const LinkSample& s : soak.links) {
    if (s.interval < 0 || s.retest || !s.directional || s.metric != kLinkMetric) continue;
    const std::string name =
        (s.test.empty() ? std::string() : s.test + " ") + s.metric + " at " + std::to_string(s.size_bytes) + " B";
    LinkFamily& family = links[name];
    family.timeline.add(s.interval, s.start_unix_s);
    family.values[{s.host_a, s.nic_a, s.host_b, s.nic_b, s.rail}][s.interval].push_back(s.ok ? s.value : 0.0);
  }
  for (auto& [name, family] : links) judge_links(name, family, options, out);

  std::set<std::string> failing_hosts;
  for (const Finding& f : out) {
    if (f.status == VerdictStatus::kFail) failing_hosts.insert(f.component.host);
  }
  std::map<std::string, GroupFamily> groups;
  for (const GroupSample& g : soak.groups) {
    if (g.interval < 0) continue;
    std::string hosts;
    for (const std::string& h : g.hosts) hosts += (hosts.empty() ? "" : ",") + h;
    const std::string name =
        g.metric + " at " + std::to_string(g.size_bytes) + " B over " + g.group + " (" + hosts + ")";
    GroupFamily& family = groups[name];
    family.hosts = g.hosts;
    family.timeline.add(g.interval, g.start_unix_s);
    family.values[g.interval].push_back(g.value);
  }
  for (auto& [name, family] : groups) judge_group(name, family, options, failing_hosts, out);
  return out;
}

}  // namespace railcheck::analysis
