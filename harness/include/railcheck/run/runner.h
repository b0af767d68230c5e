// Runs collective sweeps the way nccl-tests does (warm-up, timed loop, check passes) and turns each size and
// placement into a record with every rank's own timing, streamed to the run's sink on rank 0.
#pragma once

#include "railcheck/plan/test_spec.h"
#include "railcheck/run/run_context.h"

namespace railcheck {

struct RunnerOptions {
  bool record_samples = false;  ///< keep each rank's raw per-iteration times in the records
};

/// Collective over the context's world.
class Runner {
 public:
  /// Records go to the context's sink on rank 0. Each warm-up and each measured size and placement is a step
  /// of the context's steps. The context's references must outlive the runner.
  Runner(const RunContext& context, RunnerOptions options);

  /// Runs one test as nccl-tests' TimeTest does, per root (every rank in turn with root -1): the warm-up (-w
  /// out-of-place calls at min, 2 min, 4 min ... max), then the size sweep `cycles` times, each size's
  /// timed loop after one untimed call and a barrier. Records stream to the sink as each size completes.
  /// Throws Error on backend failure and InputError when the spec cannot run here (validated against the
  /// communicator size first).
  void run(const CollectiveTestSpec& spec);

 private:
  struct Placed;
  void warm_up_sweep(const CollectiveTestSpec& spec);
  void run_size(const CollectiveTestSpec& spec, std::size_t size_bytes);
  void measure(const CollectiveTestSpec& spec, const Placed& placed, std::size_t size_bytes);
  /// Check passes: fresh inputs, one call each, outputs compared with the independently computed results.
  /// The wrong elements of the first pass that found any (every rank stops there), else of the last pass;
  /// -1 when the spec checks nothing.
  std::int64_t check(const CollectiveTestSpec& spec, const Placed& placed);
  /// Whether `placed` is checked: -c above 0, and a defined result (an in-place all_to_all on NCCL is timed
  /// only, as nccl-tests does).
  bool checks(const CollectiveTestSpec& spec, const Placed& placed) const;

  const Bootstrap& bootstrap_;
  Collective& collective_;
  Steps& steps_;
  OutputSink& sink_;
  RunnerOptions options_;
};

}  // namespace railcheck
