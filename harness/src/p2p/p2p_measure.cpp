#include "railcheck/p2p/p2p_measure.h"

#include <algorithm>
#include <chrono>
#include <cstring>
#include <deque>
#include <optional>

#include "railcheck/core/error.h"
#include "railcheck/p2p/stream_peak.h"

namespace railcheck {
namespace {

using Clock = std::chrono::steady_clock;

Clock::time_point after(double seconds) {
  return Clock::now() + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(seconds));
}

double unix_now() { return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count(); }

}  // namespace

PairBuffers::PairBuffers(Endpoint& endpoint, std::size_t data_bytes)
    : data_(std::max<std::size_t>(data_bytes, 1)), ctrl_(16) {
  for (std::size_t i = 0; i < data_.size(); ++i) data_[i] = std::byte(i & 0xff);
  data_region_ = endpoint.register_memory(data_.data(), data_.size());
  out_region_ = endpoint.register_memory(ctrl_.data(), 8);
  in_region_ = endpoint.register_memory(ctrl_.data() + 8, 8);
}

namespace {

// Post and completion times of this side's operations, kept when a peak can be computed from them.
class PeakClock {
 public:
  PeakClock(const Endpoint& endpoint, long operations, Clock::time_point start)
      : on_(endpoint.completes_on_delivery() && operations > 0 && operations <= kPeakMaxOperations), start_(start) {
    if (!on_) return;
    times_.posted.reserve(static_cast<std::size_t>(operations));
    times_.completed.reserve(static_cast<std::size_t>(operations));
  }
  void posted() {
    if (on_) times_.posted.push_back(since_start());
  }
  void completed() {
    if (on_) times_.completed.push_back(since_start());
  }
  std::optional<double> peak() const { return on_ ? peak_seconds_per_operation(times_) : std::nullopt; }

