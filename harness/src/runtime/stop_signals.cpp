#include "railcheck/runtime/stop_signals.h"

#include <atomic>
#include <csignal>

namespace railcheck {
namespace {

std::atomic<int> stop_signal{0};  // async-signal-safe: lock-free
static_assert(std::atomic<int>::is_always_lock_free);

extern "C" void note_stop_signal(int signal) { stop_signal.store(signal); }

}  // namespace

StopSignals::StopSignals() {
  stop_signal.store(0);
  struct sigaction action {};
  action.sa_handler = note_stop_signal;
  sigemptyset(&action.sa_mask);
  action.sa_flags = SA_RESTART;  // blocking calls (MPI, sockets) go on; the loop looks at the flag
  sigaction(SIGTERM, &action, &previous_term_);
  sigaction(SIGINT, &action, &previous_int_);
}

StopSignals::~StopSignals() {
  sigaction(SIGTERM, &previous_term_, nullptr);
  sigaction(SIGINT, &previous_int_, nullptr);
}

int StopSignals::requested() const { return stop_signal.load(); }

}  // namespace railcheck
