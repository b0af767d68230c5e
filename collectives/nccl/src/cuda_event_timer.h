// Timer over CUDA events recorded on a stream: start() and lap() only enqueue a record; finish() waits for
// the last one and returns the elapsed time between consecutive events.
#pragma once

#include <cstddef>
#include <memory>
#include <vector>

#include "railcheck/collectives/cuda_handles.h"
#include "railcheck/collectives/timer.h"

namespace railcheck {

class CudaEventTimer final : public Timer {
 public:
  /// Records on `stream` (shared, so the timer may outlive the collective); events are created on `device`.
  CudaEventTimer(std::shared_ptr<const CudaStream> stream, int device);

  void start() override;
  void lap() override;
  std::vector<double> finish() override;

 private:
  void record();

  std::shared_ptr<const CudaStream> stream_;
  int device_;
  std::vector<CudaEvent> events_;  // pool, reused by every start(); grows on demand
  std::size_t recorded_ = 0;       // events_[0, recorded_) hold this round's records
};

}  // namespace railcheck
