#include "railcheck/run/timed_loop.h"

#include <chrono>

#include "railcheck/collectives/coll_counts.h"

namespace railcheck {
namespace {

using Clock = std::chrono::steady_clock;

double since(Clock::time_point start) { return std::chrono::duration<double>(Clock::now() - start).count(); }

// One wait of -z after a call: the stream, then (1, 3) every rank; returns the seconds -z 3 leaves out.
double wait_after_call(Collective& collective, Blocking blocking, const std::function<void()>& barrier) {
  if (blocking == Blocking::kNone) return 0.0;
  collective.synchronize();
  if (blocking == Blocking::kWait) return 0.0;
  const auto start = Clock::now();
  barrier();
  return blocking == Blocking::kWaitAndUntimedBarrier ? since(start) : 0.0;
}

TimedCalls time_whole_loop(Collective& collective, const CollectiveCall& call, const TimedLoop& loop,
                           const std::function<void()>& barrier) {
  TimedCalls out;
  if (loop.graph_launches > 0) {
    collective.begin_capture();
    for (int i = 0; i < loop.iters; ++i) collective.run(call);
    collective.end_capture();
    barrier();  // nccl-tests: resync the hosts, restart the clock, launch the graph
    const auto start = Clock::now();
    for (int g = 0; g < loop.graph_launches; ++g) collective.replay_capture();
    out.cpu_seconds = since(start) / loop.graph_launches / loop.iters;
    collective.synchronize();
    const double per_call = since(start) / loop.graph_launches / loop.iters;
    out.seconds.assign(static_cast<std::size_t>(loop.graph_launches), per_call);
    return out;
  }
  double left_out = 0.0;
  const auto start = Clock::now();
  for (int i = 0; i < loop.iters; ++i) {
    collective.run(call);
    left_out += wait_after_call(collective, loop.blocking, barrier);
  }
  out.cpu_seconds = (since(start) - left_out) / loop.iters;
  collective.synchronize();
  out.seconds.assign(static_cast<std::size_t>(loop.iters), (since(start) - left_out) / loop.iters);
  return out;
}

TimedCalls time_each_call(Collective& collective, const CollectiveCall& call, const TimedLoop& loop) {
  auto timer = collective.make_timer();
  TimedCalls out;
  if (loop.graph_launches > 0) {
    collective.begin_capture();
    for (int i = 0; i < loop.iters; ++i) collective.run(call);
    collective.end_capture();
    timer->start();
    for (int g = 0; g < loop.graph_launches; ++g) {
      collective.replay_capture();
      timer->lap();
    }
    out.seconds = timer->finish();
    for (double& s : out.seconds) s /= loop.iters;
  } else {
    timer->start();
    for (int i = 0; i < loop.iters; ++i) {
      collective.run(call);
      timer->lap();
    }
    out.seconds = timer->finish();
  }
  out.warning = timer->warning();
  return out;
}

}  // namespace

TimedLoop timed_loop_of(const CollectiveTestSpec& spec) {
  return {spec.iters, spec.graph_launches, spec.timing, spec.blocking};
}

TimedCalls time_calls(Collective& collective, const CollectiveCall& call, const TimedLoop& loop,
                      const std::function<void()>& barrier) {
  return loop.timing == TimingWindow::kLoop ? time_whole_loop(collective, call, loop, barrier)
                                            : time_each_call(collective, call, loop);
}

void warm_up(Collective& collective, const CollectiveCall& call, int iters) {
  for (int i = 0; i < iters; ++i) collective.run(call);
  collective.synchronize();
}

SizeBuffers prepare_size(Collective& collective, const CollectiveTestSpec& spec, std::size_t size_bytes) {
  const int nranks = collective.size();
  const std::size_t width = size_of(spec.type);
  SizeBuffers one{CheckCase{spec.kind, spec.type, spec.op, spec.root, nranks,
                            coll_counts(spec.kind, size_bytes, spec.type, nranks)},
                  {},
                  {},
                  {}};
  one.send = collective.allocate(one.check.counts.send_count * width);
  one.recv = collective.allocate(one.check.counts.recv_count * width);
  if (one.check.counts.param_count > 0) {
    collective.upload(one.send, 0, make_check_input(one.check, collective.rank(), 0));
  }
  one.call = CollectiveCall{spec.kind, one.send.data(), one.recv.data(), one.check.counts.param_count,
                            spec.type, spec.op,         spec.root};
  return one;
}

}  // namespace railcheck
