// The connected TCP Endpoint: N non-blocking sockets; each message is cut into at most N contiguous pieces
// (at least kMinPieceBytes each), piece i on socket i, so both sides agree on the split from the size alone.
// Before sleeping in poll() it sets each receiving socket's SO_RCVLOWAT to the bytes its current piece still
// expects (at most TcpEndpointOptions::wake_bytes), so the kernel wakes the receiver once per batch instead of
// once per segment; on the netns veth link those wakeups (IPIs) were the sender's largest cost with -q 4.
// A socket that said EAGAIN is not tried again in that direction until poll() reports it ready, so the many
// test() calls between two polls cost no system calls.
#pragma once

#include <deque>
#include <string>
#include <vector>

#include "railcheck/collectives/transport.h"
#include "socket_fd.h"

namespace railcheck {

/// Tuning of one TcpEndpoint; plain data.
struct TcpEndpointOptions {
  /// receive low-water mark cap: wake a poll()ing receiver per this many bytes (0: per segment)
  std::size_t wake_bytes = 256 * 1024;
};

class TcpEndpoint final : public Endpoint {
 public:
  static constexpr std::size_t kMinPieceBytes = 64 * 1024;

  TcpEndpoint(std::vector<SocketFd> streams, std::string peer, TcpEndpointOptions options = {});
  std::unique_ptr<MemoryRegion> register_memory(std::byte* data, std::size_t bytes) override;
  RequestId isend(const MemoryRegion& region, std::size_t offset, std::size_t bytes) override;
  RequestId irecv(const MemoryRegion& region, std::size_t offset, std::size_t bytes) override;
  bool test(RequestId request) override;
  void wait_for_progress(std::chrono::milliseconds timeout) override;
  std::string peer() const override { return peer_; }
  /// TCP_INFO of every stream, summed: data segments out and total retransmits.
  LossCounters loss_counters() const override;

 private:
  struct Op {
    std::byte* base = nullptr;
    std::size_t bytes = 0;
    std::size_t piece = 0;  // bytes per piece (the last may be shorter)
    int pieces = 0;
    int pieces_left = 0;
    bool reported = false;
    std::vector<std::size_t> done;  // bytes done per stream
  };
  struct Direction {
    bool send = true;
    std::deque<Op> ops;
    RequestId first = 0;            // sequence number of ops.front()
    RequestId next = 0;             // sequence number of the next posted op
    std::vector<RequestId> cursor;  // per stream: first op whose piece on that stream is not done
    std::vector<char> would_block;  // per stream: the last call said EAGAIN and poll() has not said ready
                                    // since; progress() makes no call there until it does
  };
  RequestId post(Direction& d, const MemoryRegion& region, std::size_t offset, std::size_t bytes);
  void progress(Direction& d);
  bool pending_on(const Direction& d, std::size_t stream) const;
  // Bytes still to arrive on `stream` for the first posted receive piece not yet complete there (0: none).
  std::size_t expected_on(std::size_t stream) const;
  // Sets SO_RCVLOWAT on `stream` to min(expected bytes, wake_bytes), when that differs from the last value.
  void set_receive_low_water(std::size_t stream);

  std::vector<SocketFd> streams_;
  std::string peer_;
  Direction sends_, recvs_;
  TcpEndpointOptions options_;
  std::vector<int> rcvlowat_;  // per stream: the SO_RCVLOWAT last set (1, the kernel's default, at first)
};

}  // namespace railcheck
