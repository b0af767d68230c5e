#include "tcp_endpoint.h"

#include "tcp_info.h"

#include <poll.h>
#include <sys/socket.h>

#include <algorithm>
#include <cerrno>
#include <climits>

namespace railcheck {
namespace {

class HostRegion final : public MemoryRegion {
 public:
  HostRegion(std::byte* data, std::size_t bytes) : data_(data), bytes_(bytes) {}
  std::byte* data() const override { return data_; }
  std::size_t bytes() const override { return bytes_; }

 private:
  std::byte* data_;
  std::size_t bytes_;
};

// Request ids: sequence << 1 | direction (0 send, 1 recv).
constexpr RequestId kRecvBit = 1;

}  // namespace

TcpEndpoint::TcpEndpoint(std::vector<SocketFd> streams, std::string peer, TcpEndpointOptions options)
    : streams_(std::move(streams)), peer_(std::move(peer)), options_(options) {
  sends_.send = true;
  recvs_.send = false;
  sends_.cursor.assign(streams_.size(), 0);
  recvs_.cursor.assign(streams_.size(), 0);
  sends_.would_block.assign(streams_.size(), 0);
  recvs_.would_block.assign(streams_.size(), 0);
  rcvlowat_.assign(streams_.size(), 1);
}

std::unique_ptr<MemoryRegion> TcpEndpoint::register_memory(std::byte* data, std::size_t bytes) {
  return std::make_unique<HostRegion>(data, bytes);
}

RequestId TcpEndpoint::post(Direction& d, const MemoryRegion& region, std::size_t offset, std::size_t bytes) {
  check_region_range(region, offset, bytes, "transfer");
  Op op;
  op.base = region.data() + offset;
  op.bytes = bytes;
  const std::size_t wanted = (bytes + kMinPieceBytes - 1) / kMinPieceBytes;
  op.pieces = static_cast<int>(std::clamp<std::size_t>(wanted, 1, streams_.size()));
  op.piece = (bytes + static_cast<std::size_t>(op.pieces) - 1) / static_cast<std::size_t>(op.pieces);
  op.pieces_left = op.pieces;
  op.done.assign(streams_.size(), 0);
  d.ops.push_back(std::move(op));
  return d.next++;
}

RequestId TcpEndpoint::isend(const MemoryRegion& region, std::size_t offset, std::size_t bytes) {
  return post(sends_, region, offset, bytes) << 1;
}

RequestId TcpEndpoint::irecv(const MemoryRegion& region, std::size_t offset, std::size_t bytes) {
  return post(recvs_, region, offset, bytes) << 1 | kRecvBit;
}

void TcpEndpoint::progress(Direction& d) {
  for (std::size_t s = 0; s < streams_.size(); ++s) {
    while (d.cursor[s] < d.next) {
      Op& op = d.ops[d.cursor[s] - d.first];
      if (static_cast<int>(s) >= op.pieces) {  // no piece of this op on this stream
        ++d.cursor[s];
        continue;
      }
      const std::size_t begin = s * op.piece, end = std::min(op.bytes, begin + op.piece);
      std::size_t& done = op.done[s];
      if (begin + done < end) {
        if (d.would_block[s]) break;  // poll() has not said this socket is ready again
        std::byte* at = op.base + begin + done;
        const ssize_t n = d.send ? ::send(streams_[s].get(), at, end - begin - done, MSG_NOSIGNAL | MSG_DONTWAIT)
                                 : ::recv(streams_[s].get(), at, end - begin - done, MSG_DONTWAIT);
        if (n == 0 && !d.send) throw Error("peer " + peer_ + " closed stream " + std::to_string(s) + " mid-transfer");
        if (n < 0) {
          if (errno == EINTR) break;
          if (errno == EAGAIN || errno == EWOULDBLOCK) {
            d.would_block[s] = 1;
            break;
          }
          throw Error(std::string(d.send ? "send to " : "recv from ") + peer_ + " on stream " + std::to_string(s) +
                      " failed: " + errno_text(errno));
        }
        done += static_cast<std::size_t>(n);
        if (begin + done < end) continue;
      }
      --op.pieces_left;
      ++d.cursor[s];
    }
  }
  while (!d.ops.empty() && d.ops.front().pieces_left == 0 && d.ops.front().reported) {
    d.ops.pop_front();
    ++d.first;
  }
}

bool TcpEndpoint::test(RequestId request) {
  progress(sends_);
  progress(recvs_);
  Direction& d = (request & kRecvBit) ? recvs_ : sends_;
  const RequestId sequence = request >> 1;
  if (sequence >= d.next) throw Error("test of request " + std::to_string(request) + " that was never posted");
  if (sequence < d.first) return true;
  Op& op = d.ops[sequence - d.first];
  if (op.pieces_left > 0) return false;
  op.reported = true;
  while (!d.ops.empty() && d.ops.front().pieces_left == 0 && d.ops.front().reported) {
    d.ops.pop_front();
    ++d.first;
  }
  return true;
}

bool TcpEndpoint::pending_on(const Direction& d, std::size_t stream) const {
  for (RequestId c = d.cursor[stream]; c < d.next; ++c) {
    if (static_cast<int>(stream) < d.ops[c - d.first].pieces) return true;
  }
  return false;
}

std::size_t TcpEndpoint::expected_on(std::size_t stream) const {
  for (RequestId c = recvs_.cursor[stream]; c < recvs_.next; ++c) {
    const Op& op = recvs_.ops[c - recvs_.first];
    if (static_cast<int>(stream) >= op.pieces) continue;
    const std::size_t begin = stream * op.piece, end = std::min(op.bytes, begin + op.piece);
    return end - begin - op.done[stream];
  }
  return 0;
}

void TcpEndpoint::set_receive_low_water(std::size_t stream) {
  // Only the current piece counts: its sender sends all of it without waiting for us, while a later message
  // may wait for our answer to this one. The kernel caps the mark at half the receive buffer and grows an
  // autotuned buffer to fit it, so the bytes can always arrive.
  const std::size_t cap = std::min<std::size_t>(options_.wake_bytes, INT_MAX);
  const int want = static_cast<int>(std::clamp<std::size_t>(expected_on(stream), 1, std::max<std::size_t>(cap, 1)));
  if (want == rcvlowat_[stream]) return;
  if (::setsockopt(streams_[stream].get(), SOL_SOCKET, SO_RCVLOWAT, &want, sizeof want) != 0) {
    throw Error("setting SO_RCVLOWAT on stream " + std::to_string(stream) + " to " + peer_ +
                " failed: " + errno_text(errno));
  }
  rcvlowat_[stream] = want;
}

void TcpEndpoint::wait_for_progress(std::chrono::milliseconds timeout) {
  // One entry per stream, in stream order; poll() ignores the negative fd of a stream with nothing pending.
  std::vector<pollfd> fds(streams_.size(), pollfd{-1, 0, 0});
  bool any = false;
  for (std::size_t s = 0; s < streams_.size(); ++s) {
    short events = 0;
    if (pending_on(sends_, s)) events |= POLLOUT;
    if (pending_on(recvs_, s)) {
      events |= POLLIN;
      set_receive_low_water(s);
    }
    if (events) fds[s] = {streams_[s].get(), events, 0};
    any = any || events != 0;
  }
  if (!any) return;
  if (::poll(fds.data(), fds.size(), static_cast<int>(timeout.count())) < 0) {
    if (errno == EINTR) return;
    throw Error("poll on the streams to " + peer_ + " failed: " + errno_text(errno));
  }
  for (std::size_t s = 0; s < fds.size(); ++s) {
    const short ready = fds[s].revents;
    const bool failed = (ready & (POLLERR | POLLHUP | POLLNVAL)) != 0;  // let the next call report it
    if (failed || (ready & POLLOUT)) sends_.would_block[s] = 0;
    if (failed || (ready & POLLIN)) recvs_.would_block[s] = 0;
  }
}

LossCounters TcpEndpoint::loss_counters() const {
  LossCounters counters;
  for (const SocketFd& stream : streams_) {
    const std::optional<TcpSocketCounters> one = read_tcp_counters(stream.get());
    if (!one) return {};
    counters.sent += one->data_segments_out;
    counters.retransmitted += one->retransmits;
    counters.spurious += one->spurious;
  }
  counters.known = true;
  counters.source = "tcp_info";
  return counters;
}

}  // namespace railcheck