 private:
  double since_start() const { return std::chrono::duration<double>(Clock::now() - start_).count(); }
  bool on_;
  Clock::time_point start_;
  OperationTimes times_;
};

std::string stall_message(const Endpoint& endpoint, const StreamPlan& plan, const std::string& progress) {
  return "no progress with peer " + endpoint.peer() + " for " + std::to_string(plan.stall_s) + " s: " + progress +
         " of " + std::to_string(plan.bytes) + " bytes";
}

// send: message n of one side fills receive n of the other; acknowledgements follow the data.
StreamTiming two_sided_stream(Endpoint& endpoint, PairBuffers& buffers, const StreamPlan& plan) {
  StreamTiming timing;
  timing.start_unix_s = unix_now();
  const auto start = Clock::now();
  const long sends = plan.mine, recvs = plan.theirs;
  PeakClock peak(endpoint, sends, start);
  std::deque<RequestId> sq, rq;
  long s_posted = 0, s_done = 0, r_posted = 0, r_done = 0;
  std::optional<RequestId> ack_send, ack_recv;
  bool ack_send_done = recvs == 0, ack_recv_done = sends == 0;
  auto stall_deadline = after(plan.stall_s);
  for (;;) {
    while (s_posted < sends && static_cast<int>(sq.size()) < plan.depth) {
      sq.push_back(endpoint.isend(buffers.data(), 0, plan.bytes));
      peak.posted();
      ++s_posted;
    }
    while (r_posted < recvs && static_cast<int>(rq.size()) < plan.depth) {
      rq.push_back(endpoint.irecv(buffers.data(), 0, plan.bytes));
      ++r_posted;
    }
    // control messages follow every data message of their direction, or they would match a data message
    if (!ack_recv_done && !ack_recv && r_posted == recvs) ack_recv = endpoint.irecv(buffers.ctrl_in(), 0, 8);
    if (!ack_send_done && !ack_send && r_done == recvs && s_posted == sends) {
      ack_send = endpoint.isend(buffers.ctrl_out(), 0, 8);
    }
    bool progress = false;
    while (!sq.empty() && endpoint.test(sq.front())) sq.pop_front(), peak.completed(), ++s_done, progress = true;
    while (!rq.empty() && endpoint.test(rq.front())) rq.pop_front(), ++r_done, progress = true;
    if (ack_send && !ack_send_done && endpoint.test(*ack_send)) ack_send_done = progress = true;
    if (ack_recv && !ack_recv_done && endpoint.test(*ack_recv)) ack_recv_done = progress = true;
    if (s_done == sends && r_done == recvs && ack_send_done && ack_recv_done) break;
    if (progress) {
      stall_deadline = after(plan.stall_s);
    } else if (Clock::now() > stall_deadline) {
      throw Error(stall_message(endpoint, plan,
                                "sent " + std::to_string(s_done) + "/" + std::to_string(sends) + ", received " +
                                    std::to_string(r_done) + "/" + std::to_string(recvs) + " messages"));
    } else {
      endpoint.wait_for_progress(std::chrono::milliseconds(10));
    }
  }
  timing.seconds = std::chrono::duration<double>(Clock::now() - start).count();
  timing.end_unix_s = unix_now();
  timing.peak_seconds_per_op = peak.peak();
  return timing;
}

// The control word that ends a one-sided stream; any other word is a heartbeat carrying a completion count.
constexpr std::int64_t kDoneWord = -1;

// write, read: the peer posts nothing for our operations, so it learns of them from control messages only.
StreamTiming one_sided_stream(Endpoint& endpoint, PairBuffers& buffers, const StreamPlan& plan) {
  const char* verb = plan.op == TransferOp::kWrite ? "RDMA write" : "RDMA read";
  if (plan.mine > 0 && endpoint.remote_window_bytes() < plan.bytes) {
    throw Error(std::string(verb) + " of " + std::to_string(plan.bytes) + " bytes with peer " + endpoint.peer() +
                ": its window is " + std::to_string(endpoint.remote_window_bytes()) + " bytes");
  }
  StreamTiming timing;
  timing.start_unix_s = unix_now();
  const auto start = Clock::now();
  const auto heartbeat =
      std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(std::min(1.0, plan.stall_s / 4.0)));
  PeakClock peak(endpoint, plan.mine, start);
  std::deque<RequestId> ops;
  long posted = 0, completed = 0;
  std::optional<RequestId> word_out, word_in;  // the control message in flight each way
  bool done_posted = plan.mine == 0, told_done = plan.mine == 0, peer_done = plan.theirs == 0;
  std::int64_t peer_reported = 0;
  Clock::time_point my_end = start, peer_end = start, last_heartbeat = start;
  auto stall_deadline = after(plan.stall_s);
  auto send_word = [&](std::int64_t word) {
    std::memcpy(buffers.ctrl_out_bytes(), &word, sizeof word);
    word_out = endpoint.isend(buffers.ctrl_out(), 0, sizeof word);
  };
  for (;;) {
    while (posted < plan.mine && static_cast<int>(ops.size()) < plan.depth) {
      ops.push_back(plan.op == TransferOp::kWrite ? endpoint.iwrite(buffers.data(), 0, 0, plan.bytes)
                                                  : endpoint.iread(buffers.data(), 0, 0, plan.bytes));
      peak.posted();
      ++posted;
    }
    if (!peer_done && !word_in) word_in = endpoint.irecv(buffers.ctrl_in(), 0, sizeof(std::int64_t));
    bool progress = false;
    while (!ops.empty() && endpoint.test(ops.front())) {
      ops.pop_front();
      peak.completed();
      progress = true;
      if (++completed == plan.mine) my_end = Clock::now();
    }
    if (word_out && endpoint.test(*word_out)) {
      word_out.reset();
      progress = true;
      told_done = done_posted;
    }
    if (!word_out && !done_posted) {
      if (completed == plan.mine) {
        send_word(kDoneWord);
        done_posted = true;
      } else if (Clock::now() - last_heartbeat >= heartbeat) {
        send_word(completed);
        last_heartbeat = Clock::now();
      }
    }
    if (word_in && endpoint.test(*word_in)) {
      word_in.reset();
      progress = true;
      std::int64_t word = 0;
      std::memcpy(&word, buffers.ctrl_in_bytes(), sizeof word);
      if (word == kDoneWord) {
        peer_done = true;
        peer_end = Clock::now();
      } else {
        peer_reported = word;
      }
    }
    if (completed == plan.mine && told_done && peer_done) break;
    if (progress) {
      stall_deadline = after(plan.stall_s);
    } else if (Clock::now() > stall_deadline) {
      std::string state = std::string(verb) + "s: " + std::to_string(completed) + "/" + std::to_string(plan.mine) +
                          " of this side's done";
      if (plan.theirs > 0) {
        state += ", the peer's last report " +
                 (peer_done ? std::string("done") : std::to_string(peer_reported) + "/" + std::to_string(plan.theirs));
      }
      throw Error(stall_message(endpoint, plan, state));
    } else {
      endpoint.wait_for_progress(std::chrono::milliseconds(10));
    }
  }
  const Clock::time_point end = plan.mine > 0 && plan.theirs > 0 ? std::max(my_end, peer_end)
                                : plan.mine > 0                  ? my_end
                                                                 : peer_end;
  timing.seconds = std::chrono::duration<double>(end - start).count();
  timing.end_unix_s = timing.start_unix_s + timing.seconds;
  timing.peak_seconds_per_op = peak.peak();
  return timing;
}

}  // namespace

