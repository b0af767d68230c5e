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
  const int max_ulps = check_max_ulps(c.type, c.op, c.kind);
  std::uint64_t wrong = c.counts.recv_count - n;  // elements missing from the output count as wrong
  for (std::size_t i = 0; i < n; ++i) {
    if (!kernels::element_matches(load<T>(output, i), kernels::expected_value<T>(params, i), max_ulps)) ++wrong;
  }
  return wrong;
}

kernels::PatternUse input_pattern(const CheckCase& c) {
  if (!takes_reduce_op(c.kind)) return kernels::PatternUse::kData;
  return kernels::pattern_use(static_cast<kernels::Reduction>(static_cast<int>(c.op)));
}

template <typename T>
std::vector<std::byte> make_input_typed(const CheckCase& c, int rank, std::uint32_t seed) {
  std::vector<std::byte> bytes(c.counts.send_count * sizeof(T));
  const kernels::PatternUse use = input_pattern(c);
  for (std::size_t i = 0; i < c.counts.send_count; ++i) {
    const T value = kernels::encode<T>(kernels::pattern_value<T>(rank, i, seed, use, c.nranks));
    std::memcpy(bytes.data() + i * sizeof(T), &value, sizeof(T));
  }
  return bytes;
}

// reduce's non-root ranks: the receive buffer must be as the call found it (nccl-tests checks the same):
// the cleared zeros out of place, the rank's own input in place.
std::uint64_t count_touched_elements(const CheckCase& c, int rank, std::uint32_t seed,
                                     std::span<const std::byte> output) {
  const std::size_t width = size_of(c.type);
  const std::vector<std::byte> before =
      c.in_place ? make_check_input(c, rank, seed) : std::vector<std::byte>(c.counts.recv_count * width);
  const std::size_t n = std::min({c.counts.recv_count, output.size() / width, before.size() / width});
  std::uint64_t touched = c.counts.recv_count - n;
  for (std::size_t i = 0; i < n; ++i) {
    if (std::memcmp(output.data() + i * width, before.data() + i * width, width) != 0) ++touched;
  }
  return touched;
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
  if (c.counts.param_count == 0) return 0;
  if (c.kind == CollectiveKind::kReduce && rank != c.root) return count_touched_elements(c, rank, seed, output);
  CheckCase effective = c;
  if (!takes_reduce_op(c.kind)) effective.op = ReduceOp::kSum;  // pattern of data-movement inputs
  return dispatch(c.type, [&](auto tag) { return count_wrong_typed<decltype(tag)>(effective, rank, seed, output); });
}

int check_max_ulps(DataType type, ReduceOp op, CollectiveKind kind) {
  return is_floating(type) && takes_reduce_op(kind) && op == ReduceOp::kAvg ? 2 : 0;
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
