// Timer for work that completes before run() returns: steady_clock laps.
#pragma once

#include <chrono>
#include <vector>

#include "railcheck/collectives/timer.h"

namespace railcheck {

class HostTimer final : public Timer {
 public:
  void start() override {
    samples_.clear();
    last_ = Clock::now();
  }
  void lap() override {
    const auto now = Clock::now();
    samples_.push_back(std::chrono::duration<double>(now - last_).count());
    last_ = now;
  }
  std::vector<double> finish() override { return std::move(samples_); }

 private:
  using Clock = std::chrono::steady_clock;
  Clock::time_point last_{};
  std::vector<double> samples_;
};

}  // namespace railcheck
