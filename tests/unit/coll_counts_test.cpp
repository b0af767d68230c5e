// Element counts per collective against nccl-tests' *GetCollByteCount, with hand-worked examples.
#include <gtest/gtest.h>

#include "railcheck/collectives/coll_counts.h"

namespace railcheck {
namespace {

struct Want {
  std::size_t send, recv, param, send_offset, recv_offset;
};

void expect_counts(const CollCounts& c, const Want& want) {
  EXPECT_EQ(c.send_count, want.send);
  EXPECT_EQ(c.recv_count, want.recv);
  EXPECT_EQ(c.param_count, want.param);
  EXPECT_EQ(c.send_in_place_offset, want.send_offset);
  EXPECT_EQ(c.recv_in_place_offset, want.recv_offset);
}

TEST(CollCounts, AllReduceUsesWholeCountForSendRecvAndParam) {
  // 1000 bytes / 4 = 250 floats.
  const CollCounts c = coll_counts(CollectiveKind::kAllReduce, 1000, DataType::kFloat32, 4);
  expect_counts(c, {250, 250, 250, 0, 0});
  EXPECT_EQ(reported_size_bytes(c, DataType::kFloat32), 1000u);
}

TEST(CollCounts, AllReduceDropsTrailingBytesThatDoNotFillAnElement) {
  // 1003 bytes / 4 = 250 floats (3 bytes dropped); the size column shows 1000.
  const CollCounts c = coll_counts(CollectiveKind::kAllReduce, 1003, DataType::kFloat32, 3);
  expect_counts(c, {250, 250, 250, 0, 0});
  EXPECT_EQ(reported_size_bytes(c, DataType::kFloat32), 1000u);
}

TEST(CollCounts, BroadcastReduceAndSendRecvUseWholeCount) {
  // 1000 bytes / 8 = 125 int64.
  for (CollectiveKind kind : {CollectiveKind::kBroadcast, CollectiveKind::kReduce, CollectiveKind::kSendRecv}) {
    SCOPED_TRACE(std::string(key_of(kind)));
    const CollCounts c = coll_counts(kind, 1000, DataType::kInt64, 4);
    expect_counts(c, {125, 125, 125, 0, 0});
    EXPECT_EQ(reported_size_bytes(c, DataType::kInt64), 1000u);
  }
}

TEST(CollCounts, AllGatherEightRanksOneMebibyteSplitsEvenly) {
  // 1 MiB = 262144 floats; / 8 = 32768 per rank (already a multiple of 4 floats = 16 bytes).
  const CollCounts c = coll_counts(CollectiveKind::kAllGather, 1 << 20, DataType::kFloat32, 8);
  expect_counts(c, {32768, 262144, 32768, 32768, 0});
  EXPECT_EQ(reported_size_bytes(c, DataType::kFloat32), 1u << 20);
}

TEST(CollCounts, AllGatherAlignsChunkDownTo16BytesOfFloats) {
  // 1000 bytes = 250 floats; / 3 = 83; aligned down to 4 floats -> 80; recv 240 floats = 960 bytes.
  const CollCounts c = coll_counts(CollectiveKind::kAllGather, 1000, DataType::kFloat32, 3);
  expect_counts(c, {80, 240, 80, 80, 0});
  EXPECT_EQ(reported_size_bytes(c, DataType::kFloat32), 960u);
}

TEST(CollCounts, AllGatherAlignsChunkDownTo16BytesOfInt8) {
  // 100 int8 / 3 = 33; aligned down to 16 -> 32; recv 96.
  const CollCounts c = coll_counts(CollectiveKind::kAllGather, 100, DataType::kInt8, 3);
  expect_counts(c, {32, 96, 32, 32, 0});
  EXPECT_EQ(reported_size_bytes(c, DataType::kInt8), 96u);
}

TEST(CollCounts, AllGatherAlignsChunkDownTo16BytesOfDoubles) {
  // 100 bytes = 12 doubles; / 3 = 4 (a multiple of 2 doubles); recv 12 doubles = 96 bytes.
  const CollCounts c = coll_counts(CollectiveKind::kAllGather, 100, DataType::kFloat64, 3);
  expect_counts(c, {4, 12, 4, 4, 0});
  EXPECT_EQ(reported_size_bytes(c, DataType::kFloat64), 96u);
  // 120 bytes = 15 doubles; / 2 = 7; aligned down to 2 -> 6.
  expect_counts(coll_counts(CollectiveKind::kAllGather, 120, DataType::kFloat64, 2), {6, 12, 6, 6, 0});
}

TEST(CollCounts, AllGatherTooSmallForOneAlignedChunkYieldsZeroElements) {
  // 64 bytes = 16 floats; / 8 = 2 floats < 4 -> 0.
  const CollCounts c = coll_counts(CollectiveKind::kAllGather, 64, DataType::kFloat32, 8);
  expect_counts(c, {0, 0, 0, 0, 0});
  EXPECT_EQ(reported_size_bytes(c, DataType::kFloat32), 0u);
}

TEST(CollCounts, ReduceScatterSendsAllChunksAndReceivesOneAligned) {
  // 250 floats / 3 = 83 -> 80; send 240, recv 80; recv sits at rank * 80 inside send when in place.
  const CollCounts c = coll_counts(CollectiveKind::kReduceScatter, 1000, DataType::kFloat32, 3);
  expect_counts(c, {240, 80, 80, 0, 80});
  EXPECT_EQ(reported_size_bytes(c, DataType::kFloat32), 960u);
}

TEST(CollCounts, ReduceScatterAlignsHalvesToEightElements) {
  // 100 bytes = 50 halves; / 4 = 12; aligned down to 8 -> 8; send 32 = 64 bytes.
  const CollCounts c = coll_counts(CollectiveKind::kReduceScatter, 100, DataType::kFloat16, 4);
  expect_counts(c, {32, 8, 8, 0, 8});
  EXPECT_EQ(reported_size_bytes(c, DataType::kFloat16), 64u);
}

TEST(CollCounts, ReduceScatterTooSmallYieldsZeroElements) {
  // 8 bytes = 2 floats; / 2 = 1 < 4 -> 0.
  expect_counts(coll_counts(CollectiveKind::kReduceScatter, 8, DataType::kFloat32, 2), {0, 0, 0, 0, 0});
}

TEST(CollCounts, AllToAllAlignsThePerPeerChunkTo16BytesAsNcclTests) {
  // nccl-tests 2.19 alltoall.cu: paramcount = (count/n) & ~(16/eltsize - 1).
  // 250 floats / 3 = 83 per peer, aligned down to 4 -> 80; send = recv = 240 = 960 bytes.
  const CollCounts c = coll_counts(CollectiveKind::kAllToAll, 1000, DataType::kFloat32, 3);
  expect_counts(c, {240, 240, 80, 0, 0});
  EXPECT_EQ(reported_size_bytes(c, DataType::kFloat32), 960u);
}

TEST(CollCounts, AllToAllAt3RanksAnd1MiBGivesNcclTestsSizeAndCountColumns) {
  // The case: -b 1M, 3 ranks, float. count = 262144; 262144 / 3 = 87381; & ~3 = 87380;
  // size = 87380 * 3 * 4 = 1048560 (the unaligned form read 87381 / 1048572).
  const CollCounts c = coll_counts(CollectiveKind::kAllToAll, 1 << 20, DataType::kFloat32, 3);
  EXPECT_EQ(c.param_count, 87380u);
  EXPECT_EQ(reported_size_bytes(c, DataType::kFloat32), 1048560u);
  // int8: 16 elements per 16 bytes; 1048576 / 3 = 349525 & ~15 = 349520.
  EXPECT_EQ(coll_counts(CollectiveKind::kAllToAll, 1 << 20, DataType::kInt8, 3).param_count, 349520u);
  // double: 2 per 16 bytes; 131072 / 3 = 43690 & ~1 = 43690.
  EXPECT_EQ(coll_counts(CollectiveKind::kAllToAll, 1 << 20, DataType::kFloat64, 3).param_count, 43690u);
}

TEST(CollCounts, AllToAllFewerElementsThanRanksYieldsZero) {
  // 3 int8 over 4 ranks: 0 per peer.
  expect_counts(coll_counts(CollectiveKind::kAllToAll, 3, DataType::kInt8, 4), {0, 0, 0, 0, 0});
}

TEST(CollCounts, SizeSmallerThanOneElementYieldsZeroForEveryCollective) {
  for (CollectiveKind kind : all_collectives()) {
    SCOPED_TRACE(std::string(key_of(kind)));
    const CollCounts c = coll_counts(kind, 7, DataType::kFloat64, 2);
    EXPECT_EQ(c.send_count, 0u);
    EXPECT_EQ(c.recv_count, 0u);
    EXPECT_EQ(c.param_count, 0u);
    EXPECT_EQ(reported_size_bytes(c, DataType::kFloat64), 0u);
  }
}

TEST(CollCounts, ReportedSizeIsTheLargerOfSendAndRecvBytes) {
  CollCounts c;
  c.send_count = 10;
  c.recv_count = 30;
  EXPECT_EQ(reported_size_bytes(c, DataType::kFloat16), 60u);
  c.send_count = 40;
  EXPECT_EQ(reported_size_bytes(c, DataType::kFloat16), 80u);
}

}  // namespace
}  // namespace railcheck
