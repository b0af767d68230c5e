#include "railcheck/run/watchdog.h"

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <mutex>
#include <sstream>
#include <vector>

#include "railcheck/collectives/mpi_call.h"
#include "railcheck/collectives/mpi_comm.h"
#include "railcheck/record/record_kinds.h"

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

nlohmann::json to_json(const WatchdogReport& report) {
  nlohmann::json lost = nlohmann::json::array();
  for (const LostRank& rank : report.lost) {
    lost.push_back({{"rank", rank.rank},
                    {"host", rank.host},
                    {"pid", rank.pid},
                    {"state", rank.state},
                    {"last_step", rank.last_step},
                    {"silent_s", rank.silent_s}});
  }
  return {{"type", line_type_info(LineType::kWatchdog).name},
          {"step", report.step},
          {"reporter", report.reporter},
          {"waited_s", report.waited_s},
          {"timeout_s", report.timeout_s},
          {"lost_ranks", std::move(lost)},
          {"waiting_ranks", report.waiting},
          {"exit_code", kWatchdogExitCode},
          {"text", report.text}};
}

void end_job(int code) {
  std::fflush(nullptr);
  std::thread([code] { MPI_Abort(MPI_COMM_WORLD, code); }).detach();
  std::this_thread::sleep_for(std::chrono::duration<double>(kAbortGraceSeconds));
  std::fprintf(stderr, "railcheck: MPI_Abort did not end the job within %.0f s (a host unreachable?); exiting %d\n",
               kAbortGraceSeconds, code);
  std::fflush(nullptr);
  std::_Exit(code);
}

struct Watchdog::State {
  MpiComm comm;
  std::mutex mutex;
  Report current;  // guarded by mutex
  std::atomic<bool> stop{false};
  std::atomic<bool> abandon{false};          // an exception is unwinding: stop at once, drain nothing
  std::atomic<bool> gave_up{false};          // rank 0's thread is ending the job: the deadline thread stays quiet
  Clock::time_point entered = Clock::now();  // guarded by mutex
};

Watchdog::Watchdog(const Bootstrap& bootstrap, double timeout_s, std::function<void(const WatchdogReport&)> report)
    : bootstrap_(bootstrap),
      timeout_s_(timeout_s),
      mpirun_daemons_(std::getenv("OMPI_MCA_orte_hnp_uri") != nullptr || std::getenv("PRTE_LAUNCHED") != nullptr),
      report_(std::move(report)),
      uncaught_at_start_(std::uncaught_exceptions()) {
  if (timeout_s_ <= 0.0) return;
  state_ = std::make_unique<State>();
  state_->comm = MpiComm::duplicate(bootstrap_.comm());
  thread_ = bootstrap_.rank() == 0 ? std::thread([this] { run_root(); }) : std::thread([this] { run_member(); });
  deadline_ = std::thread([this] { run_deadline(); });
}

Watchdog::~Watchdog() {
  if (!thread_.joinable()) return;
  if (std::uncaught_exceptions() > uncaught_at_start_) state_->abandon = true;
  state_->stop = true;
  thread_.join();
  deadline_.join();
}

void Watchdog::run_deadline() {
  // Rank 0 reports a hang at the timeout; this is the last resort on every rank, MPI or no MPI.
  const double grace_s = timeout_s_ + kMemberGraceSeconds;
  while (!state_->stop.load()) {
    Report now_state;
    Clock::time_point entered;
    {
      std::lock_guard lock(state_->mutex);
      now_state = state_->current;
      entered = state_->entered;
    }
    if (now_state.in_step && seconds_since(entered) > grace_s && !state_->gave_up.load()) {
      const RankInfo& me = bootstrap_.self();
      std::ostringstream text;
      text << "railcheck watchdog: rank " << me.rank << " (" << me.host << ") has been in step '"
           << now_state.label.data() << "' for " << seconds_since(entered)
           << " s and the job was not ended; ending it from here (rank 0 hung, dead or unreachable, or this "
              "host cut off)";
      WatchdogReport report;
      report.text = text.str();
      report.step = now_state.label.data();
      report.reporter = me.rank;
      report.waited_s = seconds_since(entered);
      report.timeout_s = timeout_s_;
      if (me.rank != 0) {
        const RankInfo& zero = bootstrap_.ranks()[0];
        report.lost.push_back({0, zero.host, zero.pid, "did not end the job", "", -1.0});
      }
      report_(report);
      end_job(kWatchdogExitCode);
    }
    std::this_thread::sleep_for(kPollPeriod * 5);
  }
}

