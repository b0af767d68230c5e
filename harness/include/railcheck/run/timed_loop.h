// The timed loop every collective measurement uses (a sweep's sizes and a bisection's groups), with the
// window a record names (TimingWindow) and nccl-tests' -z waits.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "railcheck/collectives/collective.h"
#include "railcheck/plan/test_spec.h"
#include "railcheck/run/check.h"

namespace railcheck {

struct TimedCalls {
  std::vector<double> seconds;  ///< per call (kEvents) or per graph replay; a kLoop loop's every sample is its mean
  std::string warning;          ///< the timer's warning ("" when the samples are clean)
  double cpu_seconds = 0.0;     ///< kLoop: host time to queue one call (nccl-tests' -C cputime); 0 for kEvents
};

struct TimedLoop {
  int iters = 1;
  int graph_launches = 0;  ///< > 0: the loop captured once as a CUDA graph and replayed this many times
  TimingWindow timing = TimingWindow::kLoop;
  Blocking blocking = Blocking::kNone;
};

/// The timed loop's settings of a spec (validate(spec) has refused the combinations that cannot run).
TimedLoop timed_loop_of(const CollectiveTestSpec& spec);

/// `loop.iters` calls of `call`, as nccl-tests' BenchTime times them. kLoop: the host clock from the first
/// enqueue until synchronize() returned after the last, over the calls (with -z 3 the barriers left out);
/// kEvents: the backend's timer, one lap per call. With graph launches each replay's time is divided by
/// `iters` (one sample per replay). `barrier` is every rank's barrier (-z 1 and 3). Throws Error on backend
/// failure.
TimedCalls time_calls(Collective& collective, const CollectiveCall& call, const TimedLoop& loop,
                      const std::function<void()>& barrier);

/// One size of `spec` ready to run on `collective`: nccl-tests' counts (in the check case), send and receive
/// buffers of those counts, the send buffer holding this rank's check pattern (realistic data: no NaN or
/// denormals) and the out-of-place call. The call points into the buffers' memory, which a move keeps.
struct SizeBuffers {
  CheckCase check;
  Buffer send, recv;
  CollectiveCall call;
};
SizeBuffers prepare_size(Collective& collective, const CollectiveTestSpec& spec, std::size_t size_bytes);

/// `iters` untimed calls of `call`, then synchronize(): one size of the warm-up.
void warm_up(Collective& collective, const CollectiveCall& call, int iters);

}  // namespace railcheck
