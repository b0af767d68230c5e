// A one-line progress display for a person at a terminal: the step the run is in and how long the run has
// taken, rewritten in place as steps begin. A StepObserver; off (silent) when not on a terminal, so logs and
// CI output keep only the console sink's lines.
#pragma once

#include <chrono>
#include <ostream>
#include <string>

#include "railcheck/run/steps.h"

namespace railcheck {

class ProgressDisplay final : public StepObserver {
 public:
  /// `enabled`: the caller's decision (rank 0 and stderr a terminal). Writes to `out`.
  ProgressDisplay(bool enabled, std::ostream& out) : enabled_(enabled), out_(out) {}
  void on_step_begin(const StepInfo& step) override;
  /// What the run as a whole is at, shown before the step from the next step on: a soak's "interval 12, 3:48:00
  /// left, worst so far: node3 NIC eth0 (rail 0) FAIL". Empty: none.
  void set_context(std::string context) { context_ = std::move(context); }
  bool enabled() const { return enabled_; }
  /// Ends the line so the next output starts on a line of its own.
  void finish();

 private:
  bool enabled_;
  std::ostream& out_;
  bool shown_ = false;
  std::string context_;
  std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
};

}  // namespace railcheck
