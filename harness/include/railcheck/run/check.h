// The correctness check (-c): deterministic inputs per rank, expected results computed independently on the
// host from the same pattern, and a count of wrong elements per rank.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "railcheck/collectives/coll_counts.h"
#include "railcheck/collectives/collective_kind.h"
#include "railcheck/collectives/data_type.h"
#include "railcheck/kernels/expected_value.h"

namespace railcheck {

/// What one check pass exercises.
struct CheckCase {
  CollectiveKind kind = CollectiveKind::kAllReduce;
  DataType type = DataType::kFloat32;
  ReduceOp op = ReduceOp::kSum;
  int root = 0;
  int nranks = 1;
  CollCounts counts;
  bool in_place = false;  ///< reduce: what a non-root rank's receive buffer held before the call
};

/// The parameters of the shared host/device expected-value definition (kernels/expected_value.h) for this
/// case on `rank`: what a GPU verify kernel needs to check the same pass on the device.
kernels::ExpectedParams expected_params(const CheckCase& c, int rank, std::uint32_t seed);

/// The input `rank` holds for pass `seed`: counts.send_count elements of `type`, as raw bytes.
std::vector<std::byte> make_check_input(const CheckCase& c, int rank, std::uint32_t seed);

/// How many elements of `output` (the rank's counts.recv_count result elements) differ from the expected
/// result: bit for bit, except avg of a real type (check_max_ulps). Non-root ranks of reduce count the
/// elements the call changed (their receive buffer must be left as it was).
std::uint64_t count_wrong_elements(const CheckCase& c, int rank, std::uint32_t seed, std::span<const std::byte> output);

/// ULPs a result element may be off: 0 (bit-exact: the pattern keeps every reduction exact in its type), 2
/// for avg of a real type (NCCL pre-multiplies by 1/n; nccl-tests allows the same 2).
int check_max_ulps(DataType type, ReduceOp op, CollectiveKind kind);

/// Fault injection for testing the checker: inverts every bit of up to `max_elements` elements spread over
/// `output`. Returns how many were corrupted.
std::size_t corrupt_elements(std::span<std::byte> output, DataType type, std::size_t max_elements);

}  // namespace railcheck
