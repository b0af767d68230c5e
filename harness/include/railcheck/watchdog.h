// Catches a hung collective and names the ranks that never arrived.
//
// Every rank runs a thread that reports, over its own duplicate of MPI_COMM_WORLD, which step (one test case
// at one size) its main thread is in. Rank 0's thread keeps the table; when some ranks have been inside step
// k for longer than the timeout while others are not in it, it prints which ranks are missing, with their
// hosts and last known step, and aborts the job (MPI_Abort, exit code 3). A rank whose rank 0 has gone quiet
// aborts on its own after a grace period, saying so.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <thread>

#include "railcheck/bootstrap.h"

namespace railcheck {

/// Exit code of a run aborted by the watchdog.
inline constexpr int kWatchdogExitCode = 3;

class Watchdog {
 public:
  /// Collective over the world. timeout_s <= 0 disables the watchdog (no thread, no messages).
  /// `report` receives the multi-line diagnosis (on the rank that detects the hang) before the abort.
  Watchdog(const Bootstrap& bootstrap, double timeout_s, std::function<void(const std::string&)> report);
  Watchdog(const Watchdog&) = delete;
  Watchdog& operator=(const Watchdog&) = delete;
  /// Collective: every rank stops its thread; rank 0 drains the last reports.
  ~Watchdog();

  /// This rank's main thread enters step `step` (increasing), described by `label` (test, size, placement).
  void begin(std::uint64_t step, const std::string& label);
  /// This rank's main thread has completed the current step.
  void end();

  bool enabled() const { return thread_.joinable(); }

 private:
  struct State;
  void run_root();
  void run_member();

  const Bootstrap& bootstrap_;
  double timeout_s_;
  std::function<void(const std::string&)> report_;
  std::unique_ptr<State> state_;
  std::thread thread_;
};

}  // namespace railcheck
