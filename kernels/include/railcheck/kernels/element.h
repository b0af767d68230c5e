// Storage of one element of each supported type and its conversions, identical on host and device:
// integers as themselves, half and bfloat16 as 16-bit patterns.
#pragma once

#include <cstdint>

#include "railcheck/kernels/float16.h"
#include "railcheck/kernels/host_device.h"

namespace railcheck::kernels {

struct Half {
  std::uint16_t bits;
};
struct BFloat16 {
  std::uint16_t bits;
};

template <typename T>
inline constexpr bool kIsInteger = false;
template <>
inline constexpr bool kIsInteger<std::int8_t> = true;
template <>
inline constexpr bool kIsInteger<std::uint8_t> = true;
template <>
inline constexpr bool kIsInteger<std::int32_t> = true;
template <>
inline constexpr bool kIsInteger<std::uint32_t> = true;
template <>
inline constexpr bool kIsInteger<std::int64_t> = true;
template <>
inline constexpr bool kIsInteger<std::uint64_t> = true;

/// A real value (the pattern's small integers, or a reduction of them) stored as T.
template <typename T>
RC_HOST_DEVICE inline T encode(double value) {
  return static_cast<T>(value);
}
template <>
RC_HOST_DEVICE inline Half encode<Half>(double value) {
  return Half{float_to_half(static_cast<float>(value))};
}
template <>
RC_HOST_DEVICE inline BFloat16 encode<BFloat16>(double value) {
  return BFloat16{float_to_bfloat16(static_cast<float>(value))};
}

/// T read back as a real value.
template <typename T>
RC_HOST_DEVICE inline double decode(T value) {
  return static_cast<double>(value);
}
template <>
RC_HOST_DEVICE inline double decode<Half>(Half value) {
  return half_to_float(value.bits);
}
template <>
RC_HOST_DEVICE inline double decode<BFloat16>(BFloat16 value) {
  return bfloat16_to_float(value.bits);
}

}  // namespace railcheck::kernels
