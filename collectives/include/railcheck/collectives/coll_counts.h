// Element counts per collective for a requested size, exactly as nccl-tests' *GetCollByteCount derive them,
// and the algbw/busbw formulas of nccl-tests' *GetBw. The one place these conventions live.
#pragma once

#include <cstddef>

#include "railcheck/collectives/collective_kind.h"
#include "railcheck/collectives/data_type.h"

namespace railcheck {

/// Element counts of one call. `param_count` is the count argument of the NCCL call (and the `count` column of
/// the nccl-tests table); send/recv counts size the buffers; the in-place offsets (elements) place the send
/// (or recv) data inside the recv (or send) buffer when the call runs in place.
struct CollCounts {
  std::size_t send_count = 0;
  std::size_t recv_count = 0;
  std::size_t param_count = 0;
  std::size_t send_in_place_offset = 0;  ///< per rank: send = recv + rank * this (all_gather)
  std::size_t recv_in_place_offset = 0;  ///< per rank: recv = send + rank * this (reduce_scatter)
};

/// Counts for a requested size in bytes (nccl-tests' -b/-e value) on `nranks` ranks.
CollCounts coll_counts(CollectiveKind kind, std::size_t size_bytes, DataType type, int nranks);

/// Bytes nccl-tests prints in its `size` column: max(send, recv) bytes.
std::size_t reported_size_bytes(const CollCounts& counts, DataType type);

struct Bandwidth {
  double algbw_gbps = 0.0;  ///< GB/s, 1e9 bytes/s
  double busbw_gbps = 0.0;
};

/// nccl-tests' algbw and busbw for one call of `param_count` elements that took `seconds` on `nranks` ranks.
Bandwidth bandwidth(CollectiveKind kind, std::size_t param_count, DataType type, double seconds, int nranks);

/// busbw / algbw: 2(n-1)/n for all_reduce, (n-1)/n for all_gather, reduce_scatter, all_to_all, 1 otherwise.
double bus_factor(CollectiveKind kind, int nranks);

}  // namespace railcheck
