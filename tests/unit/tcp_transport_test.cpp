// The TCP transport over loopback: two threads in one process, one listening/accepting, one connecting.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cstring>
#include <future>
#include <numeric>
#include <thread>

#include "railcheck/collectives/tcp_transport.h"
#include "railcheck/core/error.h"

namespace railcheck {
namespace {

using namespace std::chrono_literals;

std::unique_ptr<Transport> loopback(int streams, double timeout_s = 10.0) {
  TransportOptions options;
  options.streams = streams;
  options.timeout_s = timeout_s;
  return make_tcp_transport(options, TcpDeviceFilter{{"lo"}, ""});
}

/// A client and a server endpoint connected over loopback with `streams` streams (the transport is kept: it
/// outlives both).
struct ConnectedPair {
  std::unique_ptr<Transport> transport;
  std::unique_ptr<Endpoint> client;
  std::unique_ptr<Endpoint> server;
};

ConnectedPair connected_pair(int streams) {
  ConnectedPair pair;
  pair.transport = loopback(streams);
  auto listen = pair.transport->listen(0);
  const ListenHandle handle = ListenHandle::from_bytes(listen->handle().bytes());
  auto accepted = std::async(std::launch::async, [&] { return pair.transport->accept(std::move(listen)); });
  pair.client = pair.transport->connect(0, handle, "self");
  pair.server = accepted.get();
  return pair;
}

std::string message_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const Error& e) {
    return e.what();
  }
  return "<no error>";
}

TEST(ListenHandle, RoundTripsItsPayload) {
  const std::byte payload[3] = {std::byte{1}, std::byte{2}, std::byte{3}};
  const ListenHandle made = ListenHandle::make(TransportId::kTcp, 7, payload);
  const ListenHandle got = ListenHandle::from_bytes(made.bytes());
  const auto back = got.payload(TransportId::kTcp, 7, 3, "peer");
  ASSERT_EQ(back.size(), 3u);
  EXPECT_EQ(back[2], std::byte{3});
}

TEST(ListenHandle, WrongMagicVersionTransportOrSizeIsAClearError) {
  const std::byte payload[4] = {};
  const ListenHandle good = ListenHandle::make(TransportId::kTcp, 1, payload);
  std::vector<std::byte> bytes(good.bytes().begin(), good.bytes().end());

  auto bad_magic = bytes;
  bad_magic[0] = std::byte{0};
  EXPECT_NE(
      message_of([&] { ListenHandle::from_bytes(bad_magic).payload(TransportId::kTcp, 1, 4, "node3"); }).find("magic"),
      std::string::npos);
  EXPECT_NE(message_of([&] {
              ListenHandle::from_bytes(bytes).payload(TransportId::kTcp, 2, 4, "node3");
            }).find("version 1, this build speaks version 2"),
            std::string::npos);
  EXPECT_NE(message_of([&] {
              ListenHandle::from_bytes(bytes).payload(TransportId::kVerbs, 1, 4, "node3");
            }).find("transport tcp"),
            std::string::npos);
  EXPECT_NE(
      message_of([&] { ListenHandle::from_bytes(bytes).payload(TransportId::kTcp, 1, 5, "node3"); }).find("expects 5"),
      std::string::npos);
  auto truncated = bytes;
  truncated.resize(5);
  EXPECT_NE(message_of([&] {
              ListenHandle::from_bytes(truncated).payload(TransportId::kTcp, 1, 4, "node3");
            }).find("shorter than"),
            std::string::npos);
  auto longer = bytes;
  longer.push_back(std::byte{0});
  EXPECT_NE(
      message_of([&] { ListenHandle::from_bytes(longer).payload(TransportId::kTcp, 1, 4, "node3"); }).find("node3"),
      std::string::npos);
  const std::vector<std::byte> huge(ListenHandle::kMaxBytes);
  EXPECT_THROW(ListenHandle::make(TransportId::kTcp, 1, huge), Error);
}

