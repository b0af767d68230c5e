// The check is as strict as nccl-tests': the pattern makes every reduction exact in its type at any rank
// count and in any order (ascending, descending, a pairwise tree, each step rounded to the type as a GPU
// reduction would), so results are compared bit for bit; avg (NCCL pre-multiplies by 1/n) is within 2 ULPs.
// A single flipped low mantissa bit in a bfloat16, half or float sum is then one wrong element.
#include <gtest/gtest.h>

#include <cstring>
#include <string>
#include <vector>

#include "element_bytes.h"
#include "railcheck/kernels/element.h"
#include "railcheck/kernels/pattern.h"
#include "railcheck/run/check.h"

namespace railcheck {
namespace {

using Bytes = std::vector<std::byte>;
using kernels::BFloat16;
using kernels::Half;

using test::load;
using test::store;

// One step of a reduction, rounded to T as a device reduction in T rounds it.
template <typename T>
T combine(T a, T b, ReduceOp op) {
  if (op == ReduceOp::kMax || op == ReduceOp::kMin) {
    const bool a_first = (kernels::decode(a) > kernels::decode(b)) == (op == ReduceOp::kMax);
    return a_first ? a : b;
  }
  if constexpr (kernels::kIsInteger<T>) {
    return static_cast<T>(op == ReduceOp::kProd ? a * b : a + b);
  } else if constexpr (std::is_same_v<T, float> || std::is_same_v<T, double>) {
    return op == ReduceOp::kProd ? a * b : a + b;
  } else {
    const double x = kernels::decode(a), y = kernels::decode(b);
    return kernels::encode<T>(op == ReduceOp::kProd ? x * y : x + y);
  }
}

// NCCL's avg for reals: each input times 1/n, rounded to T, then summed in T.
template <typename T>
T premultiplied(T v, int nranks) {
  if constexpr (kernels::kIsInteger<T>) {
    return v;
  } else {
    return kernels::encode<T>(kernels::decode(v) * (1.0 / nranks));
  }
}

enum class Order { kAscending, kDescending, kTree };

template <typename T>
T reduce_in_order(std::vector<T> values, ReduceOp op, Order order) {
  if (order == Order::kDescending) std::reverse(values.begin(), values.end());
  if (order != Order::kTree) {
    T acc = values[0];
    for (std::size_t r = 1; r < values.size(); ++r) acc = combine(acc, values[r], op);
    return acc;
  }
  while (values.size() > 1) {
    std::vector<T> next;
    for (std::size_t i = 0; i + 1 < values.size(); i += 2) next.push_back(combine(values[i], values[i + 1], op));
    if (values.size() % 2) next.push_back(values.back());
    values = std::move(next);
  }
  return values[0];
}

template <typename T>
void expect_exact(DataType type, ReduceOp op, int nranks) {
  CheckCase c;
  c.kind = CollectiveKind::kAllReduce;
  c.type = type;
  c.op = op;
  c.nranks = nranks;
  c.counts = coll_counts(c.kind, 48 * sizeof(T), type, nranks);
  const std::uint32_t seed = 0x5eed;
  std::vector<Bytes> inputs;
  for (int r = 0; r < nranks; ++r) inputs.push_back(make_check_input(c, r, seed));
  for (const Order order : {Order::kAscending, Order::kDescending, Order::kTree}) {
    Bytes output(c.counts.recv_count * sizeof(T));
    for (std::size_t i = 0; i < c.counts.recv_count; ++i) {
      std::vector<T> values;
      for (const Bytes& in : inputs) {
        const T v = load<T>(in, i);
        values.push_back(op == ReduceOp::kAvg ? premultiplied(v, nranks) : v);
      }
      const ReduceOp step = op == ReduceOp::kAvg ? ReduceOp::kSum : op;
      T result = reduce_in_order(values, step, order);
      if constexpr (kernels::kIsInteger<T>) {
        if (op == ReduceOp::kAvg) result = static_cast<T>(result / static_cast<decltype(T{} + 0)>(nranks));
      }
      store(output, i, result);
    }
    EXPECT_EQ(count_wrong_elements(c, 0, seed, output), 0u)
        << name_of(type) << " " << name_of(op) << " at " << nranks << " ranks, order " << static_cast<int>(order);
  }
}

class CheckExactness : public ::testing::TestWithParam<int> {};

TEST_P(CheckExactness, EveryReductionIsExactInItsTypeInAnyOrder) {
  const int nranks = GetParam();
  for (const ReduceOp op : {ReduceOp::kSum, ReduceOp::kProd, ReduceOp::kAvg, ReduceOp::kMax, ReduceOp::kMin}) {
    expect_exact<BFloat16>(DataType::kBfloat16, op, nranks);
    expect_exact<Half>(DataType::kFloat16, op, nranks);
    expect_exact<float>(DataType::kFloat32, op, nranks);
    expect_exact<double>(DataType::kFloat64, op, nranks);
    expect_exact<std::int8_t>(DataType::kInt8, op, nranks);
    expect_exact<std::uint8_t>(DataType::kUint8, op, nranks);
    expect_exact<std::int32_t>(DataType::kInt32, op, nranks);
    expect_exact<std::uint64_t>(DataType::kUint64, op, nranks);
  }
}

INSTANTIATE_TEST_SUITE_P(Ranks, CheckExactness, ::testing::Values(4, 64, 512, 4096));

// At many ranks every rank still contributes to some elements: a rank whose data never arrived is seen.
TEST(CheckExactness, AtManyRanksEveryRankContributesToSomeSumElements) {
  CheckCase c;
  c.kind = CollectiveKind::kAllReduce;
  c.type = DataType::kBfloat16;
  c.op = ReduceOp::kSum;
  c.nranks = 4096;
  c.counts = coll_counts(c.kind, 4096 * 2, c.type, c.nranks);
  int silent_ranks = 0;
  for (int r = 0; r < c.nranks; ++r) {
    const Bytes in = make_check_input(c, r, 7);
    bool any = false;
    for (std::size_t i = 0; i < c.counts.send_count && !any; ++i) any = load<std::uint16_t>(in, i) != 0;
    silent_ranks += any ? 0 : 1;
  }
  EXPECT_EQ(silent_ranks, 0);
}

template <typename T>
void expect_windows_bounded() {
  using kernels::PatternUse;
  for (const PatternUse use :
       {PatternUse::kSum, PatternUse::kAverage, PatternUse::kProduct, PatternUse::kMax, PatternUse::kMin}) {
    const int window = kernels::exact_window<T>(use);
    EXPECT_GE(window, 2);
    EXPECT_LE(window, kernels::kMaxContributors) << "an element's expected value stays cheap at any rank count";
  }
}

TEST(CheckExactness, NoReductionHasMoreThanSixtyFourContributorsPerElement) {
  expect_windows_bounded<BFloat16>();
  expect_windows_bounded<Half>();
  expect_windows_bounded<float>();
  expect_windows_bounded<double>();
  expect_windows_bounded<std::int8_t>();
  expect_windows_bounded<std::uint64_t>();
  EXPECT_EQ(kernels::exact_window<BFloat16>(kernels::PatternUse::kSum), 36);  // 256 / 7
  EXPECT_EQ(kernels::exact_window<Half>(kernels::PatternUse::kProduct), 15);  // 2^15 < 65504
}

template <typename T>
void expect_flipped_bit_found(DataType type) {
  CheckCase c;
  c.kind = CollectiveKind::kAllReduce;
  c.type = type;
  c.op = ReduceOp::kSum;
  c.nranks = 4;
  c.counts = coll_counts(c.kind, 256 * sizeof(T), type, 4);
  std::vector<Bytes> inputs;
  for (int r = 0; r < 4; ++r) inputs.push_back(make_check_input(c, r, 3));
  Bytes output(c.counts.recv_count * sizeof(T));
  std::size_t flipped = c.counts.recv_count;
  for (std::size_t i = 0; i < c.counts.recv_count; ++i) {
    std::vector<T> values;
    for (const Bytes& in : inputs) values.push_back(load<T>(in, i));
    const T sum = reduce_in_order(values, ReduceOp::kSum, Order::kAscending);
    store(output, i, sum);
    if (flipped == c.counts.recv_count && kernels::decode(sum) > 2.0) flipped = i;  // a normal number, not 0 or 1
  }
  ASSERT_EQ(count_wrong_elements(c, 0, 3, output), 0u);
  ASSERT_LT(flipped, c.counts.recv_count);
  output[flipped * sizeof(T)] ^= std::byte{1};  // the lowest mantissa bit (little-endian)
  EXPECT_EQ(count_wrong_elements(c, 0, 3, output), 1u) << name_of(type);
}

TEST(CheckExactness, ASingleFlippedMantissaBitInASumIsOneWrongElement) {
  expect_flipped_bit_found<BFloat16>(DataType::kBfloat16);
  expect_flipped_bit_found<Half>(DataType::kFloat16);
  expect_flipped_bit_found<float>(DataType::kFloat32);
  expect_flipped_bit_found<double>(DataType::kFloat64);
}

}  // namespace
}  // namespace railcheck
