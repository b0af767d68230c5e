// The correctness check's expected result, element by element, defined once for the host check and the GPU
// verify kernel. Every rank's input is pattern_value(rank, index, seed); each collective's result is a
// reduction or a rearrangement of those inputs.
#pragma once

#include <cstdint>

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

struct ExpectedParams {
  ResultShape shape = ResultShape::kReduced;
  Reduction op = Reduction::kSum;  ///< used by the reduced shapes only
  int nranks = 1;
  int rank = 0;
  int root = 0;
  std::uint64_t chunk = 0;  ///< per-rank element count of the chunked shapes
  std::uint32_t seed = 0;
};

/// Reduction over all ranks of the pattern at `index`: integer types wrap like T, reals are exact doubles.
template <typename T>
RC_HOST_DEVICE inline T reduced_value(const ExpectedParams& p, std::uint64_t index) {
  const bool product = p.op == Reduction::kProd;
  std::uint64_t sum = 0, prod = 1;
  int high = -1, low = 1 << 30;
  for (int r = 0; r < p.nranks; ++r) {
    const int v = pattern_value(r, index, p.seed, product);
    sum += static_cast<std::uint64_t>(v);
    prod *= static_cast<std::uint64_t>(v);
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
      case Reduction::kAvg:
        return static_cast<T>(static_cast<T>(sum) / static_cast<T>(p.nranks));
    }
    return T{};
  } else {
    // Products of 1s and 2s and sums of 0..7 stay exact integers in a double.
    switch (p.op) {
      case Reduction::kSum:
        return encode<T>(static_cast<double>(sum));
      case Reduction::kProd:
        return encode<T>(static_cast<double>(prod));
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
      return encode<T>(pattern_value(static_cast<int>(i / chunk), i % chunk, p.seed, false));
    case ResultShape::kTransposedChunks:
      return encode<T>(pattern_value(static_cast<int>(i / chunk), rank * chunk + i % chunk, p.seed, false));
    case ResultShape::kFromRoot:
      return encode<T>(pattern_value(p.root, i, p.seed, false));
    case ResultShape::kFromPrevious:
      return encode<T>(pattern_value((p.rank - 1 + p.nranks) % p.nranks, i, p.seed, false));
  }
  return T{};
}

/// Whether `got` is within `tolerance` (relative, at least 1 absolute) of `want`; integers must be equal and
/// a NaN is never within tolerance.
template <typename T>
RC_HOST_DEVICE inline bool element_matches(T got, T want, double tolerance) {
  if constexpr (kIsInteger<T>) {
    return got == want;
  } else {
    const double g = decode(got), w = decode(want);
    const double difference = g > w ? g - w : w - g;
    const double scale = (w < 0 ? -w : w) > 1.0 ? (w < 0 ? -w : w) : 1.0;
    return difference <= tolerance * scale;
  }
}

}  // namespace railcheck::kernels
