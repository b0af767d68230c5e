#include "railcheck/telemetry/run_telemetry.h"

#include <nlohmann/json.hpp>

namespace railcheck::telemetry {

RunTelemetry::RunTelemetry(const Bootstrap& bootstrap, OutputSink& sink, Steps& steps, const TelemetryOptions& options)
    : bootstrap_(bootstrap), sink_(sink), enabled_(options.enabled) {
  if (!enabled_ || bootstrap.self().local_rank != 0) return;
  sampler_ = std::make_unique<TelemetrySampler>(
      standard_sources(SysfsRoot(options.root), options.exclude, options.nvml_library), options.period_s);
  steps.attach(*sampler_);
}

void RunTelemetry::open(const std::string& label) {
  if (sampler_) sampler_->begin_window(label);
}

void RunTelemetry::close() {
  if (!enabled_) return;
  std::string mine;
  if (sampler_) {
    if (const std::optional<TelemetryRecord> window = sampler_->end_window()) mine = to_json(*window).dump();
  }
  const std::vector<std::string> all = bootstrap_.gather_strings(mine, 0);
  if (bootstrap_.rank() != 0) return;
  for (std::size_t r = 0; r < all.size() && r < bootstrap_.ranks().size(); ++r) {
    if (all[r].empty()) continue;
    sink_.record(telemetry_record_of(all[r], bootstrap_.ranks()[r]));
  }
}

std::optional<SamplerCost> RunTelemetry::cost() const {
  if (!sampler_) return std::nullopt;
  return sampler_->cost();
}

TelemetryRecord telemetry_record_of(const std::string& window_text, const RankInfo& sampled_by) {
  TelemetryRecord record = telemetry_record_from_json(nlohmann::json::parse(window_text));
  record.host = sampled_by.host;
  record.rank = sampled_by.rank;
  return record;
}

}  // namespace railcheck::telemetry
