#include "railcheck/check.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <type_traits>

#include "railcheck/kernels/float16.h"
#include "railcheck/kernels/pattern.h"

namespace railcheck {
namespace {

struct Half {
  std::uint16_t bits;
};
struct BFloat16 {
  std::uint16_t bits;
};

// Converts between the small integers of the pattern and a type's storage.
template <typename T>
T encode(double value) {
  if constexpr (std::is_same_v<T, Half>) return Half{kernels::float_to_half(static_cast<float>(value))};
  else if constexpr (std::is_same_v<T, BFloat16>) return BFloat16{kernels::float_to_bfloat16(static_cast<float>(value))};
  else return static_cast<T>(value);
}

template <typename T>
double decode(T value) {
  if constexpr (std::is_same_v<T, Half>) return kernels::half_to_float(value.bits);
  else if constexpr (std::is_same_v<T, BFloat16>) return kernels::bfloat16_to_float(value.bits);
  else return static_cast<double>(value);
}

template <typename T>
constexpr bool kIsInteger = std::is_integral_v<T>;

template <typename T>
T load(std::span<const std::byte> bytes, std::size_t index) {
  T value;
  std::memcpy(&value, bytes.data() + index * sizeof(T), sizeof(T));
  return value;
}

double unit_roundoff(DataType type) {
  switch (type) {
    case DataType::kFloat16: return std::ldexp(1.0, -11);
    case DataType::kBfloat16: return std::ldexp(1.0, -8);
    case DataType::kFloat32: return std::ldexp(1.0, -24);
    case DataType::kFloat64: return std::ldexp(1.0, -53);
    default: return 0.0;
  }
}

// The expected value at output element `index` of `rank`, from the pattern of every contributing rank.
class Expected {
 public:
  Expected(const CheckCase& c, int rank, std::uint32_t seed) : c_(c), rank_(rank), seed_(seed) {}

  // Reduction over all ranks of the pattern at `index`, in integer (wrapping) or real arithmetic.
  template <typename T>
  T reduced(std::uint64_t index) const {
    const bool product = c_.op == ReduceOp::kProd;
    if constexpr (kIsInteger<T>) {
      std::uint64_t sum = 0, prod = 1;
      std::int64_t high = -1, low = 1 << 30;
      for (int r = 0; r < c_.nranks; ++r) {
        const int v = kernels::pattern_value(r, index, seed_, product);
        sum += static_cast<std::uint64_t>(v);
        prod *= static_cast<std::uint64_t>(v);
        high = std::max<std::int64_t>(high, v);
        low = std::min<std::int64_t>(low, v);
      }
      switch (c_.op) {
        case ReduceOp::kSum: return static_cast<T>(sum);
        case ReduceOp::kProd: return static_cast<T>(prod);
        case ReduceOp::kMax: return static_cast<T>(high);
        case ReduceOp::kMin: return static_cast<T>(low);
        case ReduceOp::kAvg: return static_cast<T>(static_cast<T>(sum) / static_cast<T>(c_.nranks));
      }
      return T{};
    } else {
      double sum = 0, prod = 1, high = -1, low = 1e30;
      for (int r = 0; r < c_.nranks; ++r) {
        const double v = kernels::pattern_value(r, index, seed_, product);
        sum += v;
        prod *= v;
        high = std::max(high, v);
        low = std::min(low, v);
      }
      switch (c_.op) {
        case ReduceOp::kSum: return encode<T>(sum);
        case ReduceOp::kProd: return encode<T>(prod);
        case ReduceOp::kMax: return encode<T>(high);
        case ReduceOp::kMin: return encode<T>(low);
        case ReduceOp::kAvg: return encode<T>(sum / c_.nranks);
      }
      return T{};
    }
  }

  template <typename T>
  T single(int source_rank, std::uint64_t index) const {
    return encode<T>(kernels::pattern_value(source_rank, index, seed_, false));
  }

  template <typename T>
  T at(std::uint64_t i) const {
    const std::uint64_t chunk = c_.counts.param_count;
    switch (c_.kind) {
      case CollectiveKind::kAllReduce:
      case CollectiveKind::kReduce: return reduced<T>(i);
      case CollectiveKind::kReduceScatter: return reduced<T>(static_cast<std::uint64_t>(rank_) * chunk + i);
      case CollectiveKind::kAllGather: return single<T>(static_cast<int>(i / chunk), i % chunk);
      case CollectiveKind::kAllToAll:
        return single<T>(static_cast<int>(i / chunk), static_cast<std::uint64_t>(rank_) * chunk + i % chunk);
      case CollectiveKind::kBroadcast: return single<T>(c_.root, i);
      case CollectiveKind::kSendRecv: return single<T>((rank_ - 1 + c_.nranks) % c_.nranks, i);
    }
    return T{};
  }