StreamTiming timed_stream(Endpoint& endpoint, PairBuffers& buffers, const StreamPlan& plan) {
  if (plan.op == TransferOp::kSend) return two_sided_stream(endpoint, buffers, plan);
  return one_sided_stream(endpoint, buffers, plan);
}

std::optional<LossStats> loss_between(const LossCounters& before, const LossCounters& after) {
  if (!before.known || !after.known || after.source != before.source || after.sent < before.sent ||
      after.retransmitted < before.retransmitted || after.spurious < before.spurious || after.errors < before.errors) {
    return std::nullopt;
  }
  return LossStats{after.source, after.sent - before.sent, after.retransmitted - before.retransmitted,
                   after.spurious - before.spurious, after.errors - before.errors};
}

long count_for_duration(const StreamTiming& warmup, long warm, double duration_s, int lanes) {
  const double per_message = std::max(warmup.seconds / static_cast<double>(warm), 1e-9);
  const long count = static_cast<long>(std::clamp(duration_s / per_message, static_cast<double>(warm), 1e8));
  return (count + lanes - 1) / lanes * lanes;  // whole iterations on every QP
}

long agree_count(Endpoint& endpoint, PairBuffers& buffers, bool leader, long count, double stall_s) {
  if (leader) {
    const std::int64_t value = count;
    std::memcpy(buffers.ctrl_out_bytes(), &value, 8);
    wait_request(endpoint, endpoint.isend(buffers.ctrl_out(), 0, 8), after(stall_s), "the message count");
    return count;
  }
  wait_request(endpoint, endpoint.irecv(buffers.ctrl_in(), 0, 8), after(stall_s), "the message count");
  std::int64_t value = 0;
  std::memcpy(&value, buffers.ctrl_in_bytes(), 8);
  return static_cast<long>(value);
}

std::vector<double> ping_pong(Endpoint& endpoint, PairBuffers& buffers, std::size_t bytes, int iters, int warmup,
                              bool initiator, double stall_s) {
  std::vector<double> samples;
  for (int i = 0; i < warmup + iters; ++i) {
    const auto deadline = after(stall_s);
    if (initiator) {
      const auto start = Clock::now();
      const RequestId r = endpoint.irecv(buffers.data(), 0, bytes);
      const RequestId s = endpoint.isend(buffers.data(), 0, bytes);
      wait_request(endpoint, s, deadline, "ping");
      wait_request(endpoint, r, deadline, "pong");
      if (i >= warmup) samples.push_back(std::chrono::duration<double>(Clock::now() - start).count() / 2.0);
    } else {
      wait_request(endpoint, endpoint.irecv(buffers.data(), 0, bytes), deadline, "ping");
      wait_request(endpoint, endpoint.isend(buffers.data(), 0, bytes), deadline, "pong");
    }
  }
  return samples;
}

}  // namespace railcheck
