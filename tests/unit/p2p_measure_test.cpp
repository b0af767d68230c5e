// The p2p bandwidth loop (timed_stream) with both sides running, over a mock link: two Endpoints joined in
// memory stand in for a verbs connection, as no RDMA device runs here. The mock moves the bytes for real
// (send fills the peer's receive in order; write and read copy into and out of the peer's window) and lets a
// test slow the link down or freeze one side.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cstring>
#include <deque>
#include <future>
#include <map>
#include <mutex>
#include <thread>

#include "railcheck/core/error.h"
#include "railcheck/p2p/p2p_measure.h"

namespace railcheck {
namespace {

using Clock = std::chrono::steady_clock;

class MockRegion final : public MemoryRegion {
 public:
  MockRegion(std::byte* data, std::size_t bytes) : data_(data), bytes_(bytes) {}
  std::byte* data() const override { return data_; }
  std::size_t bytes() const override { return bytes_; }

 private:
  std::byte* data_;
  std::size_t bytes_;
};

// What both mock Endpoints share: per side its posted sends and receives, its window, its completions (request
// -> when it completes), when its outgoing link is next free, and whether it is frozen (nothing of it completes).
struct MockWire {
  struct Transfer {
    RequestId id;
    std::byte* data;
    std::size_t bytes;
  };
  struct Side {
    std::deque<Transfer> sends, recvs;
    std::vector<std::byte> window;
    std::map<RequestId, Clock::time_point> completes_at;
    Clock::time_point link_free_at{};
    bool frozen = false;
  };
  std::mutex mutex;
  Side sides[2];
  RequestId next_id = 1;
  Clock::duration per_request{};  ///< how long each request holds the link: a slow link when > 0
  bool delivered = false;         ///< completes_on_delivery(): as verbs when true, as TCP when false
};

class MockEndpoint final : public Endpoint {
 public:
  MockEndpoint(std::shared_ptr<MockWire> wire, int side) : wire_(std::move(wire)), side_(side) {}

  std::unique_ptr<MemoryRegion> register_memory(std::byte* data, std::size_t bytes) override {
    return std::make_unique<MockRegion>(data, bytes);
  }
  RequestId isend(const MemoryRegion& region, std::size_t offset, std::size_t bytes) override {
    std::lock_guard lock(wire_->mutex);
    const RequestId id = wire_->next_id++;
    mine().sends.push_back({id, region.data() + offset, bytes});
    match();
    return id;
  }
  RequestId irecv(const MemoryRegion& region, std::size_t offset, std::size_t bytes) override {
    std::lock_guard lock(wire_->mutex);
    const RequestId id = wire_->next_id++;
    mine().recvs.push_back({id, region.data() + offset, bytes});
    match();
    return id;
  }
  RequestId iwrite(const MemoryRegion& region, std::size_t offset, std::uint64_t remote_offset,
                   std::size_t bytes) override {
    std::lock_guard lock(wire_->mutex);
    std::memcpy(theirs().window.data() + remote_offset, region.data() + offset, bytes);
    return complete_later(wire_->next_id++, mine());
  }
  RequestId iread(const MemoryRegion& region, std::size_t offset, std::uint64_t remote_offset,
                  std::size_t bytes) override {
    std::lock_guard lock(wire_->mutex);
    std::memcpy(region.data() + offset, theirs().window.data() + remote_offset, bytes);
    return complete_later(wire_->next_id++, mine());
  }
  std::uint64_t remote_window_bytes() const override {
    std::lock_guard lock(wire_->mutex);
    return wire_->sides[1 - side_].window.size();
  }
  bool test(RequestId request) override {
    std::lock_guard lock(wire_->mutex);
    auto& completions = mine().completes_at;
    const auto found = completions.find(request);
    if (mine().frozen || found == completions.end() || Clock::now() < found->second) return false;
    completions.erase(found);
    return true;
  }
  void wait_for_progress(std::chrono::milliseconds) override {
    std::this_thread::sleep_for(std::chrono::microseconds(200));
  }
  std::string peer() const override { return "mock peer " + std::to_string(1 - side_); }
  bool completes_on_delivery() const override { return wire_->delivered; }

