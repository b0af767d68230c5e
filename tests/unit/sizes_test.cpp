// parse_size, format_size and size_sweep: nccl-tests' -b/-e/-i/-f semantics.
#include <gtest/gtest.h>
#include <sys/resource.h>

#include <cstdio>
#include <cstdlib>
#include <limits>
#include <new>

#include "railcheck/plan/sizes.h"

namespace railcheck {
namespace {

using Sizes = std::vector<std::size_t>;
constexpr std::size_t kMax = std::numeric_limits<std::size_t>::max();

TEST(ParseSize, PlainBytes) {
  EXPECT_EQ(parse_size("8"), std::optional<std::size_t>(8));
  EXPECT_EQ(parse_size("0"), std::optional<std::size_t>(0));
  EXPECT_EQ(parse_size("1048576"), std::optional<std::size_t>(1048576));
}

TEST(ParseSize, SuffixesArePowersOf1024) {
  EXPECT_EQ(parse_size("1K"), std::optional<std::size_t>(1024));
  EXPECT_EQ(parse_size("64M"), std::optional<std::size_t>(64ull << 20));
  EXPECT_EQ(parse_size("1G"), std::optional<std::size_t>(1ull << 30));
  EXPECT_EQ(parse_size("2T"), std::optional<std::size_t>(2ull << 40));
}

TEST(ParseSize, LowercaseSuffixAndTrailingBAreAccepted) {
  EXPECT_EQ(parse_size("1GB"), std::optional<std::size_t>(1ull << 30));
  EXPECT_EQ(parse_size("4k"), std::optional<std::size_t>(4096));
  EXPECT_EQ(parse_size("3mb"), std::optional<std::size_t>(3ull << 20));
  EXPECT_EQ(parse_size("8B"), std::optional<std::size_t>(8));
}

TEST(ParseSize, RejectsEmptyNonNumericUnknownSuffixAndNegative) {
  EXPECT_EQ(parse_size(""), std::nullopt);
  EXPECT_EQ(parse_size("x"), std::nullopt);
  EXPECT_EQ(parse_size("K"), std::nullopt);
  EXPECT_EQ(parse_size("1Q"), std::nullopt);
  EXPECT_EQ(parse_size("1KK"), std::nullopt);
  EXPECT_EQ(parse_size("-1"), std::nullopt);
  EXPECT_EQ(parse_size("1."), std::nullopt);
  EXPECT_EQ(parse_size("1.K"), std::nullopt);
  EXPECT_EQ(parse_size("1.5.5K"), std::nullopt);
  EXPECT_EQ(parse_size("8 "), std::nullopt);
}

// nccl-tests' parsesize reads "%lf" then the unit: decimal sizes, the bytes truncated.
TEST(ParseSize, AcceptsDecimalSizesAsNcclTests) {
  EXPECT_EQ(parse_size("1.5K"), std::optional<std::size_t>(1536));
  EXPECT_EQ(parse_size("0.5M"), std::optional<std::size_t>(512 * 1024));
  EXPECT_EQ(parse_size("1.5G"), std::optional<std::size_t>(1536ull << 20));
  EXPECT_EQ(parse_size("2.25g"), std::optional<std::size_t>(2304ull << 20));
  EXPECT_EQ(parse_size("1.5"), std::optional<std::size_t>(1));     // (size_t)1.5
  EXPECT_EQ(parse_size("0.001K"), std::optional<std::size_t>(1));  // 1.024 bytes
  EXPECT_EQ(parse_size("1.0000000000000000001M"), std::optional<std::size_t>(1 << 20));
}

TEST(ParseSize, RejectsValuesThatOverflowSizeT) {
  EXPECT_EQ(parse_size("99999999999T"), std::nullopt);
  EXPECT_EQ(parse_size("16777216T"), std::nullopt);  // exactly 2^64
  EXPECT_EQ(parse_size("18446744073709551616"), std::nullopt);
  // The largest representable values still parse.
  EXPECT_EQ(parse_size("16777215T"), std::optional<std::size_t>(kMax - ((1ull << 40) - 1)));
  EXPECT_EQ(parse_size("18446744073709551615"), std::optional<std::size_t>(kMax));
}

TEST(FormatSize, UsesLargestUnitThatDividesExactlyElseBytes) {
  EXPECT_EQ(format_size(0), "0");
  EXPECT_EQ(format_size(8), "8");
  EXPECT_EQ(format_size(1024), "1K");
  EXPECT_EQ(format_size(1536), "1536");
  EXPECT_EQ(format_size(64ull << 20), "64M");
  EXPECT_EQ(format_size(1ull << 30), "1G");
}

TEST(FormatSize, NeverUsesExponentNotation) {
  // Just under a unit boundary: 1048575 bytes is 1023.999K, which "%.3g" would print as "1.02e+03K".
  for (std::size_t bytes : {std::size_t{1048575}, (std::size_t{1} << 30) - 1, std::size_t{1023} * 1024 + 1000}) {
    const std::string text = format_size(bytes);
    EXPECT_EQ(text.find('e'), std::string::npos) << bytes << " -> " << text;
  }
}

TEST(FormatSize, SizeJustAboveAUnitIsNotShownAsTheUnit) {
  // validate() prints min/max with format_size: "-b 1025 -e 1024" must not read "1K is larger than ... 1K".
  EXPECT_NE(format_size(1025), format_size(1024));
  EXPECT_NE(format_size((std::size_t{1} << 20) + 1), format_size(std::size_t{1} << 20));
}

TEST(SizeSweep, FactorTwoFromEightToSixtyFour) { EXPECT_EQ(size_sweep(8, 64, 0, 2.0), (Sizes{8, 16, 32, 64})); }

TEST(SizeSweep, FactorStopsBeforeExceedingMax) {
  EXPECT_EQ(size_sweep(8, 100, 1, 2.0), (Sizes{8, 16, 32, 64}));
  EXPECT_EQ(size_sweep(1024, 4ull << 20, 0, 8.0), (Sizes{1024, 8192, 65536, 524288, 4194304}));
}

TEST(SizeSweep, StepBytesWhenFactorIsOneOrLess) {
  EXPECT_EQ(size_sweep(100, 400, 100, 1.0), (Sizes{100, 200, 300, 400}));
  EXPECT_EQ(size_sweep(100, 350, 100, 0.0), (Sizes{100, 200, 300}));
}

TEST(SizeSweep, MinEqualToMaxYieldsOneSize) {
  EXPECT_EQ(size_sweep(4096, 4096, 1024, 1.0), (Sizes{4096}));
  EXPECT_EQ(size_sweep(4096, 4096, 0, 2.0), (Sizes{4096}));
}

TEST(SizeSweep, MinGreaterThanMaxIsEmpty) {
  EXPECT_TRUE(size_sweep(64, 8, 0, 2.0).empty());
  EXPECT_TRUE(size_sweep(64, 8, 8, 1.0).empty());
}

TEST(SizeSweep, ZeroStepWithoutFactorYieldsMinOnly) { EXPECT_EQ(size_sweep(8, 64, 0, 1.0), (Sizes{8})); }

TEST(SizeSweep, FactorThatRoundsBackToSameSizeStillAdvances) {
  // 1 * 1.1 truncates to 1, 2 * 1.1 to 2, 3 * 1.1 to 3: each still moves on by one byte.
  EXPECT_EQ(size_sweep(1, 4, 0, 1.1), (Sizes{1, 2, 3, 4}));
}

TEST(SizeSweep, StepBytesStopsAtSizeTOverflow) { EXPECT_EQ(size_sweep(kMax - 1, kMax, 4, 1.0), (Sizes{kMax - 1})); }

// The sweep must stop when the next factor step would overflow size_t, as it does for step bytes. Runs in a
// child with a 1 GiB address-space cap so a runaway sweep ends in bad_alloc instead of eating the machine.
// Exits 0 when the sweep is {2^62, 2^63}, 3 for another result, 4 when it kept growing past the overflow.
[[noreturn]] void sweep_to_near_size_t_max_and_exit() {
  const rlimit limit{1ull << 30, 1ull << 30};
  setrlimit(RLIMIT_AS, &limit);
  const std::size_t max = kMax - ((1ull << 40) - 1);  // "-e 16777215T", which parse_size accepts
  try {
    const Sizes sizes = size_sweep(1ull << 62, max, 0, 2.0);
    std::exit(sizes == Sizes{1ull << 62, 1ull << 63} ? 0 : 3);
  } catch (const std::bad_alloc&) {
    std::fputs("size_sweep kept adding sizes after the factor step overflowed size_t\n", stderr);
    std::exit(4);
  }
}

#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define RAILCHECK_UNDER_ASAN 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__)
#define RAILCHECK_UNDER_ASAN 1
#endif

TEST(SizeSweepDeathTest, FactorStepStopsAtSizeTOverflowInsteadOfRunningAway) {
#ifdef RAILCHECK_UNDER_ASAN
  GTEST_SKIP() << "AddressSanitizer reserves terabytes of shadow memory: the child's 1 GiB address-space cap "
                  "cannot apply (the normal build runs this test)";
#endif
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  EXPECT_EXIT(sweep_to_near_size_t_max_and_exit(), ::testing::ExitedWithCode(0), "");
}

}  // namespace
}  // namespace railcheck