void Watchdog::give_up(const WatchdogReport& report) {
  state_->gave_up = true;
  // A silent rank on another host: that host may be cut off (a silent rank on this host has a daemon mpirun
  // can still reach).
  const std::string& own_host = bootstrap_.self().host;
  const bool unreachable = std::any_of(report.lost.begin(), report.lost.end(), [&](const LostRank& rank) {
    return rank.silent_s > kSilentAfterSeconds && rank.host != own_host;
  });
  const bool defer = unreachable && mpirun_daemons_;
  WatchdogReport shown = report;
  if (defer) {
    std::ostringstream note;
    note << "\nrailcheck watchdog: leaving mpirun " << kLauncherGraceSeconds
         << " s to notice the lost host and end the job (an abort started first would wait for that host's daemon "
            "for good); aborting after that";
    shown.text += note.str();
  }
  report_(shown);
  if (defer) {
    std::fflush(nullptr);
    std::this_thread::sleep_for(std::chrono::duration<double>(kLauncherGraceSeconds));
  }
  end_job(kWatchdogExitCode);
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
  // Sends its state to rank 0 on every change and every heartbeat period (run_deadline() ends the rank if its
  // own step runs far past the timeout).
  Report sent;
  Report sending;  // the buffer of the report in flight: an unreachable rank 0 must not block this thread
  MPI_Request request = MPI_REQUEST_NULL;
  auto last_send = Clock::now() - kHeartbeatPeriod;
  while (true) {
    if (state_->abandon.load()) return;
    Report now_state;
    {
      std::lock_guard lock(state_->mutex);
      now_state = state_->current;
    }
    const bool stopping = state_->stop.load();
    now_state.stopping = stopping ? 1 : 0;
    const bool changed = now_state.step != sent.step || now_state.in_step != sent.in_step;
    int idle = 1;
    if (request != MPI_REQUEST_NULL) MPI_Test(&request, &idle, MPI_STATUS_IGNORE);
    if (idle && (stopping || changed || Clock::now() - last_send >= kHeartbeatPeriod)) {
      sending = now_state;
      MPI_Isend(&sending, sizeof(Report), MPI_BYTE, 0, kTag, state_->comm.get(), &request);
      sent = now_state;
      last_send = Clock::now();
    }
    if (stopping && sent.stopping) {
      MPI_Wait(&request, MPI_STATUS_IGNORE);  // rank 0 drains until every member said it is stopping
      return;
    }
    std::this_thread::sleep_for(kPollPeriod);
  }
}

