#include "railcheck/collectives/host_reduce.h"

#include <algorithm>
#include <cstdint>
#include <type_traits>

#include "railcheck/kernels/float16.h"

namespace railcheck {
namespace {

// Integers wrap around as two's complement (as NCCL and MPI do on the device or in C), never overflow: a timed
// loop of in-place sums multiplies the values by the rank count at every call.
template <typename T>
T apply(T a, T b, ReduceOp op) {
  // Integers wrap as the device does: the sum and product are taken unsigned, never as signed overflow.
  const auto wrap = [](auto x) {
    if constexpr (std::is_integral_v<T>) {
      return static_cast<std::make_unsigned_t<decltype(+x)>>(x);
    } else {
      return x;
    }
  };
  switch (op) {
    case ReduceOp::kSum:
    case ReduceOp::kAvg:
      return static_cast<T>(wrap(a) + wrap(b));
    case ReduceOp::kProd:
      return static_cast<T>(wrap(a) * wrap(b));
    case ReduceOp::kMax:
      return std::max(a, b);
    case ReduceOp::kMin:
      return std::min(a, b);
  }
  return a;
}

template <typename T>
void reduce_as(const void* in, void* inout, std::size_t count, ReduceOp op) {
  const auto* a = static_cast<const T*>(in);
  auto* b = static_cast<T*>(inout);
  for (std::size_t i = 0; i < count; ++i) b[i] = apply(b[i], a[i], op);
}

template <float (*ToFloat)(std::uint16_t), std::uint16_t (*FromFloat)(float)>
void reduce16(const void* in, void* inout, std::size_t count, ReduceOp op) {
  const auto* a = static_cast<const std::uint16_t*>(in);
  auto* b = static_cast<std::uint16_t*>(inout);
  for (std::size_t i = 0; i < count; ++i) b[i] = FromFloat(apply(ToFloat(b[i]), ToFloat(a[i]), op));
}

template <typename T>
void divide_as(void* data, std::size_t count, int divisor) {
  auto* values = static_cast<T*>(data);
  // In the wider of T and int: an 8-bit type cannot hold a divisor of 256 ranks or more.
  using Wide = std::common_type_t<T, int>;
  for (std::size_t i = 0; i < count; ++i)
    values[i] = static_cast<T>(static_cast<Wide>(values[i]) / static_cast<Wide>(divisor));
}

template <float (*ToFloat)(std::uint16_t), std::uint16_t (*FromFloat)(float)>
void divide16(void* data, std::size_t count, int divisor) {
  auto* values = static_cast<std::uint16_t*>(data);
  for (std::size_t i = 0; i < count; ++i) values[i] = FromFloat(ToFloat(values[i]) / static_cast<float>(divisor));
}

// Calls `f.template operator()<T>()` with the C++ type of `type`; half and bfloat16 go to `f16`.
template <typename Plain, typename Half, typename Bf16>
void dispatch(DataType type, Plain&& plain, Half&& half, Bf16&& bf16) {
  switch (type) {
    case DataType::kInt8:
      return plain.template operator()<std::int8_t>();
    case DataType::kUint8:
      return plain.template operator()<std::uint8_t>();
    case DataType::kInt32:
      return plain.template operator()<std::int32_t>();
    case DataType::kUint32:
      return plain.template operator()<std::uint32_t>();
    case DataType::kInt64:
      return plain.template operator()<std::int64_t>();
    case DataType::kUint64:
      return plain.template operator()<std::uint64_t>();
    case DataType::kFloat16:
      return half();
    case DataType::kBfloat16:
      return bf16();
    case DataType::kFloat32:
      return plain.template operator()<float>();
    case DataType::kFloat64:
      return plain.template operator()<double>();
  }
}

using kernels::bfloat16_to_float;
using kernels::float_to_bfloat16;
using kernels::float_to_half;
using kernels::half_to_float;

}  // namespace

void reduce_elements(const void* in, void* inout, std::size_t count, DataType type, ReduceOp op) {
  dispatch(
      type, [&]<typename T>() { reduce_as<T>(in, inout, count, op); },
      [&] { reduce16<half_to_float, float_to_half>(in, inout, count, op); },
      [&] { reduce16<bfloat16_to_float, float_to_bfloat16>(in, inout, count, op); });
}

void divide_elements(void* data, std::size_t count, DataType type, int divisor) {
  dispatch(
      type, [&]<typename T>() { divide_as<T>(data, count, divisor); },
      [&] { divide16<half_to_float, float_to_half>(data, count, divisor); },
      [&] { divide16<bfloat16_to_float, float_to_bfloat16>(data, count, divisor); });
}

}  // namespace railcheck
