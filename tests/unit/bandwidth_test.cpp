// algbw/busbw against nccl-tests' GetBw formulas, with the expected numbers worked out by hand (GB = 1e9 bytes).
#include <gtest/gtest.h>

#include "railcheck/collectives/coll_counts.h"

namespace railcheck {
namespace {

constexpr double kRel = 1e-9;  // floating roundoff only; the numbers below are exact in decimal

void expect_bandwidth(const Bandwidth& bw, double algbw, double busbw) {
  EXPECT_NEAR(bw.algbw_gbps, algbw, algbw * kRel);
  EXPECT_NEAR(bw.busbw_gbps, busbw, busbw * kRel);
}

TEST(Bandwidth, AllReduceEightRanksOneGigabyteTenMillisecondsIs100And175) {
  // 250e6 floats = 1e9 bytes in 0.01 s -> algbw 100 GB/s; busbw = 100 * 2 * 7 / 8 = 175 GB/s.
  expect_bandwidth(bandwidth(CollectiveKind::kAllReduce, 250'000'000, DataType::kFloat32, 0.01, 8), 100.0, 175.0);
}

TEST(Bandwidth, AllGatherCountsEveryRanksChunk) {
  // chunk 12.5e6 floats = 5e7 bytes per rank, 8 ranks -> 4e8 bytes in 0.004 s = 100 GB/s; busbw 100 * 7/8 = 87.5.
  expect_bandwidth(bandwidth(CollectiveKind::kAllGather, 12'500'000, DataType::kFloat32, 0.004, 8), 100.0, 87.5);
}

TEST(Bandwidth, ReduceScatterCountsEveryRanksChunk) {
  // chunk 25e6 floats = 1e8 bytes, 4 ranks -> 4e8 bytes in 0.002 s = 200 GB/s; busbw 200 * 3/4 = 150.
  expect_bandwidth(bandwidth(CollectiveKind::kReduceScatter, 25'000'000, DataType::kFloat32, 0.002, 4), 200.0, 150.0);
}

TEST(Bandwidth, AllToAllCountsPerPeerChunkTimesRanks) {
  // per-peer chunk 1e6 doubles = 8e6 bytes, 16 ranks -> 1.28e8 bytes in 0.001 s = 128 GB/s; busbw 128*15/16 = 120.
  expect_bandwidth(bandwidth(CollectiveKind::kAllToAll, 1'000'000, DataType::kFloat64, 0.001, 16), 128.0, 120.0);
}

TEST(Bandwidth, BroadcastBusbwEqualsAlgbw) {
  // 5e8 int8 = 5e8 bytes in 0.01 s = 50 GB/s, factor 1.
  expect_bandwidth(bandwidth(CollectiveKind::kBroadcast, 500'000'000, DataType::kInt8, 0.01, 8), 50.0, 50.0);
}

TEST(Bandwidth, ReduceBusbwEqualsAlgbw) {
  // 1e8 halves = 2e8 bytes in 0.004 s = 50 GB/s, factor 1.
  expect_bandwidth(bandwidth(CollectiveKind::kReduce, 100'000'000, DataType::kFloat16, 0.004, 4), 50.0, 50.0);
}

TEST(Bandwidth, SendRecvBusbwEqualsAlgbw) {
  // 1.25e8 floats = 5e8 bytes in 0.02 s = 25 GB/s, factor 1.
  expect_bandwidth(bandwidth(CollectiveKind::kSendRecv, 125'000'000, DataType::kFloat32, 0.02, 2), 25.0, 25.0);
}

TEST(Bandwidth, AllReduceTwoRanksBusbwEqualsAlgbw) {
  // 2 * (2-1) / 2 = 1: 1.25e8 uint64 = 1e9 bytes in 0.1 s = 10 GB/s.
  expect_bandwidth(bandwidth(CollectiveKind::kAllReduce, 125'000'000, DataType::kUint64, 0.1, 2), 10.0, 10.0);
}

TEST(BusFactor, MatchesNcclTestsForEightRanks) {
  EXPECT_DOUBLE_EQ(bus_factor(CollectiveKind::kAllReduce, 8), 1.75);
  EXPECT_DOUBLE_EQ(bus_factor(CollectiveKind::kAllGather, 8), 0.875);
  EXPECT_DOUBLE_EQ(bus_factor(CollectiveKind::kReduceScatter, 8), 0.875);
  EXPECT_DOUBLE_EQ(bus_factor(CollectiveKind::kAllToAll, 8), 0.875);
  EXPECT_DOUBLE_EQ(bus_factor(CollectiveKind::kBroadcast, 8), 1.0);
  EXPECT_DOUBLE_EQ(bus_factor(CollectiveKind::kReduce, 8), 1.0);
  EXPECT_DOUBLE_EQ(bus_factor(CollectiveKind::kSendRecv, 8), 1.0);
}

TEST(BusFactor, OneRankMovesNoBusTrafficForCollectivesAndOneForRootedOrPointToPoint) {
  EXPECT_DOUBLE_EQ(bus_factor(CollectiveKind::kAllReduce, 1), 0.0);
  EXPECT_DOUBLE_EQ(bus_factor(CollectiveKind::kAllGather, 1), 0.0);
  EXPECT_DOUBLE_EQ(bus_factor(CollectiveKind::kReduceScatter, 1), 0.0);
  EXPECT_DOUBLE_EQ(bus_factor(CollectiveKind::kAllToAll, 1), 0.0);
  EXPECT_DOUBLE_EQ(bus_factor(CollectiveKind::kBroadcast, 1), 1.0);
  EXPECT_DOUBLE_EQ(bus_factor(CollectiveKind::kReduce, 1), 1.0);
  EXPECT_DOUBLE_EQ(bus_factor(CollectiveKind::kSendRecv, 1), 1.0);
}

TEST(Bandwidth, OneRankAllReduceHasAlgbwButZeroBusbw) {
  // 2.5e8 floats = 1e9 bytes in 0.01 s = 100 GB/s; busbw 100 * 0 = 0.
  const Bandwidth bw = bandwidth(CollectiveKind::kAllReduce, 250'000'000, DataType::kFloat32, 0.01, 1);
  EXPECT_NEAR(bw.algbw_gbps, 100.0, 100.0 * kRel);
  EXPECT_EQ(bw.busbw_gbps, 0.0);
}

}  // namespace
}  // namespace railcheck
