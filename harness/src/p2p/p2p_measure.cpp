#include "p2p_measure.h"

#include <chrono>
#include <cstring>
#include <deque>
#include <optional>

#include "railcheck/core/error.h"

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

StreamTiming timed_stream(Endpoint& endpoint, PairBuffers& buffers, std::size_t bytes, long sends, long recvs,
                          int depth, double stall_s) {
  StreamTiming timing;
  timing.start_unix_s = unix_now();
  const auto start = Clock::now();
  std::deque<RequestId> sq, rq;
  long s_posted = 0, s_done = 0, r_posted = 0, r_done = 0;
  std::optional<RequestId> ack_send, ack_recv;
  bool ack_send_done = recvs == 0, ack_recv_done = sends == 0;
  auto stall_deadline = after(stall_s);
  for (;;) {
    while (s_posted < sends && static_cast<int>(sq.size()) < depth) {
      sq.push_back(endpoint.isend(buffers.data(), 0, bytes));
      ++s_posted;
    }
    while (r_posted < recvs && static_cast<int>(rq.size()) < depth) {
      rq.push_back(endpoint.irecv(buffers.data(), 0, bytes));
      ++r_posted;
    }
    // control messages follow every data message of their direction, or they would match a data message
    if (!ack_recv_done && !ack_recv && r_posted == recvs) ack_recv = endpoint.irecv(buffers.ctrl_in(), 0, 8);
    if (!ack_send_done && !ack_send && r_done == recvs && s_posted == sends) {
      ack_send = endpoint.isend(buffers.ctrl_out(), 0, 8);
    }
    bool progress = false;
    while (!sq.empty() && endpoint.test(sq.front())) sq.pop_front(), ++s_done, progress = true;
    while (!rq.empty() && endpoint.test(rq.front())) rq.pop_front(), ++r_done, progress = true;
    if (ack_send && !ack_send_done && endpoint.test(*ack_send)) ack_send_done = progress = true;
    if (ack_recv && !ack_recv_done && endpoint.test(*ack_recv)) ack_recv_done = progress = true;
    if (s_done == sends && r_done == recvs && ack_send_done && ack_recv_done) break;
    if (progress) {
      stall_deadline = after(stall_s);
    } else if (Clock::now() > stall_deadline) {
      throw Error("no progress with peer " + endpoint.peer() + " for " + std::to_string(stall_s) + " s: sent " +
                  std::to_string(s_done) + "/" + std::to_string(sends) + ", received " + std::to_string(r_done) + "/" +
                  std::to_string(recvs) + " messages of " + std::to_string(bytes) + " bytes");
    } else {
      endpoint.wait_for_progress(std::chrono::milliseconds(10));
    }
  }
  timing.seconds = std::chrono::duration<double>(Clock::now() - start).count();
  timing.end_unix_s = unix_now();
  return timing;
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