 private:
  MockWire::Side& mine() { return wire_->sides[side_]; }
  MockWire::Side& theirs() { return wire_->sides[1 - side_]; }
  // `side`'s request completes when its outgoing link has carried it.
  RequestId complete_later(RequestId id, MockWire::Side& side) {
    side.link_free_at = std::max(side.link_free_at, Clock::now()) + wire_->per_request;
    side.completes_at[id] = side.link_free_at;
    return id;
  }
  // Sends of either side meet the other side's receives in posting order; the bytes move at once, both
  // requests complete when the sender's link has carried them.
  void match() {
    for (int from = 0; from < 2; ++from) {
      MockWire::Side& sender = wire_->sides[from];
      MockWire::Side& receiver = wire_->sides[1 - from];
      while (!sender.sends.empty() && !receiver.recvs.empty()) {
        const MockWire::Transfer send = sender.sends.front(), recv = receiver.recvs.front();
        sender.sends.pop_front();
        receiver.recvs.pop_front();
        ASSERT_EQ(send.bytes, recv.bytes) << "the n-th send must fill an n-th receive of the same size";
        std::memcpy(recv.data, send.data, send.bytes);
        complete_later(send.id, sender);
        receiver.completes_at[recv.id] = sender.completes_at[send.id];
      }
    }
  }

