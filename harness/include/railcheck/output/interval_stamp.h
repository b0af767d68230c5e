// A soak's interval on every record: wraps the run's outputs, so the code that measures (the runner, p2p
// rounds, checks) never needs to know it runs inside a soak.
#pragma once

#include <optional>

#include "railcheck/output/sink.h"

namespace railcheck {

/// Forwards every call to `next`; records and test starts go on with `interval` set to the current one (none
/// until set_interval is called: outside a soak it changes nothing).
class IntervalStamp final : public OutputSink {
 public:
  explicit IntervalStamp(OutputSink& next) : next_(next) {}
  void set_interval(int interval) { interval_ = interval; }
  std::optional<int> interval() const { return interval_; }

  void begin_run(const RunManifest& manifest) override { next_.begin_run(manifest); }
  void begin_test(const TestStart& test) override { next_.begin_test(stamped(test)); }
  void record(const Record& record) override;
  void note(NoteLevel level, const std::string& text) override { next_.note(level, text); }
  void end_test(const TestStart& test) override { next_.end_test(stamped(test)); }
  void verdicts(const VerdictReport& report) override { next_.verdicts(report); }
  void watchdog(const WatchdogReport& report) noexcept override { next_.watchdog(report); }
  void end_run(const RunManifest& manifest, const RunSummary& summary) override { next_.end_run(manifest, summary); }

 private:
  TestStart stamped(const TestStart& test) const {
    TestStart copy = test;
    if (interval_) copy.interval = interval_;
    return copy;
  }
  OutputSink& next_;
  std::optional<int> interval_;
};

}  // namespace railcheck
