// One node's telemetry sampler: a thread that reads every counter source each period and folds the reads
// into the open window, attached to the rank's steps so that a counter that grows is tied to the step it
// grew in. Measurement never waits for it: its reads run on its own thread; the main thread only reads at a
// window's first and last snapshot (between tests, outside any timing) and copies a step's label.
#pragma once

#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "railcheck/run/steps.h"
#include "railcheck/telemetry/counter_snapshot.h"
#include "railcheck/telemetry/counter_sources.h"

namespace railcheck::telemetry {

/// What sampling has cost so far (docs/bench.md): reads, and the time they took.
struct SamplerCost {
  long reads = 0;
  double read_seconds = 0.0;  ///< wall time spent inside the sources' read()
};

class TelemetrySampler final : public StepObserver {
 public:
  /// Starts the thread, which reads `sources` every `period_s` seconds (> 0) while a window is open.
  TelemetrySampler(std::vector<std::unique_ptr<CounterSource>> sources, double period_s);
  /// Stops and joins the thread (noexcept).
  ~TelemetrySampler() override;
  TelemetrySampler(const TelemetrySampler&) = delete;
  TelemetrySampler& operator=(const TelemetrySampler&) = delete;

  /// Opens a window labelled `label` with a snapshot read now; an open window is dropped.
  void begin_window(std::string label);
  /// Reads a last snapshot and closes the window: what grew between its first and last snapshot, as the
  /// record (host and rank left for the caller); nullopt when none was open.
  std::optional<TelemetryRecord> end_window();

  void on_step_begin(const StepInfo& step) override;
  void on_step_end(const StepInfo& step) override;

  SamplerCost cost() const;

 private:
  CounterSnapshot read_all();  ///< with read_mutex_ held
  void run();
  std::string current_step() const;

  std::vector<std::unique_ptr<CounterSource>> sources_;
  double period_s_;
  std::mutex read_mutex_;  ///< one read and fold at a time, so reads fold in the order they were taken
  std::optional<CounterGrowth> growth_;
  std::string label_;
  double start_unix_s_ = 0.0;
  mutable std::mutex state_mutex_;  ///< the step label, the cost, the stop flag
  std::condition_variable wake_;
  std::string step_;
  SamplerCost cost_;
  bool stop_ = false;
  std::thread thread_;  ///< last: started once everything above exists
};

}  // namespace railcheck::telemetry
