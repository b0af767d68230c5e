#include "railcheck/telemetry/counter_snapshot.h"

#include <algorithm>

#include "railcheck/analysis/telemetry_rules.h"

namespace railcheck::telemetry {
namespace {

int source_order(const std::string& source) {
  if (source == "netdev") return 0;
  if (source == "tcp") return 1;
  if (source == "rdma") return 2;
  if (source == "gpu") return 3;
  return 4;
}

}  // namespace

CounterGrowth::CounterGrowth(CounterSnapshot first) : last_(std::move(first)), unread_(last_.unread) {
  add_gauges(last_);
}

void CounterGrowth::add_gauges(const CounterSnapshot& read) {
  for (const auto& [device, values] : read.gauges) {
    for (const auto& [name, value] : values) {
      GaugeRun& g = gauges_[device][name];
      if (g.summary.reads == 0) {
        g.summary.min = g.summary.max = value;
      } else {
        g.summary.min = std::min(g.summary.min, value);
        g.summary.max = std::max(g.summary.max, value);
      }
      ++g.summary.reads;
      g.run = value != 0.0 ? g.run + 1 : 0;
      g.summary.longest_nonzero_run = std::max(g.summary.longest_nonzero_run, g.run);
    }
  }
}

void CounterGrowth::add(const CounterSnapshot& next, const std::string& step) {
  ++reads_;
  unread_.insert(next.unread.begin(), next.unread.end());
  add_gauges(next);
  // Devices or counters missing from this read keep their last value, so a read that failed once does not
  // look like a reset on the next.
  for (const auto& [device, counters] : next.counters) {
    std::map<std::string, std::uint64_t>& last = last_.counters[device];
    for (const auto& [name, value] : counters) {
      const auto before = last.find(name);
      const bool known = before != last.end();
      if (!known && !next.counted_from_zero.contains({device, name})) {
        last.emplace(name, value);  // a device or counter that appeared: counted from here
        continue;
      }
      const std::uint64_t previous = known ? before->second : 0;
      last[name] = value;
      const bool reset = value < previous;
      const std::uint64_t grew = reset ? value : value - previous;
      if (reset) resets_[device].insert(name);
      if (grew == 0) continue;
      growth_[device][name] += grew;
      if (!analysis::is_traffic_counter(name)) first_grew_in_[device].emplace(name, step);
    }
  }
}

std::vector<TelemetryDevice> CounterGrowth::devices() const {
  std::set<DeviceKey> seen;
  for (const auto& [device, counters] : last_.counters) seen.insert(device);
  for (const auto& [device, gauges] : gauges_) seen.insert(device);
  std::vector<DeviceKey> keys(seen.begin(), seen.end());
  std::stable_sort(keys.begin(), keys.end(), [](const DeviceKey& a, const DeviceKey& b) {
    return source_order(a.source) < source_order(b.source);
  });
  std::vector<TelemetryDevice> out;
  for (const DeviceKey& key : keys) {
    TelemetryDevice device;
    device.source = key.source;
    device.device = key.device;
    if (const auto grew = growth_.find(key); grew != growth_.end()) {
      for (const auto& [name, delta] : grew->second) {
        if (delta > 0) device.deltas[name] = delta;
      }
    }
    if (const auto first = first_grew_in_.find(key); first != first_grew_in_.end())
      device.first_grew_in = first->second;
    if (const auto gauges = gauges_.find(key); gauges != gauges_.end()) {
      for (const auto& [name, g] : gauges->second) device.gauges[name] = g.summary;
    }
    if (const auto reset = resets_.find(key); reset != resets_.end()) {
      device.resets.assign(reset->second.begin(), reset->second.end());
    }
    out.push_back(std::move(device));
  }
  return out;
}

}  // namespace railcheck::telemetry
