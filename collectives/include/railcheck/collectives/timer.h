// Per-iteration timing of queued work: steady_clock on the host backend, CUDA events on NCCL.
#pragma once

#include <string>
#include <vector>

namespace railcheck {

/// Usage: start(); { enqueue one iteration; lap(); } x n; samples = finish();
/// start() and lap() never block; finish() waits for the queued work and returns one duration in seconds per
/// lap, in order. A timer that can only time the whole loop (CUDA graph replay) returns n equal samples.
class Timer {
 public:
  virtual ~Timer() = default;
  virtual void start() = 0;
  virtual void lap() = 0;
  virtual std::vector<double> finish() = 0;
  /// After finish(): why that round's samples may include more than the timed work (for the record, e.g. a
  /// stream latch that let go before the loop was queued, so host enqueue gaps are timed); "" when clean.
  virtual std::string warning() const { return {}; }
};

}  // namespace railcheck
