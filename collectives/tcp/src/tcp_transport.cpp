// Handshake (version 1): the listener's handle carries IPv4 address, port and a random nonce. The connector
// opens `streams` sockets from its own device address; on each it sends a hello {magic, nonce, stream index,
// stream count} and waits for the acceptor's ack, so a listener that never accepts is a timeout on the
// connecting side too (the kernel's backlog would otherwise complete the TCP connect).
#include <arpa/inet.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>

#include <cstring>
#include <map>
#include <random>

#include "railcheck/collectives/tcp_transport.h"
#include "socket_fd.h"
#include "tcp_endpoint.h"

namespace railcheck {
namespace {

constexpr std::size_t kPayloadBytes = 4 + 2 + 8;   // IPv4 (network order), port (network order), nonce
constexpr std::uint32_t kHelloMagic = 0x52435448;  // "RCTH"
constexpr std::uint32_t kAckMagic = 0x52435441;    // "RCTA"
constexpr int kMaxStreams = 64;

struct Hello {
  std::uint32_t magic = kHelloMagic;
  std::uint16_t stream = 0;
  std::uint16_t streams = 1;
  std::uint64_t nonce = 0;
};
static_assert(sizeof(Hello) == 16);

Clock::time_point deadline_after(double seconds) {
  return Clock::now() + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(seconds));
}

sockaddr_in address_of(const NicInfo& nic, std::uint16_t port_host_order) {
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port_host_order);
  if (inet_pton(AF_INET, nic.address.c_str(), &address.sin_addr) != 1) {
    throw Error("device " + nic.name + " has no usable IPv4 address '" + nic.address + "'");
  }
  return address;
}

class TcpListenComm final : public ListenComm {
 public:
  TcpListenComm(SocketFd fd, sockaddr_in address, std::uint64_t nonce)
      : fd_(std::move(fd)), address_(address), nonce_(nonce) {
    std::byte payload[kPayloadBytes];
    std::memcpy(payload, &address_.sin_addr.s_addr, 4);
    std::memcpy(payload + 4, &address_.sin_port, 2);
    std::memcpy(payload + 6, &nonce_, 8);
    handle_ = ListenHandle::make(TransportId::kTcp, kTcpHandleVersion, payload);
  }
  const ListenHandle& handle() const override { return handle_; }
  SocketFd fd_;
  sockaddr_in address_;
  std::uint64_t nonce_;
  ListenHandle handle_;
};

class TcpTransport final : public Transport {
 public:
  TcpTransport(const TransportOptions& options, const TcpDeviceFilter& filter)
      : options_(options), devices_(tcp_devices(filter)) {
    if (options_.streams < 1 || options_.streams > kMaxStreams) {
      throw InputError("-q " + std::to_string(options_.streams) + ": streams per connection must be 1.." +
                       std::to_string(kMaxStreams));
    }
    if (devices_.empty()) {
      reason_ = "no IPv4 interface is up";
      if (!filter.ifnames.empty()) reason_ += " among --ifname";
      if (!filter.subnet.empty()) reason_ += " inside --subnet " + filter.subnet;
    }
  }
  TransportId id() const override { return TransportId::kTcp; }
  const std::vector<NicInfo>& devices() const override { return devices_; }
  std::string skip_reason() const override { return reason_; }

  std::unique_ptr<ListenComm> listen(int dev) override {
    const NicInfo& nic = device(dev);
    SocketFd fd = make_tcp_socket(options_.socket_buffer_bytes);
    sockaddr_in address = address_of(nic, 0);
    if (::bind(fd.get(), reinterpret_cast<const sockaddr*>(&address), sizeof address) != 0) {
      throw Error("bind to " + nic.name + " " + nic.address + " failed: " + errno_text(errno));
    }
    RC_SYS_CALL(::listen(fd.get(), 2 * kMaxStreams));
    socklen_t length = sizeof address;
    RC_SYS_CALL(::getsockname(fd.get(), reinterpret_cast<sockaddr*>(&address), &length));
    std::random_device random;
    const std::uint64_t nonce = (std::uint64_t{random()} << 32) | random();
    return std::make_unique<TcpListenComm>(std::move(fd), address, nonce);
  }

