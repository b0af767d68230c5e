// The timed loops of `railcheck p2p` over one Endpoint: perftest-style windowed bandwidth and ping-pong latency.
// Both sides of a pair call the same function with mirrored arguments; every wait has a stall deadline.
#pragma once

#include <vector>

#include "railcheck/collectives/transport.h"

namespace railcheck {

/// Buffers and regions one side of a pair uses; owns them (regions before the buffers they cover).
class PairBuffers {
 public:
  PairBuffers(Endpoint& endpoint, std::size_t data_bytes);
  const MemoryRegion& data() const { return *data_region_; }
  const MemoryRegion& ctrl_out() const { return *out_region_; }
  const MemoryRegion& ctrl_in() const { return *in_region_; }
  std::byte* ctrl_out_bytes() { return ctrl_.data(); }
  std::byte* ctrl_in_bytes() { return ctrl_.data() + 8; }

 private:
  std::vector<std::byte> data_, ctrl_;
  std::unique_ptr<MemoryRegion> data_region_, out_region_, in_region_;
};

struct StreamTiming {
  double seconds = 0.0;
  double start_unix_s = 0.0;
  double end_unix_s = 0.0;
};

/// Sends `sends` and receives `recvs` messages of `bytes`, at most `depth` of each in flight, then the side that
/// received acknowledges so the sender's clock stops only when every byte has arrived. Throws Error naming the
/// peer when nothing completes for `stall_s`.
StreamTiming timed_stream(Endpoint& endpoint, PairBuffers& buffers, std::size_t bytes, long sends, long recvs,
                          int depth, double stall_s);

/// The message count both sides use: the leader's `count` (sent to the follower), so a duration-based run
/// (-D) agrees on it without a second channel.
long agree_count(Endpoint& endpoint, PairBuffers& buffers, bool leader, long count, double stall_s);

/// One-way latencies (round trip / 2, seconds) of `iters` ping-pongs after `warmup`; the initiator returns
/// the samples, the responder an empty vector.
std::vector<double> ping_pong(Endpoint& endpoint, PairBuffers& buffers, std::size_t bytes, int iters, int warmup,
                              bool initiator, double stall_s);

}  // namespace railcheck
