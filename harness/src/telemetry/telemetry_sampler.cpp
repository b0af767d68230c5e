#include "railcheck/telemetry/telemetry_sampler.h"

#include <chrono>

#include "railcheck/record/wall_clock.h"

namespace railcheck::telemetry {

TelemetrySampler::TelemetrySampler(std::vector<std::unique_ptr<CounterSource>> sources, double period_s)
    : sources_(std::move(sources)), period_s_(period_s), thread_([this] { run(); }) {}

TelemetrySampler::~TelemetrySampler() {
  {
    const std::lock_guard lock(state_mutex_);
    stop_ = true;
  }
  wake_.notify_all();
  thread_.join();
}

CounterSnapshot TelemetrySampler::read_all() {
  const auto start = std::chrono::steady_clock::now();
  CounterSnapshot snapshot;
  for (const auto& source : sources_) source->read(snapshot);
  const double took = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  const std::lock_guard lock(state_mutex_);
  ++cost_.reads;
  cost_.read_seconds += took;
  return snapshot;
}

void TelemetrySampler::begin_window(std::string label) {
  const std::lock_guard lock(read_mutex_);
  start_unix_s_ = unix_now_s();
  growth_.emplace(read_all());
  label_ = std::move(label);
}

std::optional<TelemetryRecord> TelemetrySampler::end_window() {
  const std::lock_guard lock(read_mutex_);
  if (!growth_) return std::nullopt;
  growth_->add(read_all(), current_step());
  TelemetryRecord window;
  window.window = label_;
  window.ticks = growth_->reads() - 1;  // the last read is the window's snapshot, not a tick
  window.devices = growth_->devices();
  window.unread = growth_->unread();
  window.start_unix_s = start_unix_s_;
  window.end_unix_s = unix_now_s();
  growth_.reset();
  return window;
}

void TelemetrySampler::on_step_begin(const StepInfo& step) {
  const std::lock_guard lock(state_mutex_);
  step_ = step.label;
}

void TelemetrySampler::on_step_end(const StepInfo&) {
  const std::lock_guard lock(state_mutex_);
  step_.clear();
}

std::string TelemetrySampler::current_step() const {
  const std::lock_guard lock(state_mutex_);
  return step_;
}

SamplerCost TelemetrySampler::cost() const {
  const std::lock_guard lock(state_mutex_);
  return cost_;
}

void TelemetrySampler::run() {
  const auto period = std::chrono::duration<double>(period_s_);
  for (;;) {
    {
      std::unique_lock lock(state_mutex_);
      if (wake_.wait_for(lock, period, [this] { return stop_; })) return;
    }
    const std::lock_guard lock(read_mutex_);
    if (!growth_) continue;  // no window open: nothing to fold into
    const std::string step = current_step();
    growth_->add(read_all(), step);
  }
}

}  // namespace railcheck::telemetry
