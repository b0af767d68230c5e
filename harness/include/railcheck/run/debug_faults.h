// Faults injected on purpose to test the harness itself (the --debug-* flags), kept out of the measurement
// code: a Collective decorator for slow and corrupting ranks, and a step observer for a hung rank.
#pragma once

#include <memory>

#include "railcheck/collectives/collective.h"
#include "railcheck/run/steps.h"
#include "railcheck/runtime/bootstrap.h"

namespace railcheck {

/// All off by default.
struct DebugFaults {
  int corrupt_rank = -1;   ///< this rank's check output is corrupted (kCorruptedElements) after each check pass
  int flip_bit_rank = -1;  ///< one element of this rank's check output has its lowest bit flipped
  int hang_rank = -1;      ///< this rank stops before its first measurement step, as a hung GPU or process would
  int slow_rank = -1;      ///< this rank sleeps slow_ms after each collective call, as a slow GPU would
  double slow_ms = 2.0;
  int pretend_gpu_rank = -1;  ///< this rank reports one usable CUDA device (testing --backend auto's rule)
};

/// Elements a corrupting rank spoils in each downloaded result.
inline constexpr std::size_t kCorruptedElements = 8;

/// `collective` itself when no fault applies to `world_rank`; else a decorator that sleeps after every run()
/// (slow_rank), corrupts kCorruptedElements of every download() (corrupt_rank) or flips the lowest bit of
/// its middle element (flip_bit_rank), in sub-groups split from it too.
std::unique_ptr<Collective> with_debug_faults(std::unique_ptr<Collective> collective, const DebugFaults& faults,
                                              int world_rank);

/// On hang_rank, holds the main thread at the first measurement step, before the observers attached after it
/// (the watchdog) hear of that step: the rank never arrives, as a hung one would. It lets go only when the job
/// was ended (in-process runs; an MPI job ends with the process).
class HangFault final : public StepObserver {
 public:
  HangFault(const DebugFaults& faults, const Bootstrap& bootstrap) : faults_(faults), bootstrap_(bootstrap) {}
  void on_step_begin(const StepInfo& step) override;

 private:
  const DebugFaults& faults_;
  const Bootstrap& bootstrap_;
};

}  // namespace railcheck
