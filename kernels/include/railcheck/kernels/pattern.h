// The deterministic per-rank data pattern of the correctness check, defined once for host and device.
//
// Every element is a small integer, so every supported type holds it exactly and reductions over many ranks
// stay exact (or within the documented tolerance) in every type: values 0..7 for sum/avg/min/max, and 1 or 2
// (2 at most about once in 17 ranks) for prod so products cannot overflow.
#pragma once

#include <cstdint>

#include "railcheck/kernels/host_device.h"

namespace railcheck::kernels {

/// The value rank `rank` holds at element `index` of its input for check pass `seed`.
RC_HOST_DEVICE inline int pattern_value(int rank, std::uint64_t index, std::uint32_t seed, bool for_product) {
  // A cheap integer mix so neighbouring ranks and indices differ (a shifted or swapped chunk is caught).
  std::uint64_t x = index * 0x9E3779B97F4A7C15ull + static_cast<std::uint64_t>(rank) * 0xC2B2AE3D27D4EB4Full +
                    static_cast<std::uint64_t>(seed) * 0x165667B19E3779F9ull;
  x ^= x >> 29;
  x *= 0xBF58476D1CE4E5B9ull;
  x ^= x >> 32;
  if (for_product) return (x % 17u) == 0u ? 2 : 1;
  return static_cast<int>(x & 7u);
}

}  // namespace railcheck::kernels
