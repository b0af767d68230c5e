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

bool SoakSummary::add_figure(Line& l, std::optional<double> figure, const std::optional<PassSummary>& passes) {
  if (figure) l.values.push_back(*figure);
  l.passes += passes ? passes->count : 1;
  std::optional<double> worst = figure;
  if (passes && (l.higher_is_better ? passes->min : passes->max))
    worst = l.higher_is_better ? passes->min : passes->max;
  if (!worst) return false;
  const bool is_worst = !l.lowest || (l.higher_is_better ? *worst < *l.lowest : *worst > *l.lowest);
  if (is_worst) l.lowest = worst;
  return is_worst;
}

void SoakSummary::add(const CollectiveRecord& r) {
  if (r.status == RecordStatus::kSkipped) return;
  Line& l =
      line(r.test_name + " " + analysis::format_size_text(r.size_bytes) + (r.in_place ? " in-place" : " out-of-place"),
           "busbw_gbps", true);
  if (r.wrong_elements > 0) l.wrong += r.wrong_elements;
  if (r.status == RecordStatus::kOk)
    add_figure(l, r.passes && r.passes->median ? *r.passes->median : r.busbw_gbps, r.passes);
}

void SoakSummary::add(const P2pRecord& r) {
  if (r.phase != "first") return;
  const bool latency = r.op == P2pOp::kLatency;
  Line& l = line((r.test.empty() ? std::string("p2p") : r.test) + " " + std::string(key_of(r.op)) + " " +
                     analysis::format_size_text(r.size_bytes),
                 latency ? "lat_us" : "bw_gbps", !latency);
  l.failed += r.passes ? r.passes->failed : (r.ok ? 0 : 1);
  std::optional<double> value;
  if (r.ok) value = latency ? (r.lat ? r.lat->typical_us : 0.0) : r.bw_gbps;
  if (r.passes && r.passes->median) value = r.passes->median;  // the interval's passes
  if (add_figure(l, value, r.passes)) {
    l.lowest_where = r.src_host + "(" + r.src_nic + ") -> " + r.dst_host + "(" + r.dst_nic + ")";
  }
}

void SoakSummary::add(const GpuCheckRecord& r) {
  if (!r.seconds_per_iter) return;  // skipped or failed: its own line says so elsewhere
  const bool gemm = r.tflops.has_value();
  Line& l = line(r.test_key + " " + r.host + (r.device ? " GPU " + std::to_string(*r.device) : std::string()),
                 gemm ? "tflops" : "bw_gbps", true);
  add_figure(l, gemm ? *r.tflops : r.bw_gbps.value_or(0.0), std::nullopt);
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
    if (!l.lowest) {
      text += "nothing measured";
    } else {
      if (!l.values.empty()) text += "median " + figure(analysis::median(l.values)) + ", ";
      text += (l.higher_is_better ? "lowest " : "highest ") + figure(*l.lowest) + " over " + std::to_string(l.passes);
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