 private:
  const CheckCase& c_;
  int rank_;
  std::uint32_t seed_;
};

template <typename T>
std::uint64_t count_wrong_typed(const CheckCase& c, int rank, std::uint32_t seed, std::span<const std::byte> output) {
  const Expected expected(c, rank, seed);
  const std::size_t n = std::min(c.counts.recv_count, output.size() / sizeof(T));
  const double tolerance = check_tolerance(c.type, c.op, c.kind, c.nranks);
  std::uint64_t wrong = c.counts.recv_count - n;  // elements missing from the output count as wrong
  for (std::size_t i = 0; i < n; ++i) {
    const T got = load<T>(output, i);
    const T want = expected.template at<T>(i);
    if constexpr (kIsInteger<T>) {
      if (got != want) ++wrong;
    } else {
      const double g = decode(got), w = decode(want);
      // NaN never compares within tolerance, so a NaN result is always wrong.
      if (!(std::fabs(g - w) <= tolerance * std::max(1.0, std::fabs(w)))) ++wrong;
    }
  }
  return wrong;
}

template <typename T>
std::vector<std::byte> make_input_typed(const CheckCase& c, int rank, std::uint32_t seed) {
  std::vector<std::byte> bytes(c.counts.send_count * sizeof(T));
  const bool product = c.op == ReduceOp::kProd && takes_reduce_op(c.kind);
  for (std::size_t i = 0; i < c.counts.send_count; ++i) {
    const T value = encode<T>(kernels::pattern_value(rank, i, seed, product));
    std::memcpy(bytes.data() + i * sizeof(T), &value, sizeof(T));
  }
  return bytes;
}

template <typename F>
auto dispatch(DataType type, F&& f) {
  switch (type) {
    case DataType::kInt8: return f(std::int8_t{});
    case DataType::kUint8: return f(std::uint8_t{});
    case DataType::kInt32: return f(std::int32_t{});
    case DataType::kUint32: return f(std::uint32_t{});
    case DataType::kInt64: return f(std::int64_t{});
    case DataType::kUint64: return f(std::uint64_t{});
    case DataType::kFloat16: return f(Half{});
    case DataType::kBfloat16: return f(BFloat16{});
    case DataType::kFloat32: return f(float{});
    case DataType::kFloat64: return f(double{});
  }
  return f(float{});
}

}  // namespace

std::vector<std::byte> make_check_input(const CheckCase& c, int rank, std::uint32_t seed) {
  return dispatch(c.type, [&](auto tag) { return make_input_typed<decltype(tag)>(c, rank, seed); });
}

std::uint64_t count_wrong_elements(const CheckCase& c, int rank, std::uint32_t seed, std::span<const std::byte> output) {
  if (c.kind == CollectiveKind::kReduce && rank != c.root) return 0;
  if (c.counts.param_count == 0) return 0;
  CheckCase effective = c;
  if (!takes_reduce_op(c.kind)) effective.op = ReduceOp::kSum;  // pattern of data-movement inputs
  return dispatch(c.type, [&](auto tag) { return count_wrong_typed<decltype(tag)>(effective, rank, seed, output); });
}

double check_tolerance(DataType type, ReduceOp op, CollectiveKind kind, int nranks) {
  if (!takes_reduce_op(kind) || op == ReduceOp::kMax || op == ReduceOp::kMin) return 0.0;
  const double steps = std::max(1, nranks - 1) + (op == ReduceOp::kAvg ? 1 : 0);
  return 2.0 * steps * unit_roundoff(type);
}

std::size_t corrupt_elements(std::span<std::byte> output, DataType type, std::size_t max_elements) {
  const std::size_t width = size_of(type);
  const std::size_t elements = output.size() / width;
  const std::size_t count = std::min(max_elements, elements);
  for (std::size_t k = 0; k < count; ++k) {
    const std::size_t index = count == 1 ? 0 : k * (elements - 1) / (count - 1);
    for (std::size_t b = 0; b < width; ++b) output[index * width + b] = ~output[index * width + b];
  }
  return count;
}

}  // namespace railcheck
