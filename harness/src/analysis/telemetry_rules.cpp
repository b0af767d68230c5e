#include "railcheck/analysis/telemetry_rules.h"

#include <algorithm>
#include <map>
#include <optional>
#include <set>
#include <tuple>

#include "field_reader.h"
#include "railcheck/record/record_kinds.h"

namespace railcheck::analysis {
namespace {

using json = nlohmann::json;

// One device's counters over the run: the sum of its windows.
struct DeviceTotals {
  std::map<std::string, double> growth;                     ///< counter -> growth over the run
  std::map<std::string, std::vector<std::string>> windows;  ///< counter -> windows it grew in ("tcp_links +2")
  std::map<std::string, std::string> first_step;            ///< counter -> the step it first grew in
  double watched_s = 0.0;                                   ///< the windows' length together
  struct GaugeWindow {
    std::string window;
    double max = 0.0;
    double nonzero_run = 0.0;
  };
  struct Gauge {
    double max = 0.0;
    double nonzero_run = 0.0;
    std::vector<GaugeWindow> windows;  ///< each window's highest reading and longest run
  };
  std::map<std::string, Gauge> gauges;
};

using DeviceKey = std::tuple<std::string, std::string, std::string>;  // host, source, device

double seconds_per(const std::string& per) {
  if (per == "second") return 1.0;
  if (per == "minute") return 60.0;
  if (per == "hour") return 3600.0;
  return 0.0;  // "run": a count, not a rate
}

std::string count_text(double value) {
  char text[32];
  std::snprintf(text, sizeof text, "%.0f", value);
  return text;
}

using Rails = std::map<std::pair<std::string, std::string>, int>;  // (host, NIC) -> rail

// The rails the run's p2p records name for each (host, NIC).
Rails nic_rails(const json& records) {
  Rails rails;
  for (const json& r : records) {
    if (!r.is_object() || r.value("kind", "") != "p2p" || !r.contains("rail") || !r.at("rail").is_number_integer()) {
      continue;
    }
    const int rail = r.at("rail").get<int>();
    for (const char* side : {"src", "dst"}) {
      const std::string host = r.value(std::string(side) + "_host", "");
      const std::string nic = r.value(std::string(side) + "_nic", "");
      if (!host.empty() && !nic.empty()) rails.emplace(std::pair(host, nic), rail);
    }
  }
  return rails;
}

// "tcp_links (+1), tcp_lat (+1)" (the first four, then how many in all).
std::string join_windows(const std::vector<std::string>& windows) {
  std::string text;
  for (std::size_t i = 0; i < windows.size() && i < 4; ++i) text += (i ? ", " : "") + windows[i];
  if (windows.size() > 4) text += ", ... (" + std::to_string(windows.size()) + " windows)";
  return text;
}

// The part a device is: a GPU (NVML's index), a NIC (an interface, an RDMA port's device), or the host (tcp).
ComponentId component_of(const std::string& host, const std::string& source, const std::string& device,
                         const Rails& rails) {
  if (source == "tcp") return make_node(host);
  if (source == "gpu") return make_gpu(host, std::stoi(device));
  const std::string nic = source == "rdma" ? device.substr(0, device.find('/')) : device;
  const auto rail = rails.find({host, nic});
  return make_nic(host, nic, rail == rails.end() ? -1 : rail->second);
}

// How evidence names a device: "eth0", "mlx5_0/1", "GPU 2"; the source for the host-wide tcp counters.
std::string device_label(const std::string& source, const std::string& device) {
  if (device.empty()) return source;
  return source == "gpu" ? "GPU " + device : device;
}

// What every finding of `rule` on this device has: the part, the rule's status, the limit as expected value.
Finding rule_finding(const std::string& host, const std::string& source, const std::string& device,
                     const TelemetryRule& rule, const Rails& rails) {
  Finding f;
  f.component = component_of(host, source, device, rails);
  f.status = rule.status == "fail" ? VerdictStatus::kFail : VerdictStatus::kWarn;
  f.evidence.source = "telemetry";
  f.evidence.status = f.status;
  f.evidence.expected = rule.above;
  return f;
}

// A rule on a gauge: its highest reading ("max") or its longest run of non-zero reads ("nonzero_run") over the
// run's windows, above the rule's limit.
std::optional<Finding> gauge_finding(const std::string& host, const std::string& source, const std::string& device,
                                     const DeviceTotals& t, const TelemetryRule& rule, const Rails& rails) {
  const auto gauge = t.gauges.find(rule.counter);
  if (gauge == t.gauges.end()) return std::nullopt;
  const bool run = rule.stat == "nonzero_run";
  const double measured = run ? gauge->second.nonzero_run : gauge->second.max;
  if (measured <= rule.above) return std::nullopt;
  Finding f = rule_finding(host, source, device, rule, rails);
  Evidence& e = f.evidence;
  e.metric = source + " " + rule.counter + (run ? " nonzero_run" : " max");
  e.measured = measured;
  e.expected_from = "telemetry rule: at most " + format_number(rule.above) + (run ? " reads in a row" : "");
  for (const DeviceTotals::GaugeWindow& w : gauge->second.windows) {
    const double value = run ? w.nonzero_run : w.max;
    if (value > rule.above) e.refs.push_back(w.window + " (" + format_number(value) + ")");
  }
  e.text = device_label(source, device) + " " + rule.counter +
           (run ? " held for " + format_number(measured) + " reads in a row" : " reached " + format_number(measured)) +
           " during " + join_windows(e.refs) + ": " + rule.means;
  return f;
}

}  // namespace

std::vector<Finding> telemetry_findings(const json& records, const TelemetryOptions& options) {
  // The (source, counter) pairs a growth rule judges: only their windows are listed in the evidence.
  std::set<std::pair<std::string, std::string>> ruled;
  for (const TelemetryRule& rule : options.rules) {
    if (rule.stat == "growth") ruled.emplace(rule.source, rule.counter);
  }
  std::map<DeviceKey, DeviceTotals> totals;
  for (std::size_t i = 0; i < records.size(); ++i) {
    const json& record = records[i];
    if (!record.is_object() || !is_kind(record.value("kind", ""), LineType::kTelemetry)) continue;
    const FieldReader r(record, "records[" + std::to_string(i) + "]");
    const std::string host = r.string("host");
    const std::string window = r.optional_string("window", "");
    const double seconds = std::max(0.0, r.number("end_unix_s") - r.number("start_unix_s"));
    const json& devices = r.get("devices");
    if (!devices.is_array()) r.fail("devices", "not an array");
    for (std::size_t d = 0; d < devices.size(); ++d) {
      const FieldReader dev(devices[d], r.path() + ".devices[" + std::to_string(d) + "]");
      const std::string source = dev.string("source");
      const std::string device = dev.string("device");
      if (source == "gpu" && (device.empty() || device.find_first_not_of("0123456789") != std::string::npos)) {
        dev.fail("device", "not a GPU index");
      }
      DeviceTotals& t = totals[{host, source, device}];
      t.watched_s += seconds;
      const json& deltas = dev.get("deltas");
      if (!deltas.is_object()) dev.fail("deltas", "not an object");
      const json first = dev.has("first_grew_in") ? dev.get("first_grew_in") : json::object();
      if (dev.has("gauges")) {
        const json& gauges = dev.get("gauges");
        if (!gauges.is_object()) dev.fail("gauges", "not an object");
        for (const auto& [name, g] : gauges.items()) {
          const FieldReader gauge(g, dev.path() + ".gauges." + name);
          DeviceTotals::Gauge& total = t.gauges[name];
          const double max = gauge.number("max");
          const double run = gauge.number("longest_nonzero_run");
          total.max = total.windows.empty() ? max : std::max(total.max, max);
          total.nonzero_run = std::max(total.nonzero_run, run);
          total.windows.push_back({window, max, run});
        }
      }
      for (const auto& [counter, value] : deltas.items()) {
        if (!value.is_number() || value.get<double>() < 0) dev.fail("deltas." + counter, "not a count");
        t.growth[counter] += value.get<double>();
        if (ruled.contains({source, counter})) {
          t.windows[counter].push_back(window + " (+" + count_text(value.get<double>()) + ")");
        }
        if (first.is_object() && first.contains(counter) && first.at(counter).is_string() &&
            !t.first_step.contains(counter)) {
          t.first_step[counter] = first.at(counter).get<std::string>();
        }
      }
    }
  }
  const auto rails = nic_rails(records);
  std::vector<Finding> findings;
  for (const auto& [key, t] : totals) {
    const auto& [host, source, device] = key;
    for (const TelemetryRule& rule : options.rules) {
      if (rule.source != source) continue;
      if (rule.stat != "growth") {
        if (auto f = gauge_finding(host, source, device, t, rule, rails)) findings.push_back(std::move(*f));
        continue;
      }
      const auto grew = t.growth.find(rule.counter);
      if (grew == t.growth.end()) continue;
      const double per_s = seconds_per(rule.per);
      const double measured =
          per_s > 0.0 ? (t.watched_s > 0.0 ? grew->second / t.watched_s * per_s : 0.0) : grew->second;
      if (measured <= rule.above) continue;
      Finding f = rule_finding(host, source, device, rule, rails);
      Evidence& e = f.evidence;
      e.metric = source + " " + rule.counter;
      e.measured = measured;
      e.expected_from = "telemetry rule: at most " + format_number(rule.above) +
                        (per_s > 0.0 ? " per " + rule.per : std::string(" over the run"));
      e.refs = t.windows.at(rule.counter);
      e.text = device_label(source, device) + " " + rule.counter + " +" + count_text(grew->second) +
               (per_s > 0.0 ? " (" + format_number(measured) + " per " + rule.per + " over " +
                                  format_number(t.watched_s) + " s watched)"
                            : "") +
               " during " + join_windows(e.refs);
      if (const auto step = t.first_step.find(rule.counter); step != t.first_step.end() && !step->second.empty()) {
        e.text += ", first in step '" + step->second + "'";
      }
      e.text += ": " + rule.means;
      findings.push_back(std::move(f));
    }
  }
  return findings;
}

bool is_traffic_counter(std::string_view name) {
  for (const std::string_view tail : {"bytes", "packets", "_data", "Segs", "Opens", "multicast", "energy_mj"}) {
    if (name.ends_with(tail)) return name != "RetransSegs";
  }
  return name.find("unicast") != std::string_view::npos || name.find("_requests") != std::string_view::npos ||
         name == "port_xmit_wait";
}

namespace {

// One host's telemetry in one interval, as the explanation reads it.
struct IntervalTelemetry {
  std::vector<std::string> trouble;  ///< "eth0 tx_dropped +120", "GPU 0 clocks_event_hw_thermal on 4 reads"
  double retrans = 0.0;              ///< TCP segments resent
  double sent = 0.0;                 ///< TCP segments sent
};

// Each interval of `wanted`: its hosts' telemetry, read in one pass over the records.
std::map<int, std::map<std::string, IntervalTelemetry>> interval_telemetry(const json& records,
                                                                           const std::set<int>& wanted) {
  std::map<int, std::map<std::string, IntervalTelemetry>> intervals;
  for (const json& r : records) {
    if (!r.is_object() || !is_kind(r.value("kind", ""), LineType::kTelemetry)) continue;
    if (!r.contains("interval") || !r.at("interval").is_number_integer()) continue;
    const int interval = r.at("interval").get<int>();
    if (!wanted.contains(interval)) continue;
    IntervalTelemetry& t = intervals[interval][r.value("host", "")];
    const json devices = r.value("devices", json::array());
    for (const json& d : devices) {
      if (!d.is_object()) continue;
      const json deltas = d.value("deltas", json::object());
      const json gauges = d.value("gauges", json::object());
      const std::string source = d.value("source", "");
      const std::string who = device_label(source, d.value("device", ""));
      for (const auto& [counter, value] : deltas.items()) {
        if (!value.is_number()) continue;
        const double grew = value.get<double>();
        if (source == "tcp") {
          if (counter == "RetransSegs") t.retrans += grew;
          if (counter == "OutSegs") t.sent += grew;
        } else if (!is_traffic_counter(counter)) {
          t.trouble.push_back(who + " " + counter + " +" + count_text(grew));
        }
      }
      for (const auto& [gauge, g] : gauges.items()) {
        if (!g.is_object()) continue;
        if (gauge.rfind("clocks_event_", 0) == 0 && gauge != "clocks_event_sw_power_cap" &&
            g.value("longest_nonzero_run", 0) > 0) {
          t.trouble.push_back(who + " " + gauge + " on " + std::to_string(g.value("longest_nonzero_run", 0)) +
                              " reads");
        }
        if (gauge == "temperature_over_max_c" && g.value("max", -1.0) > 0.0) {
          t.trouble.push_back(who + " " + format_number(g.value("max", 0.0)) + " C over its maximum");
        }
      }
    }
  }
  return intervals;
}

std::string explanation_for(const std::string& host, int interval,
                            const std::map<std::string, IntervalTelemetry>& hosts) {
  const auto mine = hosts.find(host);
  if (mine == hosts.end()) return "";
  std::vector<std::string> said = mine->second.trouble;
  if (said.size() > 6) {
    const std::size_t all = said.size();
    said.resize(6);
    said.push_back("... (" + std::to_string(all) + ")");
  }
  // TCP's resent share against the other hosts' median: a capped or lossy link makes its host resend more.
  std::vector<double> others;
  for (const auto& [other, t] : hosts) {
    if (other != host && t.sent > 0) others.push_back(t.retrans / t.sent);
  }
  if (mine->second.sent > 0 && !others.empty()) {
    std::sort(others.begin(), others.end());
    const double median = others[others.size() / 2];
    const double share = mine->second.retrans / mine->second.sent;
    if (share > 0.005 && share > 2.0 * median) {
      said.push_back("TCP resent " + format_percent(share) + " of its segments (the other hosts' median " +
                     format_percent(median) + ")");
    }
  }
  const bool everyone =
      !mine->second.trouble.empty() && hosts.size() > 1 &&
      std::all_of(hosts.begin(), hosts.end(), [](const auto& h) { return !h.second.trouble.empty(); });
  std::string text = "telemetry in interval " + std::to_string(interval) + " on " + host + ": ";
  if (said.empty())
    return text + "nothing unusual (no error counter grew, no throttling, TCP resent no more than elsewhere)";
  for (std::size_t i = 0; i < said.size(); ++i) text += (i ? ", " : "") + said[i];
  if (everyone) text += " (every host shows error counters in this interval: look at the fabric too)";
  return text;
}

}  // namespace

void explain_soak_findings(std::vector<Finding>& findings, const json& records) {
  auto explained = [](const Finding& f) {
    return f.evidence.source == "soak" && f.evidence.interval >= 0 && f.status >= VerdictStatus::kWarn;
  };
  std::set<int> wanted;
  for (const Finding& f : findings) {
    if (explained(f)) wanted.insert(f.evidence.interval);
  }
  if (wanted.empty()) return;
  const auto by_interval = interval_telemetry(records, wanted);
  for (Finding& f : findings) {
    if (!explained(f)) continue;
    const auto it = by_interval.find(f.evidence.interval);
    if (it == by_interval.end()) continue;
    f.evidence.explanation = explanation_for(f.component.host, f.evidence.interval, it->second);
  }
}

}  // namespace railcheck::analysis
