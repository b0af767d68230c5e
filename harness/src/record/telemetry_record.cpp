#include "railcheck/record/telemetry_record.h"

#include <algorithm>
#include <cstdio>
#include <stdexcept>

#include "railcheck/analysis/telemetry_rules.h"
#include "railcheck/record/record_kinds.h"

namespace railcheck {
namespace {

const nlohmann::json& field(const nlohmann::json& json, const char* name) {
  if (!json.contains(name)) throw std::invalid_argument(std::string("telemetry record: missing field '") + name + "'");
  return json.at(name);
}

nlohmann::json gauges_json(const std::map<std::string, GaugeSummary>& gauges) {
  nlohmann::json out = nlohmann::json::object();
  for (const auto& [name, g] : gauges) {
    out[name] = {{"min", g.min}, {"max", g.max}, {"longest_nonzero_run", g.longest_nonzero_run}, {"reads", g.reads}};
  }
  return out;
}

}  // namespace

nlohmann::json to_json(const TelemetryRecord& r) {
  nlohmann::json devices = nlohmann::json::array();
  for (const TelemetryDevice& d : r.devices) {
    devices.push_back({{"source", d.source},
                       {"device", d.device},
                       {"deltas", d.deltas},
                       {"resets", d.resets},
                       {"first_grew_in", d.first_grew_in},
                       {"gauges", gauges_json(d.gauges)}});
  }
  nlohmann::json j = {{"kind", line_type_info(LineType::kTelemetry).record_kind},
                      {"host", r.host},
                      {"rank", r.rank},
                      {"window", r.window},
                      {"ticks", r.ticks},
                      {"devices", std::move(devices)},
                      {"unread", r.unread},
                      {"start_unix_s", r.start_unix_s},
                      {"end_unix_s", r.end_unix_s}};
  if (r.interval) j["interval"] = *r.interval;
  return j;
}

TelemetryRecord telemetry_record_from_json(const nlohmann::json& json) {
  TelemetryRecord r;
  r.host = field(json, "host").get<std::string>();
  r.rank = json.value("rank", 0);
  r.window = json.value("window", "");
  r.ticks = json.value("ticks", 0);
  for (const nlohmann::json& d : field(json, "devices")) {
    TelemetryDevice device;
    device.source = field(d, "source").get<std::string>();
    device.device = field(d, "device").get<std::string>();
    device.deltas = field(d, "deltas").get<std::map<std::string, std::uint64_t>>();
    device.resets = d.value("resets", std::vector<std::string>{});
    device.first_grew_in = d.value("first_grew_in", std::map<std::string, std::string>{});
    if (d.contains("gauges")) {
      for (const auto& [name, g] : d.at("gauges").items()) {
        device.gauges[name] = {field(g, "min").get<double>(), field(g, "max").get<double>(),
                               field(g, "longest_nonzero_run").get<int>(), field(g, "reads").get<int>()};
      }
    }
    r.devices.push_back(std::move(device));
  }
  r.unread = json.value("unread", std::vector<std::string>{});
  r.start_unix_s = json.value("start_unix_s", 0.0);
  r.end_unix_s = json.value("end_unix_s", 0.0);
  if (json.contains("interval") && !json.at("interval").is_null()) r.interval = json.at("interval").get<int>();
  return r;
}

bool shows_trouble(const TelemetryRecord& record) {
  for (const TelemetryDevice& d : record.devices) {
    if (!d.resets.empty()) return true;
    if (d.source == "tcp") continue;  // host-wide: retransmits grow with ordinary congestion on healthy hosts
    for (const auto& [name, delta] : d.deltas) {
      if (!analysis::is_traffic_counter(name)) return true;
    }
  }
  return false;
}

std::string format_telemetry_line(const TelemetryRecord& record, std::size_t most) {
  struct Item {
    bool traffic;
    std::string text;
  };
  std::vector<Item> items;
  for (const TelemetryDevice& d : record.devices) {
    const std::string who = d.device.empty() ? d.source : d.device;
    for (const auto& [name, delta] : d.deltas) {
      char value[32];
      std::snprintf(value, sizeof value, delta >= 100000 ? "%.2g" : "%.0f", static_cast<double>(delta));
      items.push_back({analysis::is_traffic_counter(name), who + " " + name + " +" + value});
    }
  }
  std::stable_sort(items.begin(), items.end(), [](const Item& a, const Item& b) { return !a.traffic && b.traffic; });
  std::string line = record.host + " during " + record.window + ":";
  if (items.empty()) return line + " no counter grew";
  for (std::size_t i = 0; i < items.size() && i < most; ++i) line += (i == 0 ? " " : ", ") + items[i].text;
  if (items.size() > most) line += ", ... (" + std::to_string(items.size()) + ")";
  return line;
}

}  // namespace railcheck
