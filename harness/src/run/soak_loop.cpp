#include "railcheck/run/soak_loop.h"

#include <chrono>
#include <csignal>
#include <cstdio>
#include <optional>

#include "railcheck/record/wall_clock.h"
#include "railcheck/runtime/stop_signals.h"

namespace railcheck {
namespace {

using Clock = std::chrono::steady_clock;

std::string signal_name(int signal) {
  if (signal == SIGTERM) return "SIGTERM";
  if (signal == SIGINT) return "SIGINT";
  return "signal " + std::to_string(signal);
}

}  // namespace

SoakOutcome run_soak(const SoakPlan& plan, const Bootstrap& bootstrap, IntervalStamp& stamp, const SoakHooks& hooks,
                     OutputSink& outputs) {
  const StopSignals signals;
  const auto start = Clock::now();
  auto elapsed = [&] { return std::chrono::duration<double>(Clock::now() - start).count(); };
  const bool root = bootstrap.rank() == 0;
  SoakOutcome outcome;
  std::optional<int> open_interval;  // begun and not yet ended
  auto end_interval = [&] {
    if (open_interval && hooks.interval_ends) hooks.interval_ends(*open_interval);
    open_interval.reset();
  };
  auto finish = [&](std::string why) {
    end_interval();
    outcome.ended_by = std::move(why);
    outcome.seconds = elapsed();
    return outcome;
  };
  for (int interval = 0;; ++interval) {
    if (plan.max_intervals > 0 && interval >= plan.max_intervals) return finish("max_intervals");
    stamp.set_interval(interval);
    outcome.intervals = interval + 1;
    const double interval_start = elapsed();
    if (root) {
      outputs.note(NoteLevel::kInfo, "soak interval " + std::to_string(interval) + " at " + format_hms(interval_start) +
                                         " of " + format_hms(plan.duration_s));
    }
    open_interval = interval;
    if (hooks.interval_begins) hooks.interval_begins(interval, interval_start);
    for (;;) {
      int signal = 0;
      hooks.pass([&] { return (signal = bootstrap.max_over_ranks(signals.requested())) != 0; });
      ++outcome.passes;
      // Agreed at the end of each pass, in this order: a stop signal, the duration, the interval.
      if (signal == 0) signal = bootstrap.max_over_ranks(signals.requested());
      if (signal != 0) return finish(signal_name(signal));
      if (bootstrap.max_over_ranks(elapsed() >= plan.duration_s ? 1 : 0) > 0) return finish("duration");
      if (bootstrap.max_over_ranks(elapsed() - interval_start >= plan.interval_s ? 1 : 0) > 0) break;
    }
    end_interval();
    if (plan.fail_early) {
      const bool failed = root && hooks.failed_so_far && hooks.failed_so_far();
      if (bootstrap.max_over_ranks(failed ? 1 : 0) > 0) return finish("fail_early");
    }
  }
}

std::string describe(const SoakOutcome& outcome) {
  char seconds[32];
  std::snprintf(seconds, sizeof seconds, "%.0f", outcome.seconds);
  const std::string why = outcome.ended_by == "duration"        ? "its duration"
                          : outcome.ended_by == "max_intervals" ? "its interval count"
                          : outcome.ended_by == "fail_early"    ? "fail-early (a part failed)"
                                                                : outcome.ended_by;
  return std::to_string(outcome.intervals) + " interval(s) (" + std::to_string(outcome.passes) + " pass(es)) in " +
         seconds + " s, ended by " + why;
}

}  // namespace railcheck
