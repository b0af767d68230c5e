// A soak's outer loop: intervals of passes over the suite's tests until the duration is over, a stop signal
// arrives (SIGTERM / SIGINT on any rank), or, with fail_early, the records so far fail a part. Decisions are
// agreed over the bootstrap, so every rank stops at the same point: a stop signal after the test under way
// (a pass of a large suite can outlast Slurm's KillWait), the rest at the end of a pass.
#pragma once

#include <functional>
#include <string>

#include "railcheck/output/interval_stamp.h"
#include "railcheck/plan/soak_plan.h"
#include "railcheck/runtime/bootstrap.h"

namespace railcheck {

/// Between two tests of a pass: true when the soak must stop now (agreed over the ranks: collective).
using StopCheck = std::function<bool()>;

struct SoakHooks {
  /// One pass over the suite's tests (collective, on every rank), calling `stop` between tests and returning
  /// at once when it says so.
  std::function<void(const StopCheck& stop)> pass;
  std::function<bool()> failed_so_far;  ///< fail_early, rank 0: whether the records so far fail a part
  /// Every rank, collective: an interval begins (before its first pass) / ends (after its last, also when the
  /// soak stops in it; before fail_early is judged). Either may be empty.
  std::function<void(int interval, double elapsed_s)> interval_begins;  ///< elapsed: seconds since the soak began
  std::function<void(int interval)> interval_ends;
};

struct SoakOutcome {
  int intervals = 0;     ///< intervals begun; the last one may be cut short by a stop
  int passes = 0;        ///< passes over the tests, all intervals together
  double seconds = 0.0;  ///< how long the soak ran
  std::string ended_by;  ///< "duration", "max_intervals", "SIGTERM", "SIGINT" or "fail_early"
};

/// Runs hooks.pass in intervals of at least plan.interval_s (one pass at least each) for plan.duration_s,
/// telling `stamp` the interval before its first pass; rank 0 notes each interval's start on `outputs`.
/// SIGTERM / SIGINT stop after the test they arrive in (handlers installed only while it runs).
SoakOutcome run_soak(const SoakPlan& plan, const Bootstrap& bootstrap, IntervalStamp& stamp, const SoakHooks& hooks,
                     OutputSink& outputs);

/// "3 intervals (12 passes) in 120 s, ended by SIGTERM": for the console and the summary note.
std::string describe(const SoakOutcome& outcome);

}  // namespace railcheck
