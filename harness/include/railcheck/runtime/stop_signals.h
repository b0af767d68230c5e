// SIGTERM and SIGINT (a Slurm time limit or scancel, a Kubernetes eviction, Ctrl-C) as a request to stop at the
// next safe point instead of dying mid-measurement, for as long as a StopSignals lives.
#pragma once

#include <csignal>

namespace railcheck {

/// Installs handlers for SIGTERM and SIGINT that only note the signal; the destructor puts the previous
/// handlers back. One per process at a time (a handler can reach static storage only: the flag is the one
/// piece of process-wide state, written by the handler and read here).
class StopSignals {
 public:
  StopSignals();
  ~StopSignals();
  StopSignals(const StopSignals&) = delete;
  StopSignals& operator=(const StopSignals&) = delete;

  /// The signal that asked to stop (SIGTERM, SIGINT), or 0.
  int requested() const;

 private:
  struct sigaction previous_term_ {};
  struct sigaction previous_int_ {};
};

}  // namespace railcheck
