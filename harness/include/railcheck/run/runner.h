// Runs collective sweeps the way nccl-tests does (warm-up, timed loop, check passes) and turns each size and
// placement into a record with every rank's own timing.
#pragma once

#include <cstdint>

#include "railcheck/collectives/collective.h"
#include "railcheck/output/sinks.h"
#include "railcheck/run/test_spec.h"
#include "railcheck/run/watchdog.h"
#include "railcheck/runtime/bootstrap.h"

namespace railcheck {

/// Faults injected on purpose to test the harness itself; all off by default.
struct DebugFaults {
  int corrupt_rank = -1;  ///< this rank's check output is corrupted after each check pass
  int hang_rank = -1;     ///< this rank stops before its first step, as a hung GPU or process would
  int slow_rank = -1;     ///< this rank sleeps slow_ms after each timed collective call, as a slow GPU would
  double slow_ms = 2.0;

  /// Called after each timed collective call: sleeps slow_ms when `rank` is slow_rank.
  void after_timed_call(int rank) const;
};

struct RunnerOptions {
  bool record_samples = false;  ///< keep each rank's raw per-iteration times in the records
  DebugFaults faults;
};

/// Collective over the bootstrap's world, whose ranks must be `collective`'s ranks in the same order.
class Runner {
 public:
  /// `sink` is used on rank 0 only and may be null elsewhere. All references must outlive the runner.
  Runner(const Bootstrap& bootstrap, Collective& collective, Watchdog& watchdog, RecordSink* sink,
         RunnerOptions options);

  /// Runs one sweep; records stream to the sink as each size completes. Throws Error on backend failure and
  /// InputError when the spec cannot run here (validated against the communicator size first).
  void run(const CollectiveTestSpec& spec);

  /// Totals so far (complete on rank 0 only).
  const RunSummary& summary() const { return summary_; }
  /// The next watchdog step number: steps outside the runner (bisection rounds) keep one increasing sequence.
  std::uint64_t next_step() { return ++step_; }

 private:
  struct Placed;
  void run_size(const CollectiveTestSpec& spec, std::size_t size_bytes);
  void measure(const CollectiveTestSpec& spec, const Placed& placed, std::size_t size_bytes);
  void emit(const CollectiveRecord& record);

  const Bootstrap& bootstrap_;
  Collective& collective_;
  Watchdog& watchdog_;
  RecordSink* sink_;
  RunnerOptions options_;
  std::uint64_t step_ = 0;
  RunSummary summary_;
  double busbw_sum_ = 0.0;
  int busbw_records_ = 0;
};

}  // namespace railcheck
