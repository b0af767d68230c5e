// Timer over CUDA events recorded on a stream: start() and lap() only enqueue a record; finish() waits for
// the last one and returns the elapsed time between consecutive events.
//
// The timed loop is queued behind a StreamLatch (nvbandwidth's method): start() launches the latch and then
// records the start event, the caller enqueues its iterations and laps while the GPU waits, and finish()
// releases the latch. So the GPU runs the whole loop back to back and the first laps never include the
// host's enqueue time. The latch is released early after LatchPolicy::max_held_laps laps, so a long loop
// cannot fill the launch queue while the stream is held (the enqueue would then block until the timeout).
#pragma once

#include <cstddef>
#include <memory>
#include <optional>
#include <vector>

#include "railcheck/collectives/cuda_handles.h"
#include "railcheck/collectives/timer.h"
#include "railcheck/kernels/launchers.h"

namespace railcheck {

/// How CudaEventTimer holds its stream while the timed loop is queued.
struct LatchPolicy {
  bool enabled = true;      ///< queue the loop behind a StreamLatch; false: events only (GPU starts at once)
  double timeout_s = 30.0;  ///< the latch lets go by itself after this long (the host stalled while enqueuing)
  int max_held_laps = 256;  ///< release after this many laps: about 2 launch-queue entries per lap, far below
                            ///< the driver's queue depth (about 1000), so an enqueue never blocks on the latch
};

class CudaEventTimer final : public Timer {
 public:
  /// Records on `stream` (shared, so the timer may outlive the collective); events are created on `device`.
  CudaEventTimer(std::shared_ptr<const CudaStream> stream, int device, LatchPolicy latch = {});

  /// Throws Error inside a CUDA graph capture of the stream (time replay_capture() instead).
  void start() override;
  void lap() override;
  /// Releases the latch, waits for the last event. When the latch had timed out (the host took longer than
  /// timeout_s to queue the loop, so the laps may include host gaps), warning() says so.
  std::vector<double> finish() override;
  std::string warning() const override { return warning_; }

  /// Whether the stream is held right now (between start() and the release). For tests.
  bool holding() const { return latch_.has_value() && !released_; }

 private:
  void record();
  void release();

  std::shared_ptr<const CudaStream> stream_;
  int device_;
  LatchPolicy policy_;
  std::vector<CudaEvent> events_;              // pool, reused by every start(); grows on demand
  std::string warning_;                        // finish()'s verdict on this round
  std::size_t recorded_ = 0;                   // events_[0, recorded_) hold this round's records
  std::optional<kernels::StreamLatch> latch_;  // after stream_: destroyed (and let go) before the stream
  bool released_ = false;
};

}  // namespace railcheck
