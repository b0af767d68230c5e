// The run's steps, announced to whoever watches them: the runner, the bisection and the p2p rounds open a
// step for each piece of work that waits on other ranks (communicator set-up, a warm-up, one size of one
// test, one round), and the observers attached here (the watchdog, a progress display, later a telemetry
// sampler) hear about it; measurement code never calls them directly.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace railcheck {

enum class StepKind {
  kSetup,    ///< communicator or transport set-up, plan exchange
  kWarmup,   ///< untimed calls before a size is measured (NCCL connects lazily here)
  kMeasure,  ///< one size and placement of a collective test: timed loop, checks, gather
  kRound,    ///< one bisection or p2p round
};
std::string_view name_of(StepKind kind);

struct StepInfo {
  std::uint64_t number = 0;  ///< 1, 2, ...: the same sequence on every rank
  StepKind kind = StepKind::kSetup;
  std::string label;  ///< "all_reduce 1048576B out", "p2p first round 3"
};

/// Hears about this rank's steps. Called on the rank's main thread, in the order observers were attached:
/// each hook must return quickly and never wait for another rank (the watchdog copies the step into its own
/// thread's state). Hooks do not throw.
class StepObserver {
 public:
  virtual ~StepObserver() = default;
  /// The main thread enters `step`.
  virtual void on_step_begin(const StepInfo& step) { (void)step; }
  /// The main thread left `step` (completed or unwinding).
  virtual void on_step_end(const StepInfo& step) { (void)step; }
  /// Inside `step`, between its phases (warm-up done, timed loop done, a check pass done); never inside timing.
  virtual void on_heartbeat(const StepInfo& step) { (void)step; }
};

/// One rank's step sequence. Not thread-safe: the rank's main thread announces; observers are not owned and
/// must outlive it.
class Steps {
 public:
  void attach(StepObserver& observer) { observers_.push_back(&observer); }

  /// An open step: ends (on_step_end) when it goes out of scope.
  class Scope {
   public:
    Scope(const Scope&) = delete;
    Scope& operator=(const Scope&) = delete;
    ~Scope() { steps_.end(number_); }

   private:
    friend class Steps;
    Scope(Steps& steps, std::uint64_t number) : steps_(steps), number_(number) {}
    Steps& steps_;
    std::uint64_t number_;
  };

  /// Opens the next step. Steps do not nest: a step opened while another is open ends that one first (and
  /// the older scope then ends nothing).
  [[nodiscard]] Scope begin(StepKind kind, std::string label);
  /// Tells observers the open step made progress (nothing when no step is open).
  void heartbeat();
  /// The open step, if any.
  const std::optional<StepInfo>& current() const { return current_; }

 private:
  void end(std::uint64_t number);
  std::vector<StepObserver*> observers_;
  std::uint64_t last_number_ = 0;
  std::optional<StepInfo> current_;
};

}  // namespace railcheck