namespace {

// The diagnosis when step `newest` (label `label`, entered `waited_s` ago) is given up on: the ranks not
// inside it and the ranks inside it that stopped reporting; when some went silent, they are the lost ones and
// the others behind them are alive and most likely waiting on them (a ring neighbour of a host whose link is
// down). `why` opens the text.
WatchdogReport diagnose(const std::vector<RankView>& views, const std::vector<RankInfo>& ranks, bool in_a_step,
                        std::uint64_t newest, const std::string& label, double waited_s, double timeout_s,
                        const std::string& why) {
  WatchdogReport report;
  report.step = label;
  report.waited_s = waited_s;
  report.timeout_s = timeout_s;
  std::ostringstream text;
  text << why << '\n';
  std::vector<LostRank> silent_ranks, behind_ranks;
  for (std::size_t r = 0; r < views.size(); ++r) {
    const RankView& view = views[r];
    const RankInfo& info = ranks[r];
    LostRank lost{static_cast<int>(r), info.host, info.pid, "", view.heard ? view.last.label.data() : "", -1.0};
    if (view.heard) lost.silent_s = r == 0 ? 0.0 : seconds_since(view.last_seen);
    const bool silent = view.heard && lost.silent_s > kSilentAfterSeconds;
    const bool inside = in_a_step && view.last.in_step && view.last.step == newest;
    if (!view.heard) {
      lost.state = "never reported";
    } else if (inside) {
      if (!silent) continue;  // inside the step and still reporting: waiting on someone else
      lost.state = "stopped reporting inside the step (process dead, host hung or its link down)";
    } else if (view.last.stopping) {
      continue;  // done with the run
    } else if (view.last.in_step) {
      lost.state = in_a_step ? "inside an older step" : "inside a step";
    } else if (view.last.label[0] == '\0') {
      lost.state = "has not started its first step";
    } else if (!in_a_step) {
      if (!silent) continue;
      lost.state = "between steps";
    } else {
      lost.state = "finished its last step and has not entered this one";
    }
    if (silent && !inside) lost.state += "; stopped reporting";
    (silent || !view.heard ? silent_ranks : behind_ranks).push_back(std::move(lost));
  }
  report.lost = silent_ranks.empty() ? behind_ranks : silent_ranks;
  if (!silent_ranks.empty()) {
    for (const LostRank& rank : behind_ranks) report.waiting.push_back(rank.rank);
  }
  text << "railcheck watchdog: lost ranks:";
  for (const LostRank& lost : report.lost) text << ' ' << lost.rank;
  if (report.lost.empty()) text << " none (every rank is inside the step and still reporting)";
  text << '\n';
  for (const LostRank& lost : report.lost) {
    text << "  rank " << lost.rank << " (" << lost.host << ", pid " << lost.pid << "): " << lost.state;
    if (!lost.last_step.empty()) text << "; last step '" << lost.last_step << "'";
    if (lost.silent_s >= 0.0) text << "; last heard " << lost.silent_s << " s ago";
    text << '\n';
  }
  if (!report.waiting.empty()) {
    text << "railcheck watchdog: also behind but still reporting (waiting on the lost ranks):";
    for (int rank : report.waiting) text << ' ' << rank << " (" << ranks[static_cast<std::size_t>(rank)].host << ")";
    text << '\n';
  }
  if (report.lost.empty()) {
    text << "railcheck watchdog: next: the step is slower than the timeout on every rank: a very slow link or "
            "GPU; re-run with a larger -T to measure it, or bisect; aborting the job";
  } else {
    text << "railcheck watchdog: next: look at the lost ranks' hosts (link state, dmesg, GPU/NIC state), "
            "re-run with those hosts excluded to confirm; aborting the job";
  }
  report.text = text.str();
  return report;
}

}  // namespace

void Watchdog::run_root() {
  const int size = bootstrap_.size();
  const Clock::time_point started = Clock::now();
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
      if (report.stopping && !view.last.stopping) ++stopped_members;
      view.last = report;
      view.last_seen = Clock::now();
      view.heard = true;
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
    if (state_->abandon.load()) return;
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
    Clock::time_point first = Clock::now();
    std::string label;
    if (any) {
      for (const RankView& view : views) {
        if (view.heard && view.last.in_step && view.last.step == newest && view.entered < first) {
          first = view.entered;
          label = view.last.label.data();
        }
      }
    } else {
      label = std::string("between steps, after '") + views[0].last.label.data() + "'";
    }
    // A member not heard from for kLostAfterSeconds (before its first report: since the watchdog started) that
    // has not said it is done: its process, host or link is gone, and every step from here on would wait for it
    // until the timeout (or for good, once rank 0 is done and waits for it to stop).
    int silent_rank = -1;
    double silent_s = 0.0;
    for (int r = 1; r < size; ++r) {
      const RankView& view = views[static_cast<std::size_t>(r)];
      const double quiet = seconds_since(view.heard ? view.last_seen : started);
      if (!view.last.stopping && quiet > kLostAfterSeconds && quiet > silent_s) {
        silent_rank = r;
        silent_s = quiet;
      }
    }
    const bool timed_out = any && !own_stop_seen && seconds_since(first) > timeout_s_;
    if (timed_out || silent_rank >= 0) {
      const double waited_s = any ? seconds_since(first) : 0.0;
      std::ostringstream why;
      if (timed_out) {
        why << "railcheck watchdog: step '" << label << "' has not completed after " << waited_s << " s (timeout "
            << timeout_s_ << " s).";
      } else {
        const RankInfo& info = bootstrap_.ranks()[static_cast<std::size_t>(silent_rank)];
        why << "railcheck watchdog: rank " << silent_rank << " (" << info.host << ") has not reported for " << silent_s
            << " s (every rank reports every 0.2 s from a thread of its own: its process, host or link is gone), "
            << (own_stop_seen ? "while rank 0 waits for every rank to finish"
                              : "in step '" + label + "' (timeout " + std::to_string(static_cast<int>(timeout_s_)) +
                                    " s, not waited for)")
            << '.';
      }
      give_up(
          diagnose(views, bootstrap_.ranks(), any && !own_stop_seen, newest, label, waited_s, timeout_s_, why.str()));
    }
    std::this_thread::sleep_for(kPollPeriod);
  }
}

}  // namespace railcheck
