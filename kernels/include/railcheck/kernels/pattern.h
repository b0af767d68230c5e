// The deterministic per-rank data pattern of the correctness check, defined once for host and device.
//
// Every reduction of the pattern is exact in its element type, in any order and at any rank count, so the
// check compares bit for bit (nccl-tests' rule; only avg keeps 2 ULPs, as nccl-tests does):
// - data movement: every rank holds a small integer 0..7 at every element;
// - sum: at each element a window of at most exact_window<T>(kSum) ranks (rotating with the element) holds
//   0..7 and the others 0, so every partial sum is an integer T holds exactly (bfloat16: 36 ranks);
// - avg: the same with at most 2 contributors, so the pre-multiplied sum is off by 2 ULPs at most;
// - prod: a window of ranks holds 1 or 2 and the others 1, so the product is a power of two T holds
//   (half: 2^15, int8: 2^6);
// - max / min: a window holds 0..7 and the others the neutral 0 / 7.
// No window is wider than kMaxContributors, so the expected value of an element costs at most that many
// pattern values whatever the rank count. Below the window every rank contributes at every element; above
// it each rank still contributes to window/nranks of the elements.
#pragma once

#include <climits>
#include <cstdint>

#include "railcheck/kernels/element.h"
#include "railcheck/kernels/host_device.h"

namespace railcheck::kernels {

/// What the inputs of one check are combined with.
enum class PatternUse : int {
  kData,     ///< data movement, min, max: 0..7 on every rank
  kSum,      ///< sum: 0..7 within the exact window, 0 elsewhere
  kAverage,  ///< avg: 0..7 on at most 2 ranks, 0 elsewhere
  kProduct,  ///< prod: 1 or 2 within the exact window, 1 elsewhere
  kMax,      ///< max: 0..7 within the window, 0 elsewhere
  kMin,      ///< min: 0..7 within the window, 7 elsewhere
};

/// The widest window of any reduction: at most this many ranks hold a non-neutral value at one element.
inline constexpr int kMaxContributors = 64;

/// Bits of T's significand (implicit bit included) for reals; 0 for integers.
template <typename T>
inline constexpr int kSignificandBits = 0;
template <>
inline constexpr int kSignificandBits<Half> = 11;
template <>
inline constexpr int kSignificandBits<BFloat16> = 8;
template <>
inline constexpr int kSignificandBits<float> = 24;
template <>
inline constexpr int kSignificandBits<double> = 53;

/// The largest power of two T holds, as an exponent: reals' max exponent; integers' value bits (so a
/// product of 2s never reaches the sign bit or wraps to 0).
template <typename T>
inline constexpr int kMaxPowerOfTwo = 0;
template <>
inline constexpr int kMaxPowerOfTwo<std::int8_t> = 6;
template <>
inline constexpr int kMaxPowerOfTwo<std::uint8_t> = 7;
template <>
inline constexpr int kMaxPowerOfTwo<std::int32_t> = 30;
template <>
inline constexpr int kMaxPowerOfTwo<std::uint32_t> = 31;
template <>
inline constexpr int kMaxPowerOfTwo<std::int64_t> = 62;
template <>
inline constexpr int kMaxPowerOfTwo<std::uint64_t> = 63;
template <>
inline constexpr int kMaxPowerOfTwo<Half> = 15;
template <>
inline constexpr int kMaxPowerOfTwo<BFloat16> = 127;
template <>
inline constexpr int kMaxPowerOfTwo<float> = 127;
template <>
inline constexpr int kMaxPowerOfTwo<double> = 1023;

/// How many ranks hold a non-neutral value at one element: at most kMaxContributors, and few enough for the
/// reduction to stay exact in T.
template <typename T>
RC_HOST_DEVICE constexpr int exact_window(PatternUse use) {
  switch (use) {
    case PatternUse::kData:
      return INT_MAX;  // no reduction: every rank's own value
    case PatternUse::kAverage:
      return 2;
    case PatternUse::kMax:
    case PatternUse::kMin:
      return kMaxContributors;
    case PatternUse::kProduct:
      // Each contributor doubles at most once.
      return kMaxPowerOfTwo<T> < kMaxContributors ? kMaxPowerOfTwo<T> : kMaxContributors;
    case PatternUse::kSum:
      if constexpr (kIsInteger<T>) {
        return kMaxContributors;  // integer sums wrap the same way in every order
      } else {
        // Partial sums of values up to 7 stay integers below 2^significand, which T holds exactly.
        const long long window = (1ll << (kSignificandBits<T> < 40 ? kSignificandBits<T> : 40)) / 7;
        return window < kMaxContributors ? static_cast<int>(window) : kMaxContributors;
      }
  }
  return 1;
}

/// A cheap integer mix so neighbouring ranks and indices differ (a shifted or swapped chunk is caught).
RC_HOST_DEVICE inline std::uint64_t pattern_mix(std::uint64_t index, std::uint64_t rank, std::uint32_t seed) {
  std::uint64_t x = index * 0x9E3779B97F4A7C15ull + rank * 0xC2B2AE3D27D4EB4Full +
                    static_cast<std::uint64_t>(seed) * 0x165667B19E3779F9ull;
  x ^= x >> 29;
  x *= 0xBF58476D1CE4E5B9ull;
  x ^= x >> 32;
  return x;
}

/// The first rank of element `index`'s window (the window wraps past the last rank to rank 0).
RC_HOST_DEVICE inline int window_start(std::uint64_t index, std::uint32_t seed, int nranks) {
  return static_cast<int>(pattern_mix(index, 0x51ED270B, seed) % static_cast<std::uint64_t>(nranks));
}

/// Whether `rank` is in the window of ranks that hold element `index`'s non-neutral values.
RC_HOST_DEVICE inline bool in_window(int rank, std::uint64_t index, std::uint32_t seed, int nranks, int window) {
  if (window >= nranks) return true;
  const auto n = static_cast<std::uint64_t>(nranks);
  const auto start = static_cast<std::uint64_t>(window_start(index, seed, nranks));
  return (static_cast<std::uint64_t>(rank) + n - start) % n < static_cast<std::uint64_t>(window);
}

/// The value rank `rank` (of `nranks`) holds at element `index` of its input for check pass `seed`.
template <typename T>
RC_HOST_DEVICE inline int pattern_value(int rank, std::uint64_t index, std::uint32_t seed, PatternUse use, int nranks) {
  const std::uint64_t x = pattern_mix(index, static_cast<std::uint64_t>(rank), seed);
  if (use == PatternUse::kData) return static_cast<int>(x & 7u);
  const bool active = in_window(rank, index, seed, nranks, exact_window<T>(use));
  switch (use) {
    case PatternUse::kProduct:
      return active && (x & 8u) ? 2 : 1;
    case PatternUse::kMin:
      return active ? static_cast<int>(x & 7u) : 7;
    default:  // sum, avg, max: 0 outside the window
      return active ? static_cast<int>(x & 7u) : 0;
  }
}

}  // namespace railcheck::kernels