TEST(TcpDevices, LoopbackOnlyWhenNamedAndSubnetsFilter) {
  for (const NicInfo& nic : tcp_devices({})) EXPECT_NE(nic.name, "lo");
  const auto lo = tcp_devices({{"lo"}, ""});
  ASSERT_EQ(lo.size(), 1u);
  EXPECT_EQ(lo[0].address, "127.0.0.1");
  EXPECT_EQ(tcp_devices({{}, "127.0.0.0/8"}).size(), 1u);
  EXPECT_TRUE(tcp_devices({{"lo"}, "10.0.0.0/8"}).empty());
  EXPECT_THROW(tcp_devices({{}, "10.77.0.0"}), InputError);
  EXPECT_THROW(tcp_devices({{}, "10.77.0.0/33"}), InputError);
  const auto subnet = parse_subnet("10.77.0.0/24");
  ASSERT_TRUE(subnet);
  EXPECT_TRUE(subnet->contains(0x0a4d0003));
  EXPECT_FALSE(subnet->contains(0x0a4d0103));
}

TEST(TcpTransport, NoDeviceIsASkipWithAReason) {
  auto transport = make_tcp_transport({}, TcpDeviceFilter{{"no_such_if0"}, ""});
  EXPECT_TRUE(transport->devices().empty());
  EXPECT_NE(transport->skip_reason().find("--ifname"), std::string::npos);
}

