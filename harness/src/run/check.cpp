#include "railcheck/run/check.h"

#include <algorithm>
#include <cmath>
#include <cstring>

#include "railcheck/kernels/expected_value.h"

namespace railcheck {
namespace {

using kernels::BFloat16;
using kernels::Half;
using kernels::kIsInteger;

template <typename T>
T load(std::span<const std::byte> bytes, std::size_t index) {
  T value;
  std::memcpy(&value, bytes.data() + index * sizeof(T), sizeof(T));
  return value;
}

double unit_roundoff(DataType type) {
  switch (type) {
    case DataType::kFloat16:
      return std::ldexp(1.0, -11);
    case DataType::kBfloat16:
      return std::ldexp(1.0, -8);
    case DataType::kFloat32:
      return std::ldexp(1.0, -24);
    case DataType::kFloat64:
      return std::ldexp(1.0, -53);
    default:
      return 0.0;
  }
}

// ExpectedParams carries the operator by value.
static_assert(static_cast<int>(ReduceOp::kSum) == static_cast<int>(kernels::Reduction::kSum) &&
              static_cast<int>(ReduceOp::kProd) == static_cast<int>(kernels::Reduction::kProd) &&
              static_cast<int>(ReduceOp::kMax) == static_cast<int>(kernels::Reduction::kMax) &&
              static_cast<int>(ReduceOp::kMin) == static_cast<int>(kernels::Reduction::kMin) &&
              static_cast<int>(ReduceOp::kAvg) == static_cast<int>(kernels::Reduction::kAvg));

kernels::ResultShape result_shape(CollectiveKind kind) {
  switch (kind) {
    case CollectiveKind::kAllReduce:
    case CollectiveKind::kReduce:
      return kernels::ResultShape::kReduced;
    case CollectiveKind::kReduceScatter:
      return kernels::ResultShape::kReducedSlice;
    case CollectiveKind::kAllGather:
      return kernels::ResultShape::kGatheredChunks;
    case CollectiveKind::kAllToAll:
      return kernels::ResultShape::kTransposedChunks;
    case CollectiveKind::kBroadcast:
      return kernels::ResultShape::kFromRoot;
    case CollectiveKind::kSendRecv:
      return kernels::ResultShape::kFromPrevious;
  }
  return kernels::ResultShape::kReduced;
}

template <typename T>
std::uint64_t count_wrong_typed(const CheckCase& c, int rank, std::uint32_t seed, std::span<const std::byte> output) {
  const kernels::ExpectedParams params = expected_params(c, rank, seed);
  const std::size_t n = std::min(c.counts.recv_count, output.size() / sizeof(T));
  const double tolerance = check_tolerance(c.type, c.op, c.kind, c.nranks);
  std::uint64_t wrong = c.counts.recv_count - n;  // elements missing from the output count as wrong
  for (std::size_t i = 0; i < n; ++i) {
    if (!kernels::element_matches(load<T>(output, i), kernels::expected_value<T>(params, i), tolerance)) ++wrong;
  }
  return wrong;
}

template <typename T>
std::vector<std::byte> make_input_typed(const CheckCase& c, int rank, std::uint32_t seed) {
  std::vector<std::byte> bytes(c.counts.send_count * sizeof(T));
  const bool product = c.op == ReduceOp::kProd && takes_reduce_op(c.kind);
  for (std::size_t i = 0; i < c.counts.send_count; ++i) {
    const T value = kernels::encode<T>(kernels::pattern_value(rank, i, seed, product));
    std::memcpy(bytes.data() + i * sizeof(T), &value, sizeof(T));
  }
  return bytes;
}

template <typename F>
auto dispatch(DataType type, F&& f) {
  switch (type) {
    case DataType::kInt8:
      return f(std::int8_t{});
    case DataType::kUint8:
      return f(std::uint8_t{});
    case DataType::kInt32:
      return f(std::int32_t{});
    case DataType::kUint32:
      return f(std::uint32_t{});
    case DataType::kInt64:
      return f(std::int64_t{});
    case DataType::kUint64:
      return f(std::uint64_t{});
    case DataType::kFloat16:
      return f(Half{});
    case DataType::kBfloat16:
      return f(BFloat16{});
    case DataType::kFloat32:
      return f(float{});
    case DataType::kFloat64:
      return f(double{});
  }
  return f(float{});
}

}  // namespace

kernels::ExpectedParams expected_params(const CheckCase& c, int rank, std::uint32_t seed) {
  kernels::ExpectedParams p;
  p.shape = result_shape(c.kind);
  p.op = static_cast<kernels::Reduction>(static_cast<int>(c.op));
  p.nranks = c.nranks;
  p.rank = rank;
  p.root = c.root;
  p.chunk = c.counts.param_count;
  p.seed = seed;
  return p;
}

std::vector<std::byte> make_check_input(const CheckCase& c, int rank, std::uint32_t seed) {
  return dispatch(c.type, [&](auto tag) { return make_input_typed<decltype(tag)>(c, rank, seed); });
}

std::uint64_t count_wrong_elements(const CheckCase& c, int rank, std::uint32_t seed,
                                   std::span<const std::byte> output) {
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
