// The correctness check's expected result, element by element, defined once for the host check and the GPU
// verify kernel. Every rank's input is pattern_value(rank, index, seed); each collective's result is a
// reduction or a rearrangement of those inputs.
#pragma once

#include <cmath>
#include <cstdint>
#include <cstring>

#include "railcheck/kernels/element.h"
#include "railcheck/kernels/host_device.h"
#include "railcheck/kernels/pattern.h"

namespace railcheck::kernels {

/// How an output element derives from the inputs (one per collective; kernels/ keeps no collective names).
enum class ResultShape : int {
  kReduced,           ///< all_reduce, reduce (root): reduction over ranks at the same index
  kReducedSlice,      ///< reduce_scatter: reduction at rank*chunk + i
  kGatheredChunks,    ///< all_gather: chunk j is rank j's input
  kTransposedChunks,  ///< all_to_all: chunk j is rank j's chunk for this rank
  kFromRoot,          ///< broadcast: the root's input
  kFromPrevious,      ///< send_recv ring shift: the previous rank's input
};

enum class Reduction : int { kSum, kProd, kMax, kMin, kAvg };

/// The pattern a reduction's inputs follow (pattern.h).
RC_HOST_DEVICE inline PatternUse pattern_use(Reduction op) {
  switch (op) {
    case Reduction::kSum:
      return PatternUse::kSum;
    case Reduction::kAvg:
      return PatternUse::kAverage;
    case Reduction::kProd:
      return PatternUse::kProduct;
    case Reduction::kMax:
      return PatternUse::kMax;
    case Reduction::kMin:
      return PatternUse::kMin;
  }
  return PatternUse::kData;
}

struct ExpectedParams {
  ResultShape shape = ResultShape::kReduced;
  Reduction op = Reduction::kSum;  ///< used by the reduced shapes only
  int nranks = 1;
  int rank = 0;
  int root = 0;
  std::uint64_t chunk = 0;  ///< per-rank element count of the chunked shapes
  std::uint32_t seed = 0;
};

/// Reduction over all ranks of the pattern at `index`: integer types wrap like T, reals are exact doubles
/// (the pattern keeps every partial result exact in T; avg is the one rounding, once).
template <typename T>
RC_HOST_DEVICE inline T reduced_value(const ExpectedParams& p, std::uint64_t index) {
  const PatternUse use = pattern_use(p.op);
  const int window = exact_window<T>(use);
  // Only the window's ranks hold anything but the neutral value: the others need not be visited.
  const int first = window < p.nranks ? window_start(index, p.seed, p.nranks) : 0;
  const int visited = window < p.nranks ? window : p.nranks;
  std::uint64_t sum = 0, prod = 1;
  int twos = 0;  // a product of the pattern is 2^twos (reals may reach 2^1023: beyond any integer)
  int high = use == PatternUse::kMax && window < p.nranks ? 0 : -1;  // the neutral values outside the window
  int low = use == PatternUse::kMin && window < p.nranks ? 7 : 1 << 30;
  for (int k = 0; k < visited; ++k) {
    const int r = (first + k) % p.nranks;
    const int v = pattern_value<T>(r, index, p.seed, use, p.nranks);
    sum += static_cast<std::uint64_t>(v);
    prod *= static_cast<std::uint64_t>(v);
    twos += v == 2 ? 1 : 0;
    high = v > high ? v : high;
    low = v < low ? v : low;
  }
  if constexpr (kIsInteger<T>) {
    switch (p.op) {
      case Reduction::kSum:
        return static_cast<T>(sum);
      case Reduction::kProd:
        return static_cast<T>(prod);
      case Reduction::kMax:
        return static_cast<T>(high);
      case Reduction::kMin:
        return static_cast<T>(low);
      case Reduction::kAvg: {
        // The wrapped sum divided in the wider of T and int (8-bit types cannot hold 256 or more ranks).
        using Wide = decltype(T{} + 0);
        return static_cast<T>(static_cast<Wide>(static_cast<T>(sum)) / static_cast<Wide>(p.nranks));
      }
    }
    return T{};
  } else {
    // Sums below 2^significand and products that are powers of two are exact in a double and in T.
    switch (p.op) {
      case Reduction::kSum:
        return encode<T>(static_cast<double>(sum));
      case Reduction::kProd:
        return encode<T>(ldexp(1.0, twos));
      case Reduction::kMax:
        return encode<T>(high);
      case Reduction::kMin:
        return encode<T>(low);
      case Reduction::kAvg:
        return encode<T>(static_cast<double>(sum) / p.nranks);
    }
    return T{};
  }
}

/// The expected output element `i` of rank p.rank.
template <typename T>
RC_HOST_DEVICE inline T expected_value(const ExpectedParams& p, std::uint64_t i) {
  const std::uint64_t chunk = p.chunk == 0 ? 1 : p.chunk;
  const auto rank = static_cast<std::uint64_t>(p.rank);
  switch (p.shape) {
    case ResultShape::kReduced:
      return reduced_value<T>(p, i);
    case ResultShape::kReducedSlice:
      return reduced_value<T>(p, rank * chunk + i);
    case ResultShape::kGatheredChunks:
      return encode<T>(pattern_value<T>(static_cast<int>(i / chunk), i % chunk, p.seed, PatternUse::kData, p.nranks));
    case ResultShape::kTransposedChunks:
      return encode<T>(
          pattern_value<T>(static_cast<int>(i / chunk), rank * chunk + i % chunk, p.seed, PatternUse::kData, p.nranks));
    case ResultShape::kFromRoot:
      return encode<T>(pattern_value<T>(p.root, i, p.seed, PatternUse::kData, p.nranks));
    case ResultShape::kFromPrevious:
      return encode<T>(pattern_value<T>((p.rank - 1 + p.nranks) % p.nranks, i, p.seed, PatternUse::kData, p.nranks));
  }
  return T{};
}

/// T's bit pattern mapped to an unsigned integer that grows with the value (sign-magnitude to offset), so
/// the difference of two is their distance in ULPs.
template <typename T>
RC_HOST_DEVICE inline std::uint64_t ordered_bits(T value) {
  std::uint64_t bits = 0, sign = 0;
  if constexpr (sizeof(T) == 2) {
    std::uint16_t raw;
    std::memcpy(&raw, &value, 2);
    bits = raw;
    sign = 0x8000u;
  } else if constexpr (sizeof(T) == 4) {
    std::uint32_t raw;
    std::memcpy(&raw, &value, 4);
    bits = raw;
    sign = 0x80000000u;
  } else {
    std::memcpy(&bits, &value, 8);
    sign = 0x8000000000000000ull;
  }
  return (bits & sign) ? (sign - 1) - (bits & (sign - 1)) : sign + bits;
}

/// Whether `got` is `want` (integers, and reals bit for bit), or for reals within `max_ulps` of it; a NaN
/// never matches.
template <typename T>
RC_HOST_DEVICE inline bool element_matches(T got, T want, int max_ulps) {
  if constexpr (kIsInteger<T>) {
    return got == want;
  } else {
    const double g = decode(got);
    if (g != g) return false;  // NaN
    const std::uint64_t a = ordered_bits(got), b = ordered_bits(want);
    return (a > b ? a - b : b - a) <= static_cast<std::uint64_t>(max_ulps);
  }
}

}  // namespace railcheck::kernels
