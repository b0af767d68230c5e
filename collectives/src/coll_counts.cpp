#include "railcheck/collectives/coll_counts.h"

#include <algorithm>

namespace railcheck {
namespace {

// nccl-tests (2.13.12 on) aligns the per-rank chunk of all_gather, reduce_scatter and alltoall down to 16
// bytes: (count / n) & ~(16 / eltsize - 1).
constexpr std::size_t kChunkAlignBytes = 16;

std::size_t aligned_chunk(std::size_t count, int nranks, DataType type) {
  const std::size_t align = std::max<std::size_t>(1, kChunkAlignBytes / size_of(type));
  return (count / static_cast<std::size_t>(nranks)) / align * align;
}

}  // namespace

CollCounts coll_counts(CollectiveKind kind, std::size_t size_bytes, DataType type, int nranks) {
  const std::size_t count = size_bytes / size_of(type);
  const auto n = static_cast<std::size_t>(nranks);
  CollCounts c;
  switch (kind) {
    case CollectiveKind::kAllReduce:
    case CollectiveKind::kBroadcast:
    case CollectiveKind::kReduce:
    case CollectiveKind::kSendRecv:
      c.send_count = c.recv_count = c.param_count = count;
      break;
    case CollectiveKind::kAllGather: {
      const std::size_t base = aligned_chunk(count, nranks, type);
      c.send_count = base;
      c.recv_count = base * n;
      c.param_count = base;
      c.send_in_place_offset = base;
      break;
    }
    case CollectiveKind::kReduceScatter: {
      const std::size_t base = aligned_chunk(count, nranks, type);
      c.send_count = base * n;
      c.recv_count = base;
      c.param_count = base;
      c.recv_in_place_offset = base;
      break;
    }
    case CollectiveKind::kAllToAll: {
      const std::size_t chunk = aligned_chunk(count, nranks, type);  // nccl-tests >= 2.13.12 aligns alltoall too
      c.send_count = c.recv_count = chunk * n;
      c.param_count = chunk;
      break;
    }
  }
  return c;
}

std::size_t reported_size_bytes(const CollCounts& counts, DataType type) {
  return std::max(counts.send_count, counts.recv_count) * size_of(type);
}

double bus_factor(CollectiveKind kind, int nranks) {
  const double n = nranks;
  switch (kind) {
    case CollectiveKind::kAllReduce:
      return 2.0 * (n - 1.0) / n;
    case CollectiveKind::kAllGather:
    case CollectiveKind::kReduceScatter:
    case CollectiveKind::kAllToAll:
      return (n - 1.0) / n;
    case CollectiveKind::kBroadcast:
    case CollectiveKind::kReduce:
    case CollectiveKind::kSendRecv:
      return 1.0;
  }
  return 1.0;
}

Bandwidth bandwidth(CollectiveKind kind, std::size_t param_count, DataType type, double seconds, int nranks) {
  if (seconds <= 0.0) return {};
  double bytes = static_cast<double>(param_count) * static_cast<double>(size_of(type));
  // For the chunked collectives nccl-tests counts the whole buffer: n chunks.
  if (kind == CollectiveKind::kAllGather || kind == CollectiveKind::kReduceScatter ||
      kind == CollectiveKind::kAllToAll) {
    bytes *= nranks;
  }
  Bandwidth bw;
  bw.algbw_gbps = bytes / 1.0e9 / seconds;
  bw.busbw_gbps = bw.algbw_gbps * bus_factor(kind, nranks);
  return bw;
}

}  // namespace railcheck
