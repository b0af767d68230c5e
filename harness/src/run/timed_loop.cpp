#include "railcheck/run/timed_loop.h"

namespace railcheck {

TimedCalls time_calls(Collective& collective, const CollectiveCall& call, int iters, int graph_launches) {
  auto timer = collective.make_timer();
  TimedCalls out;
  if (graph_launches > 0) {
    collective.begin_capture();
    for (int i = 0; i < iters; ++i) collective.run(call);
    collective.end_capture();
    timer->start();
    for (int g = 0; g < graph_launches; ++g) {
      collective.replay_capture();
      timer->lap();
    }
    out.seconds = timer->finish();
    for (double& s : out.seconds) s /= iters;
  } else {
    timer->start();
    for (int i = 0; i < iters; ++i) {
      collective.run(call);
      timer->lap();
    }
    out.seconds = timer->finish();
  }
  out.warning = timer->warning();
  return out;
}

void warm_up(Collective& collective, const CollectiveCall& call, int iters) {
  for (int i = 0; i < iters; ++i) collective.run(call);
  collective.synchronize();
}

}  // namespace railcheck
