// The timed loops of `railcheck p2p` over one Endpoint: perftest-style windowed bandwidth and ping-pong latency.
// Both sides of a pair call the same function with mirrored arguments; every wait has a stall deadline.
#pragma once

#include <optional>
#include <vector>

#include "railcheck/collectives/transport.h"
#include "railcheck/record/p2p_record.h"

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
  /// perftest's peak window over this side's own operations (stream_peak.h): only where a completion means
  /// delivery (Endpoint::completes_on_delivery) and the side posted 1..kPeakMaxOperations of them.
  std::optional<double> peak_seconds_per_op;
};

/// One bandwidth stream as one side of a pair sees it; the other side calls timed_stream with the mirror image.
struct StreamPlan {
  TransferOp op = TransferOp::kSend;
  std::size_t bytes = 0;  ///< per message / operation
  long mine = 0;          ///< send: messages this side sends; write, read: operations this side posts
  long theirs = 0;        ///< send: messages this side receives; write, read: operations the peer posts
  int depth = 1;          ///< this side's messages or operations in flight (and, for send, its receives)
  double stall_s = 30.0;  ///< nothing moves for this long: Error naming the peer
};

/// Runs one bandwidth stream and returns when both directions are done.
/// - send: `mine` isends and `theirs` irecvs of `bytes`, at most `depth` of each in flight; the side that
///   received acknowledges, so the sender's clock stops only when every byte has arrived.
/// - write, read: `mine` one-sided operations against the peer's window, `depth` in flight; this side's clock
///   stops at the last completion (a write's completion means its bytes are placed), as perftest's. The side
///   that posts tells the other "done" with a control message, and every heartbeat interval (1 s, or stall_s
///   / 4 if shorter) how far it got, so a passive side waits on a slow link as long as it moves and gives up
///   stall_s after it stops. Needs remote_window_bytes() >= bytes.
/// Throws Error naming the peer when nothing completes for `stall_s`.
StreamTiming timed_stream(Endpoint& endpoint, PairBuffers& buffers, const StreamPlan& plan);

/// What a connection lost over a timed part: the counters' differences, when both readings are known, of the same
/// source and none went backwards (a counter reset); nullopt otherwise.
std::optional<LossStats> loss_between(const LossCounters& before, const LossCounters& after);

/// The operations a duration-based stream (-D) posts: `duration_s` at the warm-up's rate (`warm` operations in
/// `warmup.seconds`), at least `warm`, at most 1e8, rounded up to whole iterations of `lanes` (QPs).
long count_for_duration(const StreamTiming& warmup, long warm, double duration_s, int lanes);

/// The message count both sides use: the leader's `count` (sent to the follower), so a duration-based run
/// (-D) agrees on it without a second channel.
long agree_count(Endpoint& endpoint, PairBuffers& buffers, bool leader, long count, double stall_s);

/// One-way latencies (round trip / 2, seconds) of `iters` ping-pongs after `warmup`; the initiator returns
/// the samples, the responder an empty vector.
std::vector<double> ping_pong(Endpoint& endpoint, PairBuffers& buffers, std::size_t bytes, int iters, int warmup,
                              bool initiator, double stall_s);

}  // namespace railcheck