  std::shared_ptr<MockWire> wire_;
  int side_;
};

struct MockLink {
  std::shared_ptr<MockWire> wire = std::make_shared<MockWire>();
  MockEndpoint a{wire, 0}, b{wire, 1};
  explicit MockLink(std::size_t window_bytes) {
    wire->sides[0].window.resize(window_bytes);
    wire->sides[1].window.resize(window_bytes);
  }
};

StreamPlan plan_of(TransferOp op, long mine, long theirs, double stall_s = 5.0) {
  StreamPlan plan;
  plan.op = op;
  plan.bytes = 4096;
  plan.mine = mine;
  plan.theirs = theirs;
  plan.depth = 4;
  plan.stall_s = stall_s;
  return plan;
}

// Runs side a's plan on this thread and side b's on another; returns both timings (or rethrows).
std::pair<StreamTiming, StreamTiming> run_both(MockLink& link, const StreamPlan& a_plan, const StreamPlan& b_plan) {
  PairBuffers a_buffers(link.a, 4096), b_buffers(link.b, 4096);
  auto b_side = std::async(std::launch::async, [&] { return timed_stream(link.b, b_buffers, b_plan); });
  const StreamTiming a_timing = timed_stream(link.a, a_buffers, a_plan);
  return {a_timing, b_side.get()};
}

TEST(P2pMeasureOnAMockLink, WriteSendAndReadEndOnBothSidesOneWayAndBothWays) {
  for (const TransferOp op : {TransferOp::kWrite, TransferOp::kSend, TransferOp::kRead}) {
    MockLink one_way(4096);
    const auto [a, b] = run_both(one_way, plan_of(op, 64, 0), plan_of(op, 0, 64));
    EXPECT_GT(a.seconds, 0.0) << name_of(op);
    EXPECT_GE(b.seconds, 0.0) << name_of(op);
    MockLink both_ways(4096);
    EXPECT_NO_THROW(run_both(both_ways, plan_of(op, 64, 64), plan_of(op, 64, 64))) << name_of(op);
    // After the stream the control channel is in step: one more message each way still matches.
    PairBuffers a_buffers(both_ways.a, 8), b_buffers(both_ways.b, 8);
    auto b_count = std::async(std::launch::async, [&] { return agree_count(both_ways.b, b_buffers, false, 0, 5.0); });
    EXPECT_EQ(agree_count(both_ways.a, a_buffers, true, 12345, 5.0), 12345);
    EXPECT_EQ(b_count.get(), 12345) << name_of(op);
  }
}

TEST(P2pMeasureOnAMockLink, AWriteLandsInThePeersWindowAndAReadBringsItBack) {
  MockLink link(4096);
  PairBuffers buffers(link.a, 4096);  // filled with the byte pattern i & 0xff
  StreamPlan plan = plan_of(TransferOp::kWrite, 3, 0);
  auto passive = std::async(std::launch::async, [&] {
    PairBuffers b_buffers(link.b, 4096);
    return timed_stream(link.b, b_buffers, plan_of(TransferOp::kWrite, 0, 3));
  });
  timed_stream(link.a, buffers, plan);
  passive.get();
  const auto& window = link.wire->sides[1].window;
  for (std::size_t i = 0; i < window.size(); ++i) ASSERT_EQ(window[i], std::byte(i & 0xff)) << "byte " << i;
}

// perftest's peak: only where a completion means the bytes arrived (verbs), never from TCP-like completions.
// Each request holds the link 2 ms, so no run of operations can beat 2 ms each, and the best run is at least
// as fast as the whole stream's average.
TEST(P2pMeasureOnAMockLink, APeakIsMeasuredOnlyWhereACompletionMeansDelivery) {
  for (const TransferOp op : {TransferOp::kWrite, TransferOp::kSend}) {
    for (const bool delivered : {false, true}) {
      MockLink link(4096);
      link.wire->per_request = std::chrono::milliseconds(2);
      link.wire->delivered = delivered;
      const auto [a, b] = run_both(link, plan_of(op, 20, 0), plan_of(op, 0, 20));
      EXPECT_FALSE(b.peak_seconds_per_op) << "the passive side posted nothing";
      if (!delivered) {
        EXPECT_FALSE(a.peak_seconds_per_op) << name_of(op);
        continue;
      }
      ASSERT_TRUE(a.peak_seconds_per_op) << name_of(op);
      // A completion is stamped when it is polled, a little after the link let it go: the run's first stamp can
      // be late by the poll's lag while its last is not (1.998 ms once under the sanitizers), so 10 % slack.
      EXPECT_GE(*a.peak_seconds_per_op, 0.002 * 0.9) << name_of(op);
      EXPECT_LE(*a.peak_seconds_per_op, a.seconds / 20.0) << name_of(op);
    }
  }
}

// A link that moves slowly (each write holds it 25 ms, so 30 writes take 0.75 s) but never stops: the passive
// side, which sees none of the writes, hears heartbeats and waits past its 0.5 s stall deadline.
TEST(P2pMeasureOnAMockLink, APassiveSideWaitsOnASlowLinkThatStillMoves) {
  MockLink link(4096);
  link.wire->per_request = std::chrono::milliseconds(25);
  for (const TransferOp op : {TransferOp::kWrite, TransferOp::kRead}) {
    StreamPlan active = plan_of(op, 30, 0, 0.5), passive = plan_of(op, 0, 30, 0.5);
    active.depth = 1;
    const auto [a, b] = run_both(link, active, passive);
    EXPECT_GE(a.seconds, 0.7) << name_of(op);
    EXPECT_GE(b.seconds, 0.7) << name_of(op);
  }
}

// The side that posts stops (its requests never complete: a dead link or a hung peer): both sides give up
// about stall_s later, naming the peer and how far they got, instead of waiting for good.
TEST(P2pMeasureOnAMockLink, BothSidesGiveUpStallSecondsAfterTheWritesStop) {
  MockLink link(4096);
  link.wire->sides[0].frozen = true;
  const auto start = Clock::now();
  PairBuffers a_buffers(link.a, 4096), b_buffers(link.b, 4096);
  auto passive = std::async(std::launch::async,
                            [&] { return timed_stream(link.b, b_buffers, plan_of(TransferOp::kWrite, 0, 50, 0.4)); });
  try {
    timed_stream(link.a, a_buffers, plan_of(TransferOp::kWrite, 50, 0, 0.4));
    ADD_FAILURE() << "the frozen side returned";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("RDMA writes: 0/50 of this side's done"), std::string::npos) << e.what();
  }
  try {
    passive.get();
    ADD_FAILURE() << "the passive side returned";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("mock peer 0"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("the peer's last report 0/50"), std::string::npos) << e.what();
  }
  EXPECT_LT(std::chrono::duration<double>(Clock::now() - start).count(), 3.0);
}

}  // namespace
}  // namespace railcheck
