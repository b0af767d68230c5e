#include "console_soak_summary.h"

#include <algorithm>

#include "railcheck/analysis/robust_stats.h"
#include "railcheck/analysis/verdict.h"

namespace railcheck {

SoakSummary::Line& SoakSummary::line(const std::string& label, const std::string& metric, bool higher_is_better) {
  auto [it, inserted] = lines_.try_emplace(label);
  if (inserted) {
    order_.push_back(label);
    it->second.label = label;
    it->second.metric = metric;
    it->second.higher_is_better = higher_is_better;
  }
  return it->second;
}

void SoakSummary::add(const Record& record) {
  const std::optional<int> interval = interval_of(record);
  if (!interval) return;
  interval_ = *interval;
  std::visit(
      [this](const auto& r) {
        if constexpr (requires { r.interval; }) add(r);  // the kinds a soak repeats
      },
      record);
}

void SoakSummary::add(const CollectiveRecord& r) {
  if (r.status == RecordStatus::kSkipped) return;
  Line& l =
      line(r.test_name + " " + analysis::format_size_text(r.size_bytes) + (r.in_place ? " in-place" : " out-of-place"),
           "busbw_gbps", true);
  l.values.push_back(r.busbw_gbps);
  if (r.wrong_elements > 0) l.wrong += r.wrong_elements;
}

void SoakSummary::add(const P2pRecord& r) {
  if (r.phase != "first") return;
  const bool latency = r.op == P2pOp::kLatency;
  Line& l = line((r.test.empty() ? std::string("p2p") : r.test) + " " + std::string(key_of(r.op)) + " " +
                     analysis::format_size_text(r.size_bytes),
                 latency ? "lat_us" : "bw_gbps", !latency);
  if (!r.ok) {
    ++l.failed;
    return;
  }
  const double value = latency ? (r.lat ? r.lat->typical_us : 0.0) : r.bw_gbps;
  const bool worst = l.values.empty() || (latency ? value > l.lowest : value < l.lowest);
  l.values.push_back(value);
  if (worst) {
    l.lowest = value;
    l.lowest_where = r.src_host + "(" + r.src_nic + ") -> " + r.dst_host + "(" + r.dst_nic + ")";
  }
}

void SoakSummary::add(const GpuCheckRecord& r) {
  if (!r.seconds_per_iter) return;  // skipped or failed: its own line says so elsewhere
  const bool gemm = r.tflops.has_value();
  Line& l = line(r.test_key + " " + r.host + (r.device ? " GPU " + std::to_string(*r.device) : std::string()),
                 gemm ? "tflops" : "bw_gbps", true);
  l.values.push_back(gemm ? *r.tflops : r.bw_gbps.value_or(0.0));
  if (r.wrong > 0) l.wrong += r.wrong;
}

std::vector<std::string> SoakSummary::take_lines(BandwidthUnit unit) {
  std::vector<std::string> out;
  if (!interval_) return out;
  const std::string prefix = "# interval " + std::to_string(*interval_) + " ";
  for (const std::string& label : order_) {
    const Line& l = lines_.at(label);
    std::string text = prefix + label + ": ";
    auto figure = [&](double value) {
      if (l.metric == "bw_gbps" && unit != BandwidthUnit::kGBps) {
        char buffer[48];
        std::snprintf(buffer, sizeof buffer, "%.3f %s", in_unit(value, unit), std::string(unit_name(unit)).c_str());
        return std::string(buffer);
      }
      return analysis::format_value(value, l.metric);
    };
    if (l.values.empty()) {
      text += "nothing measured";
    } else {
      const auto [low, high] = std::minmax_element(l.values.begin(), l.values.end());
      text += "median " + figure(analysis::median(l.values)) + ", " + (l.higher_is_better ? "lowest " : "highest ") +
              figure(l.higher_is_better ? *low : *high) + " over " + std::to_string(l.values.size());
    }
    if (!l.lowest_where.empty()) text += " (" + l.lowest_where + ")";
    if (l.wrong > 0) text += ", " + std::to_string(l.wrong) + " WRONG";
    if (l.failed > 0) text += ", " + std::to_string(l.failed) + " FAILED";
    out.push_back(text);
  }
  interval_.reset();
  order_.clear();
  lines_.clear();
  return out;
}

}  // namespace railcheck