TEST(TcpTransport, MovesBytesBothWaysOverParallelStreams) {
  for (int streams : {1, 4}) {
    ConnectedPair pair = connected_pair(streams);  // named members, not a structured binding:
    auto& client = pair.client;                    // clang 14 cannot capture bindings in lambdas
    auto& server = pair.server;

    for (std::size_t bytes : {std::size_t{1}, std::size_t{100'000}, std::size_t{(1 << 20) + 3}}) {
      std::vector<std::byte> a(bytes), b(bytes), back(bytes), got(bytes);
      for (std::size_t i = 0; i < bytes; ++i) a[i] = std::byte(i * 7 + 1), back[i] = std::byte(i * 3);
      auto ra = client->register_memory(a.data(), a.size());
      auto rb = server->register_memory(b.data(), b.size());
      auto rback = server->register_memory(back.data(), back.size());
      auto rgot = client->register_memory(got.data(), got.size());
      // both directions at once, driven by two threads
      auto peer = std::async(std::launch::async, [&] {
        const auto r = server->irecv(*rb, 0, bytes);
        const auto s = server->isend(*rback, 0, bytes);
        wait_request(*server, r, std::chrono::steady_clock::now() + 10s, "recv");
        wait_request(*server, s, std::chrono::steady_clock::now() + 10s, "send");
      });
      const auto s = client->isend(*ra, 0, bytes);
      const auto r = client->irecv(*rgot, 0, bytes);
      wait_request(*client, s, std::chrono::steady_clock::now() + 10s, "send");
      wait_request(*client, r, std::chrono::steady_clock::now() + 10s, "recv");
      peer.get();
      EXPECT_EQ(a, b) << bytes << " bytes, " << streams << " streams";
      EXPECT_EQ(back, got) << bytes << " bytes, " << streams << " streams";
    }
  }
}

TEST(TcpTransport, LossCountersComeFromTcpInfoOfEveryStreamAndGrowWithWhatIsSent) {
  ConnectedPair pair = connected_pair(2);  // named members, not a structured binding:
  auto& client = pair.client;              // clang 14 cannot capture bindings in lambdas
  auto& server = pair.server;
  const LossCounters before = client->loss_counters();
  ASSERT_TRUE(before.known) << "TCP_INFO is readable on a connected socket";
  EXPECT_EQ(before.source, "tcp_info");
  const std::size_t bytes = 4 << 20;
  std::vector<std::byte> a(bytes), b(bytes);
  auto ra = client->register_memory(a.data(), a.size());
  auto rb = server->register_memory(b.data(), b.size());
  auto peer = std::async(std::launch::async, [&] {
    wait_request(*server, server->irecv(*rb, 0, bytes), std::chrono::steady_clock::now() + 10s, "recv");
  });
  wait_request(*client, client->isend(*ra, 0, bytes), std::chrono::steady_clock::now() + 10s, "send");
  peer.get();
  const LossCounters after = client->loss_counters();
  // 4 MiB is at least 64 segments of at most 64 KiB (GSO) over the two streams. Loopback loses nothing, but a
  // busy host can make TCP send a tail-loss probe early (seen: 2 of ~100 under load): those are retransmits
  // the peer reports as duplicates, so the share counted as lost stays tiny.
  const std::uint64_t sent = after.sent - before.sent;
  EXPECT_GE(sent, 64u);
  EXPECT_GE(after.retransmitted, before.retransmitted);
  EXPECT_LE(after.spurious, after.retransmitted) << "DSACK-reported duplicates are a part of the retransmits";
  const std::uint64_t lost = (after.retransmitted - after.spurious) - (before.retransmitted - before.spurious);
  EXPECT_LE(lost * 20, sent) << lost << " of " << sent << " segments counted as lost on loopback";
  EXPECT_EQ(after.errors, 0u);
}

TEST(TcpTransport, ManyMessagesInFlightCompleteInOrder) {
  ConnectedPair pair = connected_pair(3);  // named members, not a structured binding:
  auto& client = pair.client;              // clang 14 cannot capture bindings in lambdas
  auto& server = pair.server;
  constexpr std::size_t kMessage = 200'000, kDepth = 8;
  std::vector<std::byte> out(kMessage * kDepth), in(kMessage * kDepth);
  for (std::size_t i = 0; i < out.size(); ++i) out[i] = std::byte(i % 251);
  auto rout = client->register_memory(out.data(), out.size());
  auto rin = server->register_memory(in.data(), in.size());
  std::vector<RequestId> sends, recvs;
  for (std::size_t k = 0; k < kDepth; ++k) {
    sends.push_back(client->isend(*rout, k * kMessage, kMessage));
    recvs.push_back(server->irecv(*rin, k * kMessage, kMessage));
  }
  auto receiver = std::async(std::launch::async, [&] {
    for (RequestId r : recvs) wait_request(*server, r, std::chrono::steady_clock::now() + 10s, "recv");
  });
  for (RequestId s : sends) wait_request(*client, s, std::chrono::steady_clock::now() + 10s, "send");
  receiver.get();
  EXPECT_EQ(out, in);
  EXPECT_TRUE(client->test(sends.front()));                  // completed requests stay complete
  EXPECT_THROW(client->isend(*rout, out.size(), 1), Error);  // beyond the registered region
}

// Receives posted ahead of the sender (as timed_stream does) with the receive low-water mark in play: the
// first completes with the right bytes, the later ones stay pending. (A mark above the current piece would
// only slow this down to poll timeouts, which this test does not time.)
TEST(TcpTransport, ReceiveCompletesWhileLaterReceivesArePostedButNotYetSent) {
  for (int streams : {1, 2}) {
    ConnectedPair pair = connected_pair(streams);  // named members, not a structured binding:
    auto& client = pair.client;                    // clang 14 cannot capture bindings in lambdas
    auto& server = pair.server;
    constexpr std::size_t kMessage = 150'000;  // two pieces with 2 streams, each below the mark's cap
    std::vector<std::byte> out(kMessage), in(4 * kMessage);
    for (std::size_t i = 0; i < out.size(); ++i) out[i] = std::byte(i % 253);
    auto rout = client->register_memory(out.data(), out.size());
    auto rin = server->register_memory(in.data(), in.size());
    std::vector<RequestId> recvs;
    for (std::size_t k = 0; k < 4; ++k) recvs.push_back(server->irecv(*rin, k * kMessage, kMessage));
    const auto s = client->isend(*rout, 0, kMessage);
    auto sender = std::async(std::launch::async,
                             [&] { wait_request(*client, s, std::chrono::steady_clock::now() + 10s, "send"); });
    const auto deadline = std::chrono::steady_clock::now() + 3s;
    EXPECT_NO_THROW(wait_request(*server, recvs[0], deadline, "first recv")) << streams << " streams";
    sender.get();
    EXPECT_TRUE(std::equal(out.begin(), out.end(), in.begin())) << streams << " streams";
    EXPECT_FALSE(server->test(recvs[1])) << "nothing was sent for the second receive";
  }
}

TEST(TcpTransport, ConnectToAListenerThatNeverAcceptsTimesOut) {
  auto transport = loopback(2, 0.5);
  auto listen = transport->listen(0);  // nobody calls accept
  const auto start = std::chrono::steady_clock::now();
  const std::string what = message_of([&] { transport->connect(0, listen->handle(), "node9"); });
  EXPECT_LT(std::chrono::steady_clock::now() - start, 5s);
  EXPECT_NE(what.find("never accepted"), std::string::npos) << what;
  EXPECT_NE(what.find("node9"), std::string::npos) << what;
}

TEST(TcpTransport, AcceptWithNoPeerTimesOut) {
  auto transport = loopback(1, 0.3);
  const auto start = std::chrono::steady_clock::now();
  const std::string what = message_of([&] { transport->accept(transport->listen(0)); });
  EXPECT_LT(std::chrono::steady_clock::now() - start, 5s);
  EXPECT_NE(what.find("peer never connected"), std::string::npos) << what;
}

TEST(TcpTransport, BadHandleFailsAtOnceNamingTheField) {
  auto transport = loopback(1, 5.0);
  auto listen = transport->listen(0);
  std::vector<std::byte> bytes(listen->handle().bytes().begin(), listen->handle().bytes().end());
  bytes[5] = std::byte{9};  // version
  const auto start = std::chrono::steady_clock::now();
  const std::string what = message_of([&] { transport->connect(0, ListenHandle::from_bytes(bytes), "node2"); });
  EXPECT_LT(std::chrono::steady_clock::now() - start, 1s);
  EXPECT_NE(what.find("version 9"), std::string::npos) << what;
  bytes.pop_back();
  bytes[5] = std::byte{kTcpHandleVersion};
  EXPECT_NE(message_of([&] { transport->connect(0, ListenHandle::from_bytes(bytes), "node2"); }).find("payload"),
            std::string::npos);
}

TEST(TcpTransport, ConnectionCarryingAnotherNonceIsRejectedAndBothSidesTimeOut) {
  auto transport = loopback(1, 0.5);
  auto listen = transport->listen(0);
  std::vector<std::byte> forged(listen->handle().bytes().begin(), listen->handle().bytes().end());
  forged.back() ^= std::byte{0xff};  // last nonce byte
  auto accepted =
      std::async(std::launch::async, [&] { return message_of([&] { transport->accept(std::move(listen)); }); });
  const std::string connect_error = message_of([&] { transport->connect(0, ListenHandle::from_bytes(forged), "x"); });
  const std::string accept_error = accepted.get();
  EXPECT_NE(connect_error.find("never accepted"), std::string::npos) << connect_error;
  EXPECT_NE(accept_error.find("rejected"), std::string::npos) << accept_error;
}

TEST(TcpTransport, PeerClosingMidTransferIsAnErrorNotAHang) {
  ConnectedPair pair = connected_pair(1);  // named members, not a structured binding:
  auto& client = pair.client;              // clang 14 cannot capture bindings in lambdas
  auto& server = pair.server;
  server.reset();  // the server goes away
  std::vector<std::byte> buffer(1024);
  auto region = client->register_memory(buffer.data(), buffer.size());
  const auto r = client->irecv(*region, 0, buffer.size());
  const std::string what = message_of([&] { wait_request(*client, r, std::chrono::steady_clock::now() + 5s, "recv"); });
  EXPECT_NE(what.find("closed"), std::string::npos) << what;
}

}  // namespace
}  // namespace railcheck
