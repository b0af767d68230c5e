// The timed loop every collective measurement uses (a sweep's sizes and a bisection's groups): the calls are
// queued behind the backend's timer, one lap per call, and the timer says whether its samples are clean.
#pragma once

#include <string>
#include <vector>

#include "railcheck/collectives/collective.h"

namespace railcheck {

struct TimedCalls {
  std::vector<double> seconds;  ///< per call, in order
  std::string warning;          ///< the timer's warning ("" when the samples are clean)
};

/// `iters` calls of `call`, one lap each; with `graph_launches` > 0 the loop is captured once as a CUDA graph
/// and replayed that many times, each replay's time divided by `iters` (one sample per replay). Throws Error
/// on backend failure.
TimedCalls time_calls(Collective& collective, const CollectiveCall& call, int iters, int graph_launches = 0);

/// `iters` untimed calls of `call`, then synchronize(): what a size's warm-up does.
void warm_up(Collective& collective, const CollectiveCall& call, int iters);

}  // namespace railcheck