  std::unique_ptr<Endpoint> connect(int dev, const ListenHandle& handle, std::string_view peer_name) override {
    const NicInfo& nic = device(dev);
    const auto payload = handle.payload(TransportId::kTcp, kTcpHandleVersion, kPayloadBytes, peer_name);
    sockaddr_in remote{};
    remote.sin_family = AF_INET;
    std::memcpy(&remote.sin_addr.s_addr, payload.data(), 4);
    std::memcpy(&remote.sin_port, payload.data() + 4, 2);
    std::uint64_t nonce = 0;
    std::memcpy(&nonce, payload.data() + 6, 8);
    const std::string peer = to_string(remote) + " (" + std::string(peer_name) + ")";
    const auto deadline = deadline_after(options_.timeout_s);

    std::vector<SocketFd> streams;
    for (int s = 0; s < options_.streams; ++s) {
      SocketFd fd = make_tcp_socket(options_.socket_buffer_bytes);
      const sockaddr_in local = address_of(nic, 0);
      if (::bind(fd.get(), reinterpret_cast<const sockaddr*>(&local), sizeof local) != 0) {
        throw Error("bind to " + nic.name + " " + nic.address + " before connecting to " + peer +
                    " failed: " + errno_text(errno));
      }
      if (::connect(fd.get(), reinterpret_cast<const sockaddr*>(&remote), sizeof remote) != 0 && errno != EINPROGRESS) {
        throw Error("connect from " + nic.name + " to " + peer + " failed: " + errno_text(errno));
      }
      if (!poll_until(fd.get(), POLLOUT, deadline)) {
        throw Error("connect from " + nic.name + " to " + peer + ": no answer within " +
                    std::to_string(options_.timeout_s) + " s (host unreachable or link down?)");
      }
      int error = 0;
      socklen_t length = sizeof error;
      RC_SYS_CALL(::getsockopt(fd.get(), SOL_SOCKET, SO_ERROR, &error, &length));
      if (error != 0) throw Error("connect from " + nic.name + " to " + peer + " failed: " + errno_text(error));
      const Hello hello{kHelloMagic, static_cast<std::uint16_t>(s), static_cast<std::uint16_t>(options_.streams),
                        nonce};
      send_all(fd.get(), &hello, sizeof hello, deadline, peer, "the connection hello");
      streams.push_back(std::move(fd));
    }
    for (SocketFd& fd : streams) {
      std::uint32_t ack = 0;
      try {
        recv_all(fd.get(), &ack, sizeof ack, deadline, peer, "the accept acknowledgement");
      } catch (const Error& e) {
        throw Error(std::string(e.what()) + ": the peer never accepted the connection within " +
                    std::to_string(options_.timeout_s) + " s (peer not running accept, stuck, or wrong handle)");
      }
      if (ack != kAckMagic) throw Error("peer " + peer + " answered the hello with a bad acknowledgement");
    }
    return std::make_unique<TcpEndpoint>(std::move(streams), peer);
  }

  std::unique_ptr<Endpoint> accept(std::unique_ptr<ListenComm> listen) override {
    auto* comm = dynamic_cast<TcpListenComm*>(listen.get());
    if (!comm) throw Error("TCP accept given a listen comm of another transport");
    const std::string where = to_string(comm->address_);
    const auto deadline = deadline_after(options_.timeout_s);
    std::map<int, SocketFd> streams;
    int expected = -1;
    std::string peer, rejected;
    while (expected < 0 || static_cast<int>(streams.size()) < expected) {
      if (!poll_until(comm->fd_.get(), POLLIN, deadline)) {
        throw Error("accept on " + where + ": " +
                    (streams.empty() ? std::string("no connection from the peer")
                                     : "only " + std::to_string(streams.size()) + " of " + std::to_string(expected) +
                                           " streams from " + peer) +
                    " within " + std::to_string(options_.timeout_s) + " s (peer never connected)" +
                    (rejected.empty() ? "" : "; rejected: " + rejected));
      }
      sockaddr_in remote{};
      socklen_t length = sizeof remote;
      const int raw =
          ::accept4(comm->fd_.get(), reinterpret_cast<sockaddr*>(&remote), &length, SOCK_NONBLOCK | SOCK_CLOEXEC);
      if (raw < 0) {
        if (errno == EAGAIN || errno == EINTR || errno == ECONNABORTED) continue;
        throw Error("accept on " + where + " failed: " + errno_text(errno));
      }
      SocketFd fd(raw);
      const std::string from = to_string(remote);
      Hello hello;
      try {
        recv_all(fd.get(), &hello, sizeof hello, std::min(deadline, deadline_after(5.0)), from, "the hello");
      } catch (const Error& e) {
        rejected += std::string(e.what()) + "; ";
        continue;
      }
      if (hello.magic != kHelloMagic || hello.nonce != comm->nonce_ || hello.streams < 1 ||
          hello.streams > kMaxStreams || hello.stream >= hello.streams ||
          (expected >= 0 && hello.streams != expected) || streams.count(hello.stream)) {
        rejected += from + " sent a hello that does not match this listener's handle; ";
        continue;
      }
      expected = hello.streams;
      peer = from;
      const int one = 1;
      RC_SYS_CALL(::setsockopt(fd.get(), IPPROTO_TCP, TCP_NODELAY, &one, sizeof one));
      const std::uint32_t ack = kAckMagic;
      send_all(fd.get(), &ack, sizeof ack, deadline, from, "the accept acknowledgement");
      streams.emplace(hello.stream, std::move(fd));
    }
    std::vector<SocketFd> ordered;
    for (auto& [index, fd] : streams) ordered.push_back(std::move(fd));
    return std::make_unique<TcpEndpoint>(std::move(ordered), peer);
  }

 private:
  const NicInfo& device(int dev) const {
    if (dev < 0 || dev >= static_cast<int>(devices_.size())) {
      throw Error("TCP device " + std::to_string(dev) + " does not exist (" + std::to_string(devices_.size()) +
                  " devices)");
    }
    return devices_[static_cast<std::size_t>(dev)];
  }

  TransportOptions options_;
  std::vector<NicInfo> devices_;
  std::string reason_;
};

}  // namespace

std::unique_ptr<Transport> make_tcp_transport(const TransportOptions& options, const TcpDeviceFilter& filter) {
  return std::make_unique<TcpTransport>(options, filter);
}

}  // namespace railcheck
