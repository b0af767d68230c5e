// The correctness check: outputs simulated on the host in this file (reduction over ranks, concatenation,
// slicing, transposition, copies), never through check.cpp's own expectation, must pass; damaged outputs must
// be counted exactly.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <limits>
#include <string>
#include <vector>

#include "element_bytes.h"
#include "railcheck/kernels/float16.h"
#include "railcheck/run/check.h"

namespace railcheck {
namespace {

using Bytes = std::vector<std::byte>;

// ---- element codecs: storage type, integer or real arithmetic

template <typename S>
struct IntCodec {
  using Storage = S;
  static constexpr bool kInteger = true;
};
template <typename S>
struct RealCodec {
  using Storage = S;
  static constexpr bool kInteger = false;
  static double to_double(S v) { return static_cast<double>(v); }
  static S from_double(double v) { return static_cast<S>(v); }
};
struct HalfCodec {
  using Storage = std::uint16_t;
  static constexpr bool kInteger = false;
  static double to_double(Storage v) { return kernels::half_to_float(v); }
  static Storage from_double(double v) { return kernels::float_to_half(static_cast<float>(v)); }
};
struct Bf16Codec {
  using Storage = std::uint16_t;
  static constexpr bool kInteger = false;
  static double to_double(Storage v) { return kernels::bfloat16_to_float(v); }
  static Storage from_double(double v) { return kernels::float_to_bfloat16(static_cast<float>(v)); }
};

template <typename F>
void with_codec(DataType type, F&& f) {
  switch (type) {
    case DataType::kInt8:
      return f(IntCodec<std::int8_t>{});
    case DataType::kUint8:
      return f(IntCodec<std::uint8_t>{});
    case DataType::kInt32:
      return f(IntCodec<std::int32_t>{});
    case DataType::kUint32:
      return f(IntCodec<std::uint32_t>{});
    case DataType::kInt64:
      return f(IntCodec<std::int64_t>{});
    case DataType::kUint64:
      return f(IntCodec<std::uint64_t>{});
    case DataType::kFloat16:
      return f(HalfCodec{});
    case DataType::kBfloat16:
      return f(Bf16Codec{});
    case DataType::kFloat32:
      return f(RealCodec<float>{});
    case DataType::kFloat64:
      return f(RealCodec<double>{});
  }
}

using test::load;
using test::store;

// Reduces element `index` of every rank's input the way the hardware would: in the integer type itself
// (wrapping), or in real arithmetic rounded once into the floating type.
template <typename Codec>
typename Codec::Storage reduce_at(const std::vector<Bytes>& inputs, std::size_t index, ReduceOp op) {
  using S = typename Codec::Storage;
  const int nranks = static_cast<int>(inputs.size());
  if constexpr (Codec::kInteger) {
    S acc = load<S>(inputs[0], index);
    for (int r = 1; r < nranks; ++r) {
      const S v = load<S>(inputs[static_cast<std::size_t>(r)], index);
      switch (op) {
        case ReduceOp::kSum:
        case ReduceOp::kAvg:
          acc = static_cast<S>(acc + v);
          break;
        case ReduceOp::kProd:
          acc = static_cast<S>(acc * v);
          break;
        case ReduceOp::kMax:
          acc = std::max(acc, v);
          break;
        case ReduceOp::kMin:
          acc = std::min(acc, v);
          break;
      }
    }
    if (op == ReduceOp::kAvg) acc = static_cast<S>(acc / static_cast<S>(nranks));
    return acc;
  } else {
    double acc = Codec::to_double(load<S>(inputs[0], index));
    for (int r = 1; r < nranks; ++r) {
      const double v = Codec::to_double(load<S>(inputs[static_cast<std::size_t>(r)], index));
      switch (op) {
        case ReduceOp::kSum:
        case ReduceOp::kAvg:
          acc += v;
          break;
        case ReduceOp::kProd:
          acc *= v;
          break;
        case ReduceOp::kMax:
          acc = std::max(acc, v);
          break;
        case ReduceOp::kMin:
          acc = std::min(acc, v);
          break;
      }
    }
    if (op == ReduceOp::kAvg) acc /= nranks;
    return Codec::from_double(acc);
  }
}

// Every rank's output (counts.recv_count elements) of the collective on these inputs, computed on the host.
// Non-root ranks of reduce get zeros (their output is undefined).
template <typename Codec>
std::vector<Bytes> simulate_typed(const CheckCase& c, const std::vector<Bytes>& inputs) {
  using S = typename Codec::Storage;
  const std::size_t chunk = c.counts.param_count;
  const auto n = static_cast<std::size_t>(c.nranks);
  std::vector<Bytes> outputs(n, Bytes(c.counts.recv_count * sizeof(S)));
  for (std::size_t r = 0; r < n; ++r) {
    Bytes& out = outputs[r];
    for (std::size_t i = 0; i < c.counts.recv_count; ++i) {
      switch (c.kind) {
        case CollectiveKind::kAllReduce:
          store(out, i, reduce_at<Codec>(inputs, i, c.op));
          break;
        case CollectiveKind::kReduce:
          if (r == static_cast<std::size_t>(c.root)) store(out, i, reduce_at<Codec>(inputs, i, c.op));
          break;
        case CollectiveKind::kReduceScatter:
          store(out, i, reduce_at<Codec>(inputs, r * chunk + i, c.op));
          break;
        case CollectiveKind::kAllGather:
          store(out, i, load<S>(inputs[i / chunk], i % chunk));
          break;
        case CollectiveKind::kAllToAll:
          store(out, i, load<S>(inputs[i / chunk], r * chunk + i % chunk));
          break;
        case CollectiveKind::kBroadcast:
          store(out, i, load<S>(inputs[static_cast<std::size_t>(c.root)], i));
          break;
        case CollectiveKind::kSendRecv:
          store(out, i, load<S>(inputs[(r + n - 1) % n], i));
          break;
      }
    }
  }
  return outputs;
}

std::vector<Bytes> simulate(const CheckCase& c, const std::vector<Bytes>& inputs) {
  std::vector<Bytes> outputs;
  with_codec(c.type, [&](auto codec) { outputs = simulate_typed<decltype(codec)>(c, inputs); });
  return outputs;
}

// Changes element `index` by +1 in the type's own arithmetic: a small, plausible error.
void nudge_element(Bytes& output, DataType type, std::size_t index) {
  with_codec(type, [&](auto codec) {
    using Codec = decltype(codec);
    using S = typename Codec::Storage;
    const S v = load<S>(output, index);
    if constexpr (Codec::kInteger)
      store(output, index, static_cast<S>(v + 1));
    else
      store(output, index, Codec::from_double(Codec::to_double(v) + 1.0));
  });
}

CheckCase make_case(CollectiveKind kind, DataType type, ReduceOp op, int nranks, std::size_t elements) {
  CheckCase c;
  c.kind = kind;
  c.type = type;
  c.op = op;
  c.nranks = nranks;
  c.root = nranks - 1;  // not rank 0, so a root mix-up shows
  // A few bytes over a whole element count, so the sizes do not divide evenly.
  c.counts = coll_counts(kind, elements * size_of(type) + 3, type, nranks);
  return c;
}

std::vector<Bytes> make_inputs(const CheckCase& c, std::uint32_t seed) {
  std::vector<Bytes> inputs;
  for (int r = 0; r < c.nranks; ++r) inputs.push_back(make_check_input(c, r, seed));
  return inputs;
}

std::vector<ReduceOp> ops_for(CollectiveKind kind) {
  // Data movement ignores the operator; prod there must still use the plain pattern on both sides.
  if (takes_reduce_op(kind)) return {all_reduce_ops().begin(), all_reduce_ops().end()};
  return {ReduceOp::kSum, ReduceOp::kProd};
}

bool has_output(const CheckCase& c, int rank) { return c.kind != CollectiveKind::kReduce || rank == c.root; }

std::string describe(const CheckCase& c, int rank, std::uint32_t seed) {
  return std::string(key_of(c.kind)) + " " + std::string(name_of(c.type)) + " " + std::string(name_of(c.op)) +
         " nranks=" + std::to_string(c.nranks) + " rank=" + std::to_string(rank) + " seed=" + std::to_string(seed) +
         " recv_count=" + std::to_string(c.counts.recv_count);
}

}  // namespace

// Prints the collective's key in test names and failure messages (found by argument-dependent lookup).
void PrintTo(CollectiveKind kind, std::ostream* os) { *os << key_of(kind); }

namespace {

constexpr std::uint32_t kSeeds[] = {1, 0x5eed};
constexpr std::size_t kElements = 200;

// One instance per collective; each loops over every type, operator (where it applies), 1..4 ranks and seeds.
class CheckAgainstHostSimulation : public ::testing::TestWithParam<CollectiveKind> {
 protected:
  template <typename F>
  void for_each_case(F&& f) {
    for (DataType type : all_data_types()) {
      for (ReduceOp op : ops_for(GetParam())) {
        for (int nranks = 1; nranks <= 4; ++nranks) {
          const CheckCase c = make_case(GetParam(), type, op, nranks, kElements);
          ASSERT_GT(c.counts.param_count, 0u) << describe(c, 0, 0);
          for (std::uint32_t seed : kSeeds) f(c, seed);
        }
      }
    }
  }
};

TEST_P(CheckAgainstHostSimulation, SimulatedOutputHasNoWrongElements) {
  for_each_case([](const CheckCase& c, std::uint32_t seed) {
    const std::vector<Bytes> outputs = simulate(c, make_inputs(c, seed));
    for (int r = 0; r < c.nranks; ++r) {
      EXPECT_EQ(count_wrong_elements(c, r, seed, outputs[static_cast<std::size_t>(r)]), 0u) << describe(c, r, seed);
    }
  });
}

TEST_P(CheckAgainstHostSimulation, OneElementOffByOneIsExactlyOneWrong) {
  for_each_case([](const CheckCase& c, std::uint32_t seed) {
    std::vector<Bytes> outputs = simulate(c, make_inputs(c, seed));
    for (int r = 0; r < c.nranks; ++r) {
      if (!has_output(c, r)) continue;
      Bytes& out = outputs[static_cast<std::size_t>(r)];
      nudge_element(out, c.type, c.counts.recv_count / 2);
      EXPECT_EQ(count_wrong_elements(c, r, seed, out), 1u) << describe(c, r, seed);
    }
  });
}

TEST_P(CheckAgainstHostSimulation, CorruptingEightElementsGivesExactlyEightWrong) {
  for_each_case([](const CheckCase& c, std::uint32_t seed) {
    std::vector<Bytes> outputs = simulate(c, make_inputs(c, seed));
    for (int r = 0; r < c.nranks; ++r) {
      if (!has_output(c, r)) continue;
      Bytes& out = outputs[static_cast<std::size_t>(r)];
      const std::size_t corrupted = corrupt_elements(out, c.type, 8);
      EXPECT_EQ(corrupted, std::min<std::size_t>(8, c.counts.recv_count)) << describe(c, r, seed);
      EXPECT_EQ(count_wrong_elements(c, r, seed, out), corrupted) << describe(c, r, seed);
    }
  });
}

INSTANTIATE_TEST_SUITE_P(EveryCollective, CheckAgainstHostSimulation, ::testing::ValuesIn(all_collectives()),
                         [](const ::testing::TestParamInfo<CollectiveKind>& info) {
                           std::string name(key_of(info.param));
                           name.erase(std::remove(name.begin(), name.end(), '_'), name.end());
                           return name;
                         });

TEST(CorruptElements, CorruptsAtMostTheElementsPresent) {
  const CheckCase c = make_case(CollectiveKind::kAllReduce, DataType::kInt32, ReduceOp::kSum, 2, 5);
  std::vector<Bytes> outputs = simulate(c, make_inputs(c, 3));
  ASSERT_EQ(c.counts.recv_count, 5u);
  EXPECT_EQ(corrupt_elements(outputs[0], c.type, 8), 5u);
  EXPECT_EQ(count_wrong_elements(c, 0, 3, outputs[0]), 5u);
  EXPECT_EQ(corrupt_elements(outputs[1], c.type, 1), 1u);
  EXPECT_EQ(count_wrong_elements(c, 1, 3, outputs[1]), 1u);
}

TEST(CountWrongElements, SwappedAllGatherChunksAreDetected) {
  const CheckCase c = make_case(CollectiveKind::kAllGather, DataType::kFloat32, ReduceOp::kSum, 2, 256);
  std::vector<Bytes> outputs = simulate(c, make_inputs(c, 9));
  Bytes& out = outputs[0];
  const std::size_t chunk_bytes = c.counts.param_count * size_of(c.type);
  std::swap_ranges(out.begin(), out.begin() + static_cast<std::ptrdiff_t>(chunk_bytes),
                   out.begin() + static_cast<std::ptrdiff_t>(chunk_bytes));
  EXPECT_GT(count_wrong_elements(c, 0, 9, out), c.counts.param_count / 2);
}

TEST(CountWrongElements, WrongSeedIsDetected) {
  const CheckCase c = make_case(CollectiveKind::kAllReduce, DataType::kFloat32, ReduceOp::kSum, 4, 256);
  const std::vector<Bytes> outputs = simulate(c, make_inputs(c, 1));
  EXPECT_GT(count_wrong_elements(c, 0, 2, outputs[0]), c.counts.recv_count / 2);
}

// nccl-tests checks that reduce leaves a non-root rank's receive buffer as it was: the cleared zeros out of
// place, the rank's own input in place.
TEST(CountWrongElements, NonRootRankOfReduceMustBeLeftAsItWas) {
  CheckCase c = make_case(CollectiveKind::kReduce, DataType::kFloat32, ReduceOp::kSum, 4, 64);
  const Bytes garbage(c.counts.recv_count * size_of(c.type), std::byte{0xff});  // NaNs
  const Bytes zeros(c.counts.recv_count * size_of(c.type));
  for (int r = 0; r < c.nranks; ++r) {
    if (r == c.root) {
      EXPECT_EQ(count_wrong_elements(c, r, 1, garbage), c.counts.recv_count);
      continue;
    }
    EXPECT_EQ(count_wrong_elements(c, r, 1, zeros), 0u) << "rank " << r << ": untouched";
    EXPECT_EQ(count_wrong_elements(c, r, 1, garbage), c.counts.recv_count) << "rank " << r << ": written";
    Bytes one_written = zeros;
    store(one_written, 5, 1.0f);
    EXPECT_EQ(count_wrong_elements(c, r, 1, one_written), 1u) << "rank " << r;
  }
  c.in_place = true;
  for (int r = 0; r < c.nranks; ++r) {
    if (r == c.root) continue;
    EXPECT_EQ(count_wrong_elements(c, r, 1, make_check_input(c, r, 1)), 0u) << "in place: its own input, untouched";
    EXPECT_GT(count_wrong_elements(c, r, 1, zeros), 0u) << "in place: its input overwritten";
  }
}

TEST(CountWrongElements, MissingOutputElementsCountAsWrong) {
  const CheckCase c = make_case(CollectiveKind::kBroadcast, DataType::kInt32, ReduceOp::kSum, 2, 100);
  std::vector<Bytes> outputs = simulate(c, make_inputs(c, 1));
  Bytes shorter(outputs[0].begin(), outputs[0].end() - 10 * 4);
  EXPECT_EQ(count_wrong_elements(c, 0, 1, shorter), 10u);
}

TEST(CountWrongElements, NanResultIsWrongForFloatSum) {
  const CheckCase c = make_case(CollectiveKind::kAllReduce, DataType::kFloat64, ReduceOp::kSum, 2, 16);
  std::vector<Bytes> outputs = simulate(c, make_inputs(c, 1));
  store(outputs[0], 3, std::numeric_limits<double>::quiet_NaN());
  EXPECT_EQ(count_wrong_elements(c, 0, 1, outputs[0]), 1u);
}

TEST(MakeCheckInput, HoldsSendCountElementsOfTheType) {
  for (DataType type : all_data_types()) {
    const CheckCase c = make_case(CollectiveKind::kReduceScatter, type, ReduceOp::kSum, 3, 200);
    EXPECT_EQ(make_check_input(c, 0, 1).size(), c.counts.send_count * size_of(type)) << name_of(type);
  }
}

TEST(MakeCheckInput, SumPatternIsSmallIntegersAndDiffersBetweenRanksAndSeeds) {
  const CheckCase c = make_case(CollectiveKind::kAllReduce, DataType::kInt32, ReduceOp::kSum, 2, 256);
  const Bytes a = make_check_input(c, 0, 1), b = make_check_input(c, 1, 1), a2 = make_check_input(c, 0, 2);
  for (std::size_t i = 0; i < c.counts.send_count; ++i) {
    const auto v = load<std::int32_t>(a, i);
    ASSERT_GE(v, 0);
    ASSERT_LE(v, 7);
  }
  EXPECT_NE(a, b);
  EXPECT_NE(a, a2);
  EXPECT_EQ(a, make_check_input(c, 0, 1));  // deterministic
}

TEST(MakeCheckInput, ProductPatternIsOnesAndTwosOnlyForReducingCollectives) {
  const CheckCase prod = make_case(CollectiveKind::kAllReduce, DataType::kInt32, ReduceOp::kProd, 2, 512);
  const Bytes in = make_check_input(prod, 0, 1);
  int twos = 0;
  for (std::size_t i = 0; i < prod.counts.send_count; ++i) {
    const auto v = load<std::int32_t>(in, i);
    ASSERT_TRUE(v == 1 || v == 2) << v;
    twos += v == 2;
  }
  EXPECT_GT(twos, 0);
  // all_gather with -o prod moves the plain pattern.
  const CheckCase gather = make_case(CollectiveKind::kAllGather, DataType::kInt32, ReduceOp::kProd, 2, 512);
  const CheckCase gather_sum = make_case(CollectiveKind::kAllGather, DataType::kInt32, ReduceOp::kSum, 2, 512);
  EXPECT_EQ(make_check_input(gather, 0, 1), make_check_input(gather_sum, 0, 1));
}

TEST(CheckMaxUlps, BitExactEverywhereButAverageOfRealTypes) {
  for (DataType type : all_data_types()) {
    const bool real = type == DataType::kFloat16 || type == DataType::kBfloat16 || type == DataType::kFloat32 ||
                      type == DataType::kFloat64;
    for (ReduceOp op : all_reduce_ops()) {
      for (CollectiveKind kind : all_collectives()) {
        const int expected = real && op == ReduceOp::kAvg && takes_reduce_op(kind) ? 2 : 0;
        EXPECT_EQ(check_max_ulps(type, op, kind), expected) << name_of(type) << name_of(op) << key_of(kind);
      }
    }
  }
}

}  // namespace
}  // namespace railcheck
