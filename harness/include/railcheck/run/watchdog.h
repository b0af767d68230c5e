// Catches a hung step and names the ranks it lost.
//
// Every rank runs a thread that reports (heartbeats, every 200 ms), over its own duplicate of MPI_COMM_WORLD,
// which step (communicator set-up, a warm-up, one test case at one size, a bisection or p2p round) its main
// thread is in. Rank 0's thread keeps the table; when a step has run past the timeout, or a rank has been
// silent for kLostAfterSeconds, it names the ranks that never arrived in the step and the ranks it stopped
// hearing from (host, pid, last step, seconds since last heard), hands that report to the caller (console
// and a final results record), and ends the job: MPI_Abort from a helper thread, and if the process is still
// alive kAbortGraceSeconds later (MPI_Abort cannot reach a host whose link is down) it exits by itself with
// kWatchdogExitCode. A member rank whose own step runs kMemberGraceSeconds past the timeout (rank 0 lost or
// unreachable) ends itself the same way.
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
#include "railcheck/runtime/bootstrap.h"

namespace railcheck {

/// How long after MPI_Abort a process that is still alive exits on its own.
inline constexpr double kAbortGraceSeconds = 5.0;
/// How long past the timeout a member rank inside a step waits for rank 0's abort before ending itself.
inline constexpr double kMemberGraceSeconds = 10.0;
/// How long rank 0 leaves Open MPI's mpirun to end the job itself when a lost rank on another host is silent
/// (that host perhaps unreachable): an abort started before mpirun has noticed the lost daemon makes mpirun wait for
/// that daemon for good (its kill order sits unacknowledged on the daemon's TCP connection, which keepalive never
/// probes); mpirun's own detection (oob_tcp_keepalive_*) ends the job and names the host. Other launchers (srun) are
/// not waited for.
inline constexpr double kLauncherGraceSeconds = 20.0;
/// A rank not heard from for this long is "lost" (process dead, host hung or its link down).
inline constexpr double kSilentAfterSeconds = 5.0;
/// A rank silent this long ends the job at once, whatever the step's timeout: its reports come from a thread
/// of their own every 200 ms, whatever its step does, so that much silence means its process, host or link
/// is gone, and the job would otherwise wait out the timeout (and the launcher may end it first, unnamed).
inline constexpr double kLostAfterSeconds = 10.0;

/// One rank the watchdog lost: never arrived in the stuck step, or stopped reporting.
struct LostRank {
  int rank = 0;
  std::string host;
  int pid = 0;
  std::string state;       ///< "never reported", "stopped reporting", "outside the step", ...
  std::string last_step;   ///< the last step it reported ("" none)
  double silent_s = -1.0;  ///< seconds since it was last heard (-1: never heard)
};

/// What the watchdog saw when it ended a job.
struct WatchdogReport {
  std::string text;       ///< the multi-line diagnosis for the console
  std::string step;       ///< the step that did not complete
  int reporter = 0;       ///< the rank that wrote it (0, or a member that lost rank 0)
  double waited_s = 0.0;  ///< how long the step had run
  double timeout_s = 0.0;
  std::vector<LostRank> lost;  ///< the ranks it stopped hearing from (or, when none is silent, those behind)
  std::vector<int> waiting;    ///< ranks behind the step but still reporting while others went silent
};
/// The results.jsonl line for a report: {"type": "watchdog", ...} (results-schema: stream_watchdog).
nlohmann::json to_json(const WatchdogReport& report);

/// Ends this process's job: MPI_Abort(code) on a helper thread, then std::_Exit(code) after
/// kAbortGraceSeconds if the process is still alive. Never returns.
[[noreturn]] void end_job(int code);

class Watchdog {
 public:
  /// Collective over the world. timeout_s <= 0 disables the watchdog (no thread, no messages).
  /// `report` receives the diagnosis on the rank that detects the hang, before the job is ended (end_job).
  Watchdog(const Bootstrap& bootstrap, double timeout_s, std::function<void(const WatchdogReport&)> report);
  Watchdog(const Watchdog&) = delete;
  Watchdog& operator=(const Watchdog&) = delete;
  /// Collective: every rank stops its thread; rank 0 drains the last reports. When an exception is unwinding
  /// through it, nothing is waited for (the caller ends the job with the exception's message).
  ~Watchdog();

  /// This rank's main thread enters step `step` (increasing), described by `label` (test, size, placement).
  void begin(std::uint64_t step, const std::string& label);
  /// This rank's main thread has completed the current step.
  void end();

  bool enabled() const { return thread_.joinable(); }

  /// A step as an RAII scope: begin() now, end() when it goes out of scope.
  class Scope {
   public:
    Scope(Watchdog& watchdog, std::uint64_t step, const std::string& label) : watchdog_(watchdog) {
      watchdog_.begin(step, label);
    }
    Scope(const Scope&) = delete;
    Scope& operator=(const Scope&) = delete;
    ~Scope() { watchdog_.end(); }

   private:
    Watchdog& watchdog_;
  };

 private:
  struct State;
  void run_root();
  void run_member();
  void run_deadline();
  /// Hands `report` to the caller and ends the job (after kLauncherGraceSeconds when the report names a silent
  /// rank and mpirun's daemons launched the job).
  [[noreturn]] void give_up(const WatchdogReport& report);

  const Bootstrap& bootstrap_;
  double timeout_s_;
  bool mpirun_daemons_;  ///< launched by Open MPI's mpirun (ORTE / PRRTE daemons): see kLauncherGraceSeconds
  std::function<void(const WatchdogReport&)> report_;
  int uncaught_at_start_ = 0;
  std::unique_ptr<State> state_;
  std::thread thread_;
  std::thread deadline_;  ///< calls no MPI: ends this rank when its own step runs far past the timeout, even
                          ///< when the reporting thread is stuck inside MPI behind a cut-off host
};

}  // namespace railcheck
