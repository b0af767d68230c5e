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

#include "railcheck/record/record_kinds.h"

namespace railcheck {
namespace {

using Clock = std::chrono::steady_clock;

constexpr auto kPollPeriod = std::chrono::milliseconds(20);
constexpr std::size_t kLabelBytes = 112;

// What a rank reports: fixed-size, so it travels as plain bytes.
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

std::vector<std::byte> to_bytes(const Report& report) {
  std::vector<std::byte> bytes(sizeof(Report));
  std::memcpy(bytes.data(), &report, sizeof(Report));
  return bytes;
}

}  // namespace

struct Watchdog::State {
  std::unique_ptr<HeartbeatChannel> channel;
  std::mutex mutex;
  Report current;  // guarded by mutex
  std::atomic<bool> stop{false};
  std::atomic<bool> abandon{false};          // an exception is unwinding: stop at once, drain nothing
  std::atomic<bool> gave_up{false};          // rank 0's thread is ending the job: the deadline thread stays quiet
  Clock::time_point entered = Clock::now();  // guarded by mutex
};

Watchdog::Watchdog(const Bootstrap& bootstrap, WatchdogOptions options,
                   std::function<void(const WatchdogReport&)> report)
    : bootstrap_(bootstrap),
      options_(options),
      report_(std::move(report)),
      uncaught_at_start_(std::uncaught_exceptions()) {
  if (options_.timeout_s <= 0.0) return;
  state_ = std::make_unique<State>();
  state_->channel = bootstrap_.open_heartbeat_channel();
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
  const double grace_s = options_.timeout_s + options_.member_grace_s;
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
      report.timeout_s = options_.timeout_s;
      if (me.rank != 0) {
        const RankInfo& zero = bootstrap_.ranks()[0];
        report.lost.push_back({0, zero.host, zero.pid, "did not end the job", "", -1.0});
      }
      state_->gave_up = true;
      report_(report);
      bootstrap_.end_job(kWatchdogExitCode);
      return;  // in-process: the job is ended, every rank unwinds
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
    return rank.silent_s > options_.silent_after_s && rank.host != own_host;
  });
  const bool defer = unreachable && bootstrap_.launched_by_mpirun_daemons();
  WatchdogReport shown = report;
  if (defer) {
    std::ostringstream note;
    note << "\nrailcheck watchdog: leaving mpirun " << options_.launcher_grace_s
         << " s to notice the lost host and end the job (an abort started first would wait for that host's daemon "
            "for good); aborting after that";
    shown.text += note.str();
  }
  report_(shown);
  if (defer) {
    std::fflush(nullptr);
    std::this_thread::sleep_for(std::chrono::duration<double>(options_.launcher_grace_s));
  }
  bootstrap_.end_job(kWatchdogExitCode);
}

void Watchdog::on_step_begin(const StepInfo& step) {
  if (!state_) return;
  std::lock_guard lock(state_->mutex);
  state_->current.step = step.number;
  state_->current.in_step = 1;
  state_->current.label = {};
  std::strncpy(state_->current.label.data(), step.label.c_str(), kLabelBytes - 1);
  state_->entered = Clock::now();
}

void Watchdog::on_step_end(const StepInfo&) {
  if (!state_) return;
  std::lock_guard lock(state_->mutex);
  state_->current.in_step = 0;
}

void Watchdog::run_member() {
  // Sends its state to rank 0 on every change and every heartbeat period (run_deadline() ends the rank if its
  // own step runs far past the timeout).
  // A report in flight is never waited for (an unreachable rank 0 must not block this thread): post() says so.
  const auto period = std::chrono::duration<double>(options_.heartbeat_period_s);
  Report sent;
  auto last_send = Clock::now() - std::chrono::duration_cast<Clock::duration>(period);
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
    const bool due = stopping || changed || Clock::now() - last_send >= period;
    if (due && state_->channel->post(to_bytes(now_state))) {
      sent = now_state;
      last_send = Clock::now();
    }
    if (stopping && sent.stopping) {
      state_->channel->flush();  // rank 0 drains until every member said it is stopping
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
                        std::uint64_t newest, const std::string& label, double waited_s, const WatchdogOptions& options,
                        const std::string& why) {
  WatchdogReport report;
  report.step = label;
  report.waited_s = waited_s;
  report.timeout_s = options.timeout_s;
  std::ostringstream text;
  text << why << '\n';
  std::vector<LostRank> silent_ranks, behind_ranks;
  for (std::size_t r = 0; r < views.size(); ++r) {
    const RankView& view = views[r];
    const RankInfo& info = ranks[r];
    LostRank lost{static_cast<int>(r), info.host, info.pid, "", view.heard ? view.last.label.data() : "", -1.0};
    if (view.heard) lost.silent_s = r == 0 ? 0.0 : seconds_since(view.last_seen);
    const bool silent = view.heard && lost.silent_s > options.silent_after_s;
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
    while (const auto message = state_->channel->poll()) {
      if (message->bytes.size() != sizeof(Report) || message->source <= 0 || message->source >= size) continue;
      Report report;
      std::memcpy(&report, message->bytes.data(), sizeof(Report));
      report.label.back() = '\0';
      RankView& view = views[static_cast<std::size_t>(message->source)];
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
    // A member not heard from for lost_after_s (before its first report: since the watchdog started) that
    // has not said it is done: its process, host or link is gone, and every step from here on would wait for it
    // until the timeout (or for good, once rank 0 is done and waits for it to stop).
    int silent_rank = -1;
    double silent_s = 0.0;
    for (int r = 1; r < size; ++r) {
      const RankView& view = views[static_cast<std::size_t>(r)];
      const double quiet = seconds_since(view.heard ? view.last_seen : started);
      if (!view.last.stopping && quiet > options_.lost_after_s && quiet > silent_s) {
        silent_rank = r;
        silent_s = quiet;
      }
    }
    const bool timed_out = any && !own_stop_seen && seconds_since(first) > options_.timeout_s;
    if (timed_out || silent_rank >= 0) {
      const double waited_s = any ? seconds_since(first) : 0.0;
      std::ostringstream why;
      if (timed_out) {
        why << "railcheck watchdog: step '" << label << "' has not completed after " << waited_s << " s (timeout "
            << options_.timeout_s << " s).";
      } else {
        const RankInfo& info = bootstrap_.ranks()[static_cast<std::size_t>(silent_rank)];
        why << "railcheck watchdog: rank " << silent_rank << " (" << info.host << ") has not reported for " << silent_s
            << " s (every rank reports every " << options_.heartbeat_period_s
            << " s from a thread of its own: its process, host or link is gone), "
            << (own_stop_seen ? "while rank 0 waits for every rank to finish"
                              : "in step '" + label + "' (timeout " +
                                    std::to_string(static_cast<int>(options_.timeout_s)) + " s, not waited for)")
            << '.';
      }
      give_up(diagnose(views, bootstrap_.ranks(), any && !own_stop_seen, newest, label, waited_s, options_, why.str()));
      return;  // in-process: the job is ended, every rank unwinds
    }
    std::this_thread::sleep_for(kPollPeriod);
  }
}

}  // namespace railcheck
