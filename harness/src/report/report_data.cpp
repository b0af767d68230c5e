#include "railcheck/report/report_data.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <limits>
#include <map>
#include <stdexcept>
#include <tuple>
#include <type_traits>

#include "railcheck/analysis/analyze.h"
#include "railcheck/analysis/robust_stats.h"
#include "railcheck/analysis/telemetry_rules.h"
#include "railcheck/core/error.h"

namespace railcheck::report {
namespace {

using nlohmann::json;

bool is_collective(const json& record) { return record.value("kind", std::string("collective")) == "collective"; }

double number_at(const json& object, const char* key, double fallback = 0.0) {
  const auto it = object.find(key);
  return it != object.end() && it->is_number() ? it->get<double>() : fallback;
}

/// An integer field, or `fallback` when it is missing, not a whole number or outside T's range (a document from
/// elsewhere may hold 1e27 where a size belongs; converting that is undefined, found by fuzz_results).
template <typename T>
T integer_at(const json& object, const char* key, T fallback) {
  const auto it = object.find(key);
  if (it == object.end() || !it->is_number()) return fallback;
  if (it->is_number_unsigned()) {
    const auto v = it->get<std::uint64_t>();
    return v <= static_cast<std::uint64_t>(std::numeric_limits<T>::max()) ? static_cast<T>(v) : fallback;
  }
  if (it->is_number_integer()) {
    const auto v = it->get<std::int64_t>();
    if constexpr (std::is_signed_v<T>) {
      return v >= static_cast<std::int64_t>(std::numeric_limits<T>::min()) &&
                     v <= static_cast<std::int64_t>(std::numeric_limits<T>::max())
                 ? static_cast<T>(v)
                 : fallback;
    } else {
      return v >= 0 && static_cast<std::uint64_t>(v) <= static_cast<std::uint64_t>(std::numeric_limits<T>::max())
                 ? static_cast<T>(v)
                 : fallback;
    }
  }
  const double v = it->get<double>();
  const bool whole = std::isfinite(v) && v == std::floor(v);
  return whole && v >= static_cast<double>(std::numeric_limits<T>::min()) &&
                 v < static_cast<double>(std::numeric_limits<T>::max())
             ? static_cast<T>(v)
             : fallback;
}

void mark_hosts(RunView& view) {
  for (const analysis::Verdict& v : view.verdicts) {
    if (v.component.kind == analysis::ComponentKind::kLink) continue;  // a cable is not its nodes
    if (v.status == analysis::VerdictStatus::kFail) view.failing_hosts.insert(v.component.host);
  }
  for (const analysis::Verdict& v : view.verdicts) {
    if (v.component.kind == analysis::ComponentKind::kLink || v.status != analysis::VerdictStatus::kWarn) continue;
    if (!view.failing_hosts.contains(v.component.host)) view.warning_hosts.insert(v.component.host);
  }
}

using Direction = std::tuple<std::string, std::string, int>;  // src, dst, rail

// The directions failing link verdicts cover: both ways, or the one their direction names.
std::set<Direction> failing_directions(const std::vector<analysis::Verdict>& verdicts) {
  std::set<Direction> out;
  for (const analysis::Verdict& v : verdicts) {
    const analysis::ComponentId& c = v.component;
    if (c.kind != analysis::ComponentKind::kLink || v.status != analysis::VerdictStatus::kFail) continue;
    if (v.direction != "b_to_a") out.insert({c.host, c.peer_host, c.rail});
    if (v.direction != "a_to_b") out.insert({c.peer_host, c.host, c.rail});
  }
  return out;
}

bool heatmap_metric(const std::string& metric) {
  return metric.ends_with(" bw_gbps") || metric == "p2p.lat lat_us.typical";
}

void add_matrices(RunView& view, const analysis::Samples& samples) {
  using Key = std::tuple<std::string, std::string, int>;  // test, metric, rail
  struct Acc {
    std::size_t size = 0;
    bool higher = true;
    std::map<std::pair<std::string, std::string>, std::vector<const analysis::LinkSample*>> cells;
  };
  std::map<Key, Acc> matrices;
  const std::set<Direction> failing = failing_directions(view.verdicts);
  for (const analysis::LinkSample& s : samples.links) {
    if (s.retest || !heatmap_metric(s.metric)) continue;
    Acc& acc = matrices[{s.test, s.metric, s.rail}];
    acc.size = s.size_bytes;
    acc.higher = s.higher_is_better;
    acc.cells[{s.host_a, s.host_b}].push_back(&s);
  }
  for (auto& [key, acc] : matrices) {
    LinkMatrix m;
    std::tie(m.test, m.metric, m.rail) = key;
    m.size_bytes = acc.size;
    m.higher_is_better = acc.higher;
    m.hosts = view.hosts;
    std::vector<double> measured;
    for (const auto& [pair, list] : acc.cells) {
      LinkCell cell;
      std::tie(cell.src, cell.dst) = pair;
      std::vector<double> values;
      for (const analysis::LinkSample* s : list) {
        if (s->ok) {
          values.push_back(s->value);
        } else {
          ++cell.failed;
          if (cell.error.empty()) cell.error = s->error;
        }
      }
      cell.samples = static_cast<int>(values.size());
      cell.value = analysis::median(values);
      if (cell.samples > 0) measured.push_back(cell.value);
      cell.failing_link = failing.contains({cell.src, cell.dst, m.rail});
      for (const std::string* h : {&cell.src, &cell.dst}) {
        if (std::find(m.hosts.begin(), m.hosts.end(), *h) == m.hosts.end()) m.hosts.push_back(*h);
      }
      m.cells.push_back(std::move(cell));
    }
    m.reference = analysis::median(measured);
    view.matrices.push_back(std::move(m));
  }
}

// The figure a collective record stands for: a soak interval's median pass, else the record's own.
double record_busbw(const json& r) {
  const auto passes = r.find("passes");
  if (passes != r.end() && passes->is_object() && passes->contains("median")) return number_at(*passes, "median");
  return number_at(r, "busbw_gbps");
}

void add_collectives(RunView& view, const json& records) {
  using Key = std::tuple<std::string, std::string, std::string, bool>;  // test, test_key, group, in place
  std::map<Key, std::map<std::size_t, std::vector<const json*>>> series;
  std::map<Key, int> nranks;
  for (const json& r : records) {
    if (!is_collective(r) || r.value("status", "") == "skipped") continue;
    const Key key{r.value("test", ""), r.value("test_key", ""), r.value("group", "world"), r.value("in_place", false)};
    series[key][integer_at(r, "size_bytes", std::size_t{0})].push_back(&r);
    nranks[key] = integer_at(r, "nranks", 0);
  }
  for (const auto& [key, sizes] : series) {
    SizeSeries s;
    std::tie(s.test, s.test_key, s.group, s.in_place) = key;
    s.nranks = nranks[key];
    for (const auto& [size, list] : sizes) {
      SizePoint p;
      p.size_bytes = size;
      p.count = integer_at(*list.front(), "count", std::int64_t{0});
      std::vector<double> time, algbw, busbw;
      for (const json* r : list) {
        time.push_back(number_at(*r, "time_us"));
        algbw.push_back(number_at(*r, "algbw_gbps"));
        busbw.push_back(record_busbw(*r));
        p.wrong_elements += std::max<std::int64_t>(0, integer_at(*r, "wrong_elements", std::int64_t{0}));
      }
      p.time_us = analysis::median(time);
      p.algbw_gbps = analysis::median(algbw);
      p.busbw_gbps = analysis::median(busbw);
      p.records = static_cast<int>(list.size());
      s.points.push_back(p);
    }
    // The ranks at the largest size, as the last record of it measured them.
    const json& last = *sizes.rbegin()->second.back();
    RankSpread spread{s.test, s.test_key, s.group, s.in_place, sizes.rbegin()->first, {}};
    const json ranks = last.value("ranks", json::array());
    for (const json& rank : ranks) {
      if (!rank.is_object()) continue;
      spread.ranks.push_back({integer_at(rank, "rank", 0), rank.value("host", ""), number_at(rank, "time_us"),
                              integer_at(rank, "wrong_elements", std::int64_t{0})});
    }
    if (!spread.ranks.empty()) view.spreads.push_back(std::move(spread));
    view.collectives.push_back(std::move(s));
  }
}

TimelinePoint point_of(const json& r, double value) {
  TimelinePoint p;
  p.interval = integer_at(r, "interval", 0);
  p.value = p.low = p.high = value;
  p.start_unix_s = number_at(r, "start_unix_s");
  const auto passes = r.find("passes");
  if (passes != r.end() && passes->is_object()) {
    p.low = number_at(*passes, "min", value);
    p.high = number_at(*passes, "max", value);
    p.start_unix_s = number_at(*passes, "start_unix_s", p.start_unix_s);
  }
  return p;
}

void add_collective_timelines(RunView& view, const json& records) {
  // At each collective's largest size: the line of its communicator over the intervals.
  std::map<std::tuple<std::string, std::string>, std::size_t> largest;
  for (const json& r : records) {
    if (!is_collective(r) || !r.contains("interval") || r.value("status", "") == "skipped" ||
        r.value("in_place", false)) {
      continue;
    }
    auto& size = largest[{r.value("test_key", ""), r.value("group", "world")}];
    size = std::max(size, integer_at(r, "size_bytes", std::size_t{0}));
  }
  for (const auto& [key, size] : largest) {
    const auto& [test_key, group] = key;
    Timeline line;
    line.chart = test_key + " busbw_gbps @ " + size_label(size);
    line.name = group;
    for (const json& r : records) {
      if (!is_collective(r) || !r.contains("interval") || r.value("test_key", "") != test_key ||
          r.value("group", "world") != group || integer_at(r, "size_bytes", std::size_t{0}) != size ||
          r.value("status", "") == "skipped" || r.value("in_place", false)) {
        continue;
      }
      line.points.push_back(point_of(r, record_busbw(r)));
    }
    std::sort(line.points.begin(), line.points.end(),
              [](const TimelinePoint& a, const TimelinePoint& b) { return a.interval < b.interval; });
    view.timelines.push_back(std::move(line));
  }
}

void add_link_timelines(RunView& view, const analysis::Samples& samples) {
  // Each host's median link bandwidth per interval, per test, metric and rail.
  using Key = std::tuple<std::string, std::string, int>;
  std::map<Key, std::map<std::string, std::map<int, std::vector<const analysis::LinkSample*>>>> lines;
  for (const analysis::LinkSample& s : samples.links) {
    if (s.interval < 0 || s.retest || !s.metric.ends_with(" bw_gbps")) continue;
    auto& hosts = lines[{s.test, s.metric, s.rail}];
    hosts[s.host_a][s.interval].push_back(&s);
    if (s.host_b != s.host_a) hosts[s.host_b][s.interval].push_back(&s);
  }
  for (const auto& [key, hosts] : lines) {
    const auto& [test, metric, rail] = key;
    for (const auto& [host, intervals] : hosts) {
      Timeline line;
      line.chart = (test.empty() ? std::string() : test + ": ") + metric + " rail " + std::to_string(rail) +
                   ", each host's median link";
      line.name = host;
      line.host = host;
      for (const auto& [interval, list] : intervals) {
        std::vector<double> values;
        TimelinePoint p;
        p.interval = interval;
        p.start_unix_s = list.front()->start_unix_s;
        for (const analysis::LinkSample* s : list) {
          values.push_back(s->ok ? s->value : 0.0);
          if (s->start_unix_s > 0 && (p.start_unix_s == 0 || s->start_unix_s < p.start_unix_s)) {
            p.start_unix_s = s->start_unix_s;
          }
        }
        p.value = analysis::median(values);
        p.low = *std::min_element(values.begin(), values.end());
        p.high = *std::max_element(values.begin(), values.end());
        line.points.push_back(p);
      }
      view.timelines.push_back(std::move(line));
    }
  }
}

void add_gpu_checks(RunView& view, const analysis::Samples& samples) {
  std::map<std::pair<std::string, int>, std::map<std::string, std::vector<double>>> gpus;
  for (const analysis::UnitSample& u : samples.units) {
    if (u.unit.kind == analysis::ComponentKind::kGpu) gpus[{u.unit.host, u.unit.gpu}][u.metric].push_back(u.value);
  }
  for (const auto& [gpu, metrics] : gpus) {
    GpuChecks checks{gpu.first, gpu.second, {}};
    for (const auto& [metric, values] : metrics) checks.values[metric] = analysis::median(values);
    view.gpu_checks.push_back(std::move(checks));
  }
}

void add_telemetry(RunView& view, const json& records) {
  for (const json& r : records) {
    if (r.value("kind", "") != "telemetry" || !r.contains("interval")) continue;
    TelemetryNote note;
    note.interval = integer_at(r, "interval", 0);
    note.host = r.value("host", "");
    note.start_unix_s = number_at(r, "start_unix_s");
    const json devices = r.value("devices", json::array());
    for (const json& d : devices) {
      if (!d.is_object()) continue;
      const std::string source = d.value("source", "");
      // A loaded host resends TCP segments all the time: the analysis judges that as a share against the other
      // hosts (telemetry_rules.h), so its raw growth here would only bury what matters.
      if (source == "tcp") continue;
      const std::string device = source == "gpu" ? "gpu " + d.value("device", "") : d.value("device", "");
      const std::string where = device.empty() ? source : device;
      const json deltas = d.value("deltas", json::object());
      const json gauges = d.value("gauges", json::object());
      for (const auto& [counter, delta] : deltas.items()) {
        if (analysis::is_traffic_counter(counter) || !delta.is_number()) continue;
        note.counters.push_back(where + " " + counter + " +" +
                                (delta.is_number_integer()
                                     ? std::to_string(integer_at(deltas, counter.c_str(), std::int64_t{0}))
                                     : analysis::format_number(delta.get<double>())));
      }
      for (const auto& [gauge, stats] : gauges.items()) {
        if (!gauge.starts_with("clocks_event_") || !stats.is_object()) continue;
        const int run = integer_at(stats, "longest_nonzero_run", 0);
        if (run > 0) note.counters.push_back(where + " " + gauge + " held " + std::to_string(run) + " reads");
      }
    }
    if (!note.counters.empty()) view.telemetry.push_back(std::move(note));
  }
}

}  // namespace

RailMarks rail_marks(const std::vector<analysis::Verdict>& verdicts, int rail) {
  using analysis::ComponentKind;
  using analysis::VerdictStatus;
  std::set<std::string> has_parts;  // hosts with a GPU or NIC verdict below pass: their node verdict is a rollup
  for (const analysis::Verdict& v : verdicts) {
    if ((v.component.kind == ComponentKind::kGpu || v.component.kind == ComponentKind::kNic) &&
        v.status >= VerdictStatus::kWarn) {
      has_parts.insert(v.component.host);
    }
  }
  RailMarks marks;
  for (const VerdictStatus status : {VerdictStatus::kFail, VerdictStatus::kWarn}) {
    std::set<std::string>& out = status == VerdictStatus::kFail ? marks.failing : marks.warning;
    for (const analysis::Verdict& v : verdicts) {
      if (v.status != status) continue;
      const analysis::ComponentId& c = v.component;
      const bool marks_rail = (c.kind == ComponentKind::kNic && (c.rail == rail || c.rail < 0)) ||
                              c.kind == ComponentKind::kGpu ||
                              (c.kind == ComponentKind::kNode && !has_parts.contains(c.host));
      if (marks_rail && !(status == VerdictStatus::kWarn && marks.failing.contains(c.host))) out.insert(c.host);
    }
  }
  return marks;
}

std::string size_label(std::size_t bytes) {
  static constexpr const char* kUnits[] = {"B", "KiB", "MiB", "GiB", "TiB"};
  int unit = 0;
  double value = static_cast<double>(bytes);
  while (value >= 1024.0 && unit < 4) {
    value /= 1024.0;
    ++unit;
  }
  char text[32];
  std::snprintf(text, sizeof text,
                value == static_cast<double>(static_cast<std::int64_t>(value)) ? "%.0f %s" : "%.1f %s", value,
                kUnits[unit]);
  return text;
}

RunView make_run_view(const json& document, const std::string& source) {
  RunView view;
  view.source = source;
  view.manifest = document.value("manifest", json::object());
  view.summary = document.value("summary", json());
  const json& records = document.at("records");
  view.records = records.size();
  view.verdicts_recorded = document.contains("verdicts") && document.at("verdicts").is_array();
  view.verdicts = analysis::recorded_or_judged_verdicts(document, source);
  const json hosts = view.manifest.value("hosts", json::array());
  for (const json& h : hosts) {
    if (h.is_string()) view.hosts.push_back(h.get<std::string>());
  }
  mark_hosts(view);
  analysis::Samples samples;
  try {
    samples = analysis::samples_from_records(records);
  } catch (const std::exception& e) {
    throw InputError(source + ": malformed record (" + e.what() + "); is this a railcheck results file of schema 1.x?");
  }
  try {
    add_matrices(view, samples);
    add_collectives(view, records);
    add_collective_timelines(view, records);
    add_link_timelines(view, samples);
    add_telemetry(view, records);
    add_gpu_checks(view, samples);
    view.fabric_flows = samples.fabric_flows;
    for (const analysis::Verdict& v : view.verdicts) {
      if (v.component.kind == analysis::ComponentKind::kFabricLink && v.status == analysis::VerdictStatus::kFail) {
        view.failing_fabric_links.insert(v.component.host + " -> " + v.component.peer_host);
      }
    }
  } catch (const json::exception& e) {
    throw InputError(source + ": malformed record (" + e.what() + "); is this a railcheck results file of schema 1.x?");
  }
  return view;
}

}  // namespace railcheck::report
