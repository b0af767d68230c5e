// One collective sweep, as a command line or a suite entry describes it (nccl-tests' flags as fields).
#pragma once

#include <cstddef>
#include <optional>
#include <string>

#include "railcheck/collectives/collective_kind.h"
#include "railcheck/collectives/data_type.h"

namespace railcheck {

/// Which of nccl-tests' two columns to run.
enum class Placement { kBoth, kOutOfPlace, kInPlace };

std::string_view name_of(Placement placement);
std::optional<Placement> parse_placement(std::string_view text);

/// nccl-tests' -a: how the ranks' mean times make the row's time (and so its bandwidths): rank 0's own,
/// the mean over ranks (the default), the fastest or the slowest rank's.
enum class TimeAggregation { kRank0 = 0, kAvg = 1, kMin = 2, kMax = 3 };

/// "rank0", "avg", "min", "max".
std::string_view name_of(TimeAggregation aggregation);

/// What a timed loop's clock covers. kLoop (nccl-tests' default): the host's steady clock from the first
/// enqueue until the stream drained after the last, divided by the calls (every sample of a loop is that
/// mean). kEvents: one duration per call, from GPU events on the stream behind a latch kernel that holds the
/// stream until the loop is queued (host laps on the host backends, whose calls end before they return).
enum class TimingWindow { kLoop, kEvents };
std::string_view name_of(TimingWindow window);
std::optional<TimingWindow> parse_timing_window(std::string_view text);

/// nccl-tests' -z: what the timed loop waits for after each call. 0 nothing (calls queue back to back),
/// 1 the stream and a barrier of every rank (both timed), 2 the stream only, 3 the stream and a barrier,
/// the barrier left out of the time.
enum class Blocking { kNone = 0, kWaitAndBarrier = 1, kWait = 2, kWaitAndUntimedBarrier = 3 };

/// Defaults are nccl-tests' defaults. Field names are the suite file's keys.
/// In-job bisection after a test's sweep (suite key "bisect"): the group is measured at one size; while a group
/// is below what a healthy one reaches, it is split in halves (communicator splits in the same allocation) and
/// both halves are measured at once, until the slow part is isolated. See collective_bisection.h.
struct BisectSpec {
  bool enabled = false;
  std::size_t size_bytes = 0;        ///< the size every round measures; 0: the sweep's max_bytes
  double expected_busbw_gbps = 0.0;  ///< what a healthy group reaches; 0: the --baseline entry for the test
};

struct CollectiveTestSpec {
  std::string name;  ///< record label; defaults to the collective key
  CollectiveKind kind = CollectiveKind::kAllReduce;
  std::size_t min_bytes = 32u << 20;                ///< -b
  std::size_t max_bytes = 32u << 20;                ///< -e
  std::size_t step_bytes = 1u << 20;                ///< -i, used when step_factor <= 1
  double step_factor = 1.0;                         ///< -f
  int iters = 20;                                   ///< -n timed iterations per size
  int warmup_iters = 1;                             ///< -w
  int check_iters = 1;                              ///< -c correctness passes per size (0: no check)
  DataType type = DataType::kFloat32;               ///< -d
  ReduceOp op = ReduceOp::kSum;                     ///< -o (reducing collectives only)
  int root = 0;                                     ///< -r (broadcast, reduce); -1: every rank in turn
  int cycles = 1;                                   ///< -N: the size sweep this many times
  TimingWindow timing = TimingWindow::kLoop;        ///< --timing: what the time column covers
  Blocking blocking = Blocking::kNone;              ///< -z
  Placement placement = Placement::kBoth;           ///< out-of-place, in-place or both
  int graph_launches = 0;                           ///< -G: capture the timed loop in a CUDA graph, replay N times
  TimeAggregation average = TimeAggregation::kAvg;  ///< -a: the ranks' times into the row's time
  BisectSpec bisect;                                ///< suite "bisect": in-job bisection after the sweep
  bool report_timestamps = false;                   ///< -S: the console's rows end with the local time
  bool report_cputime = false;                      ///< -C: time columns show rank 0's time to queue a call
};

/// A problem with one field of a spec: `field` is the suite key (min_bytes, iters...).
struct SpecProblem {
  std::string field;
  std::string message;
};

/// The first problem found, or nullopt when the spec can run on `nranks` ranks (nranks <= 0: not yet known).
std::optional<SpecProblem> validate(const CollectiveTestSpec& spec, int nranks = 0);

/// Stable key for baselines: "<collective>.<type>[.<op>]", e.g. all_reduce.float.sum.
std::string test_key(const CollectiveTestSpec& spec);

}  // namespace railcheck
