#include "railcheck/watchdog.h"

#include <array>
#include <chrono>
#include <cstring>
#include <mutex>
#include <sstream>
#include <vector>

#include "railcheck/collectives/mpi_call.h"
#include "railcheck/collectives/mpi_comm.h"

namespace railcheck {
namespace {

using Clock = std::chrono::steady_clock;

constexpr auto kHeartbeatPeriod = std::chrono::milliseconds(200);
constexpr auto kPollPeriod = std::chrono::milliseconds(20);
constexpr int kTag = 4242;
constexpr std::size_t kLabelBytes = 112;

// What a rank reports: fixed-size so it travels as MPI_BYTE.
struct Report {
  std::uint64_t step = 0;
  std::uint32_t in_step = 0;
  std::uint32_t stopping = 0;
  std::array<char, kLabelBytes> label{};
};

struct RankView {
  Report last;
  Clock::time_point last_seen{};
  Clock::time_point entered{};
  bool heard = false;
};

double seconds_since(Clock::time_point then) { return std::chrono::duration<double>(Clock::now() - then).count(); }

}  // namespace

struct Watchdog::State {
  MpiComm comm;
  std::mutex mutex;
  Report current;  // guarded by mutex
  std::atomic<bool> stop{false};
  Clock::time_point entered = Clock::now();  // guarded by mutex
};

Watchdog::Watchdog(const Bootstrap& bootstrap, double timeout_s, std::function<void(const std::string&)> report)
    : bootstrap_(bootstrap), timeout_s_(timeout_s), report_(std::move(report)) {
  if (timeout_s_ <= 0.0) return;
  state_ = std::make_unique<State>();
  state_->comm = MpiComm::duplicate(bootstrap_.comm());
  thread_ = bootstrap_.rank() == 0 ? std::thread([this] { run_root(); }) : std::thread([this] { run_member(); });
}

Watchdog::~Watchdog() {
  if (!thread_.joinable()) return;
  state_->stop = true;
  thread_.join();
}

void Watchdog::begin(std::uint64_t step, const std::string& label) {
  if (!state_) return;
  std::lock_guard lock(state_->mutex);
  state_->current.step = step;
  state_->current.in_step = 1;
  state_->current.label = {};
  std::strncpy(state_->current.label.data(), label.c_str(), kLabelBytes - 1);
  state_->entered = Clock::now();
}

void Watchdog::end() {
  if (!state_) return;
  std::lock_guard lock(state_->mutex);
  state_->current.in_step = 0;
}

void Watchdog::run_member() {
  // Sends its state to rank 0 on every change and every heartbeat period; aborts alone if its own step has
  // run far past the timeout (rank 0 would have reported a missing rank by then unless rank 0 is the problem).
  Report sent;
  auto last_send = Clock::now() - kHeartbeatPeriod;
  const double grace_s = timeout_s_ * 1.5 + 5.0;
  while (true) {
    Report now_state;
    Clock::time_point entered;
    {
      std::lock_guard lock(state_->mutex);
      now_state = state_->current;
      entered = state_->entered;
    }
    const bool stopping = state_->stop.load();
    now_state.stopping = stopping ? 1 : 0;
    const bool changed = now_state.step != sent.step || now_state.in_step != sent.in_step;
    if (stopping || changed || Clock::now() - last_send >= kHeartbeatPeriod) {
      MPI_Send(&now_state, sizeof(Report), MPI_BYTE, 0, kTag, state_->comm.get());
      sent = now_state;
      last_send = Clock::now();
    }
    if (stopping) return;
    if (now_state.in_step && seconds_since(entered) > grace_s) {
      const RankInfo& me = bootstrap_.self();
      std::ostringstream text;
      text << "railcheck watchdog: rank " << me.rank << " (" << me.host << ") has been in step '"
           << now_state.label.data() << "' for " << seconds_since(entered)
           << " s and rank 0 has not reported; aborting (rank 0 may be the hung or dead rank)";
      report_(text.str());
      MPI_Abort(MPI_COMM_WORLD, kWatchdogExitCode);
    }
    std::this_thread::sleep_for(kPollPeriod);
  }
}

void Watchdog::run_root() {
  const int size = bootstrap_.size();
  std::vector<RankView> views(static_cast<std::size_t>(size));
  int stopped_members = 0;
  bool own_stop_seen = false;
  while (true) {
    // Drain every report that has arrived.
    int flag = 1;
    while (flag) {
      MPI_Status status;
      MPI_Iprobe(MPI_ANY_SOURCE, kTag, state_->comm.get(), &flag, &status);
      if (!flag) break;
      Report report;
      MPI_Recv(&report, sizeof(Report), MPI_BYTE, status.MPI_SOURCE, kTag, state_->comm.get(), MPI_STATUS_IGNORE);
      RankView& view = views[static_cast<std::size_t>(status.MPI_SOURCE)];
      if (report.in_step && (!view.last.in_step || view.last.step != report.step || !view.heard)) {
        view.entered = Clock::now();
      }
      view.last = report;
      view.last_seen = Clock::now();
      view.heard = true;
      if (report.stopping) ++stopped_members;
    }
    {
      std::lock_guard lock(state_->mutex);
      RankView& own = views[0];
      if (state_->current.in_step && (!own.last.in_step || own.last.step != state_->current.step || !own.heard)) {
        own.entered = state_->entered;
      }
      own.last = state_->current;
      own.last_seen = Clock::now();
      own.heard = true;
    }
    if (state_->stop.load()) own_stop_seen = true;
    if (own_stop_seen && stopped_members >= size - 1) return;

    // The newest step any rank is inside, and how long since the first rank entered it.
    bool any = false;
    std::uint64_t newest = 0;
    for (const RankView& view : views) {
      if (view.heard && view.last.in_step && (!any || view.last.step > newest)) {
        newest = view.last.step;
        any = true;
      }
    }
    if (any && !own_stop_seen) {
      Clock::time_point first = Clock::now();
      std::string label;
      for (const RankView& view : views) {
        if (view.heard && view.last.in_step && view.last.step == newest && view.entered < first) {
          first = view.entered;
          label = view.last.label.data();
        }
      }
      if (seconds_since(first) > timeout_s_) {
        std::ostringstream text;
        text << "railcheck watchdog: step '" << label << "' has not completed after " << seconds_since(first)
             << " s (timeout " << timeout_s_ << " s).\n";
        std::vector<int> missing;
        for (int r = 0; r < size; ++r) {
          const RankView& view = views[static_cast<std::size_t>(r)];
          if (!(view.heard && view.last.in_step && view.last.step == newest)) missing.push_back(r);
        }
        text << "railcheck watchdog: missing ranks:";
        for (int r : missing) text << ' ' << r;
        text << '\n';
        for (int r : missing) {
          const RankView& view = views[static_cast<std::size_t>(r)];
          const RankInfo& info = bootstrap_.ranks()[static_cast<std::size_t>(r)];
          text << "  rank " << r << " (" << info.host << ", pid " << info.pid << "): ";
          if (!view.heard) {
            text << "never reported";
          } else {
            if (view.last.in_step) {
              text << "inside older step '" << view.last.label.data() << "'";
            } else if (view.last.label[0] == '\0') {
              text << "has not started its first step";
            } else {
              text << "finished step '" << view.last.label.data() << "' and has not entered the next";
            }
            text << "; last heartbeat " << seconds_since(view.last_seen) << " s ago";
            if (seconds_since(view.last_seen) > 10 * std::chrono::duration<double>(kHeartbeatPeriod).count()) {
              text << " (no heartbeat: process dead or hung hard)";
            }
          }
          text << '\n';
        }
        text << "railcheck watchdog: next: look at the missing ranks' hosts (dmesg, GPU/NIC state), re-run with "
                "those hosts excluded to confirm; aborting the job";
        report_(text.str());
        MPI_Abort(MPI_COMM_WORLD, kWatchdogExitCode);
      }
    }
    std::this_thread::sleep_for(kPollPeriod);
  }
}

}  // namespace railcheck
