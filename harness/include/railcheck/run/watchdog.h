// Catches a hung step and names the ranks it lost.
//
// Every rank runs a thread that reports (heartbeats, every 200 ms), over the bootstrap's heartbeat channel,
// which step (communicator set-up, a warm-up, one test case at one size, a bisection or p2p round) its main
// thread is in: the watchdog is a StepObserver of the rank's Steps. Rank 0's thread keeps the table; when a
// step has run past the timeout, or a rank has been silent for lost_after_s, it names the ranks that never
// arrived in the step and the ranks it stopped hearing from (host, pid, last step, seconds since last heard),
// hands that report to the caller (console and a final results record), and ends the job through the
// bootstrap (Bootstrap::end_job: MPI_Abort, or every in-process rank's calls throwing JobEnded). A member rank
// whose own step runs member_grace_s past the timeout (rank 0 lost or unreachable) ends the job the same way,
// from a thread that calls no MPI.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "railcheck/core/exit_codes.h"
#include "railcheck/record/watchdog_report.h"
#include "railcheck/run/steps.h"
#include "railcheck/runtime/bootstrap.h"

namespace railcheck {

/// When the watchdog gives up. The defaults are production's; in-process tests shorten them.
struct WatchdogOptions {
  double timeout_s = 600.0;  ///< a step running longer ends the job (-T); <= 0 disables the watchdog
  /// A rank not heard from for this long is "lost" (process dead, host hung or its link down) in a report.
  double silent_after_s = 5.0;
  /// A rank silent this long ends the job at once, whatever the step's timeout: its reports come from a thread
  /// of their own every heartbeat_period_s, whatever its step does, so that much silence means its process,
  /// host or link is gone, and the job would otherwise wait out the timeout (and the launcher may end it
  /// first, unnamed).
  double lost_after_s = 10.0;
  /// How long past the timeout a member rank inside a step waits for rank 0 to end the job before ending it.
  double member_grace_s = 10.0;
  /// How long rank 0 leaves Open MPI's mpirun to end the job itself when a lost rank on another host is
  /// silent (that host perhaps unreachable): an abort started before mpirun has noticed the lost daemon makes
  /// mpirun wait for that daemon for good (its kill order sits unacknowledged on the daemon's TCP connection,
  /// which keepalive never probes); mpirun's own detection (oob_tcp_keepalive_*) ends the job and names the
  /// host. Other launchers (srun) are not waited for.
  double launcher_grace_s = 20.0;
  double heartbeat_period_s = 0.2;  ///< how often every rank reports, step change or not
};

class Watchdog final : public StepObserver {
 public:
  /// Collective over the world (opens the heartbeat channel). options.timeout_s <= 0 disables the watchdog
  /// (no thread, no messages). `report` receives the diagnosis on the rank that detects the hang (from the
  /// watchdog's thread, while the main thread may be stuck anywhere), before the job is ended.
  Watchdog(const Bootstrap& bootstrap, WatchdogOptions options, std::function<void(const WatchdogReport&)> report);
  Watchdog(const Watchdog&) = delete;
  Watchdog& operator=(const Watchdog&) = delete;
  /// Collective: every rank stops its thread; rank 0 drains the last reports. When an exception is unwinding
  /// through it, nothing is waited for (the caller ends the job with the exception's message).
  ~Watchdog() override;

  void on_step_begin(const StepInfo& step) override;
  void on_step_end(const StepInfo& step) override;

  bool enabled() const { return thread_.joinable(); }

 private:
  struct State;
  void run_root();
  void run_member();
  void run_deadline();
  /// Hands `report` to the caller and ends the job (after launcher_grace_s when the report names a silent
  /// rank and mpirun's daemons launched the job).
  void give_up(const WatchdogReport& report);

  const Bootstrap& bootstrap_;
  WatchdogOptions options_;
  std::function<void(const WatchdogReport&)> report_;
  int uncaught_at_start_ = 0;
  std::unique_ptr<State> state_;
  std::thread thread_;
  std::thread deadline_;  ///< calls no MPI: ends the job when this rank's own step runs far past the timeout,
                          ///< even when the reporting thread is stuck inside MPI behind a cut-off host
};

}  // namespace railcheck
