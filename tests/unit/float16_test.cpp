// IEEE half and bfloat16 conversions of kernels/float16.h: exact values, round-to-nearest-even, inf, NaN,
// subnormals and overflow.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <limits>

#include "railcheck/kernels/float16.h"

namespace railcheck::kernels {
namespace {

constexpr float kInf = std::numeric_limits<float>::infinity();

bool half_is_nan(std::uint16_t h) { return (h & 0x7c00u) == 0x7c00u && (h & 0x03ffu) != 0; }
bool bf16_is_nan(std::uint16_t b) { return (b & 0x7f80u) == 0x7f80u && (b & 0x007fu) != 0; }

TEST(Half, SmallIntegersZeroTo2048RoundTripExactly) {
  for (int i = 0; i <= 2048; ++i) {
    const float value = static_cast<float>(i);
    ASSERT_EQ(half_to_float(float_to_half(value)), value) << i;
    ASSERT_EQ(half_to_float(float_to_half(-value)), -value) << i;
  }
}

TEST(Half, KnownBitPatterns) {
  EXPECT_EQ(float_to_half(0.0f), 0x0000);
  EXPECT_EQ(float_to_half(-0.0f), 0x8000);
  EXPECT_EQ(float_to_half(1.0f), 0x3c00);
  EXPECT_EQ(float_to_half(0.5f), 0x3800);
  EXPECT_EQ(float_to_half(2.0f), 0x4000);
  EXPECT_EQ(float_to_half(-2.0f), 0xc000);
  EXPECT_EQ(float_to_half(2048.0f), 0x6800);
  EXPECT_EQ(float_to_half(65504.0f), 0x7bff);
  EXPECT_EQ(half_to_float(0x3555), 0.333251953125f);  // nearest half to 1/3
  EXPECT_EQ(float_to_half(1.0f / 3.0f), 0x3555);
}

TEST(Half, EveryNonNanBitPatternRoundTripsThroughFloat) {
  for (std::uint32_t h = 0; h <= 0xffff; ++h) {
    const auto bits = static_cast<std::uint16_t>(h);
    if (half_is_nan(bits)) continue;
    ASSERT_EQ(float_to_half(half_to_float(bits)), bits) << std::hex << h;
  }
}

TEST(Half, RoundsToNearestEvenAtIntegerTies) {
  // Above 2048 halves are 2 apart: 2049 is a tie between 2048 (even mantissa) and 2050 -> 2048;
  // 2051 is a tie between 2050 (odd) and 2052 (even) -> 2052.
  EXPECT_EQ(float_to_half(2049.0f), 0x6800);
  EXPECT_EQ(float_to_half(2050.0f), 0x6801);
  EXPECT_EQ(float_to_half(2051.0f), 0x6802);
  EXPECT_EQ(half_to_float(float_to_half(2051.0f)), 2052.0f);
}

TEST(Half, RoundsToNearestEvenAtFractionalTies) {
  const float ulp = std::ldexp(1.0f, -10);                                   // spacing of halves in [1, 2)
  EXPECT_EQ(float_to_half(1.0f + ulp / 2), 0x3c00);                          // tie -> even 1.0
  EXPECT_EQ(float_to_half(1.0f + 3 * ulp / 2), 0x3c02);                      // tie -> even 1 + 2 ulp
  EXPECT_EQ(float_to_half(1.0f + ulp / 2 + std::ldexp(1.0f, -20)), 0x3c01);  // just above the tie -> up
  EXPECT_EQ(float_to_half(1.0f + ulp / 2 - std::ldexp(1.0f, -20)), 0x3c00);  // just below -> down
}

TEST(Half, InfinityAndNan) {
  EXPECT_EQ(half_to_float(0x7c00), kInf);
  EXPECT_EQ(half_to_float(0xfc00), -kInf);
  EXPECT_EQ(float_to_half(kInf), 0x7c00);
  EXPECT_EQ(float_to_half(-kInf), 0xfc00);
  EXPECT_TRUE(std::isnan(half_to_float(0x7e00)));
  EXPECT_TRUE(std::isnan(half_to_float(0x7c01)));
  EXPECT_TRUE(half_is_nan(float_to_half(std::numeric_limits<float>::quiet_NaN())));
  // A float NaN whose payload sits only in the low mantissa bits must not become infinity.
  EXPECT_TRUE(half_is_nan(float_to_half(bits_float(0x7f800001u))));
  EXPECT_TRUE(half_is_nan(float_to_half(bits_float(0xff800001u))));
}

TEST(Half, SubnormalsDecodeAndEncode) {
  EXPECT_EQ(half_to_float(0x0001), std::ldexp(1.0f, -24));  // 5.96e-8, the smallest half
  EXPECT_NEAR(half_to_float(0x0001), 5.96e-8, 0.01e-8);
  EXPECT_EQ(half_to_float(0x8001), -std::ldexp(1.0f, -24));
  EXPECT_EQ(half_to_float(0x03ff), 1023.0f * std::ldexp(1.0f, -24));  // largest subnormal
  EXPECT_EQ(half_to_float(0x0400), std::ldexp(1.0f, -14));            // smallest normal
  EXPECT_EQ(float_to_half(std::ldexp(1.0f, -24)), 0x0001);
  EXPECT_EQ(float_to_half(-std::ldexp(1.0f, -24)), 0x8001);
  EXPECT_EQ(float_to_half(std::ldexp(1.0f, -14)), 0x0400);
}

TEST(Half, SubnormalRoundingAndUnderflowToZero) {
  const float tiny = std::ldexp(1.0f, -24);
  EXPECT_EQ(float_to_half(tiny / 2), 0x0000);      // tie between 0 and 1 tiny -> even 0
  EXPECT_EQ(float_to_half(tiny * 0.75f), 0x0001);  // above the tie -> up
  EXPECT_EQ(float_to_half(tiny * 1.5f), 0x0002);   // tie between 1 and 2 -> even 2
  EXPECT_EQ(float_to_half(tiny / 4), 0x0000);
  EXPECT_EQ(float_to_half(-tiny / 4), 0x8000);  // keeps the sign
  EXPECT_EQ(float_to_half(std::ldexp(1.0f, -100)), 0x0000);
  // 1023.5 tiny is a tie between the largest subnormal (odd) and the smallest normal (even).
  EXPECT_EQ(float_to_half(1023.5f * tiny), 0x0400);
}

TEST(Half, OverflowRoundsToInfinity) {
  EXPECT_EQ(float_to_half(65504.0f), 0x7bff);  // largest finite half
  EXPECT_EQ(float_to_half(65519.0f), 0x7bff);  // below the halfway point to 65536
  EXPECT_EQ(float_to_half(65520.0f), 0x7c00);  // tie rounds to even: infinity
  EXPECT_EQ(float_to_half(1.0e6f), 0x7c00);
  EXPECT_EQ(float_to_half(-1.0e6f), 0xfc00);
  EXPECT_EQ(float_to_half(std::numeric_limits<float>::max()), 0x7c00);
}

TEST(Bfloat16, SmallIntegersZeroTo256RoundTripExactly) {
  for (int i = 0; i <= 256; ++i) {
    const float value = static_cast<float>(i);
    ASSERT_EQ(bfloat16_to_float(float_to_bfloat16(value)), value) << i;
    ASSERT_EQ(bfloat16_to_float(float_to_bfloat16(-value)), -value) << i;
  }
}

TEST(Bfloat16, KnownBitPatterns) {
  EXPECT_EQ(float_to_bfloat16(0.0f), 0x0000);
  EXPECT_EQ(float_to_bfloat16(-0.0f), 0x8000);
  EXPECT_EQ(float_to_bfloat16(1.0f), 0x3f80);
  EXPECT_EQ(float_to_bfloat16(-2.0f), 0xc000);
  EXPECT_EQ(float_to_bfloat16(256.0f), 0x4380);
  EXPECT_EQ(bfloat16_to_float(0x3f80), 1.0f);
  EXPECT_EQ(bfloat16_to_float(0x4049), 3.140625f);
}

TEST(Bfloat16, EveryNonNanBitPatternRoundTripsThroughFloat) {
  for (std::uint32_t b = 0; b <= 0xffff; ++b) {
    const auto bits = static_cast<std::uint16_t>(b);
    if (bf16_is_nan(bits)) continue;
    ASSERT_EQ(float_to_bfloat16(bfloat16_to_float(bits)), bits) << std::hex << b;
  }
}

TEST(Bfloat16, RoundsToNearestEven) {
  // Above 256 bfloat16 values are 2 apart: 257 ties to 256 (even), 259 ties to 260 (even), 258 is exact.
  EXPECT_EQ(float_to_bfloat16(257.0f), 0x4380);
  EXPECT_EQ(float_to_bfloat16(258.0f), 0x4381);
  EXPECT_EQ(float_to_bfloat16(259.0f), 0x4382);
  const float ulp = std::ldexp(1.0f, -7);  // spacing in [1, 2)
  EXPECT_EQ(float_to_bfloat16(1.0f + ulp / 2), 0x3f80);
  EXPECT_EQ(float_to_bfloat16(1.0f + 3 * ulp / 2), 0x3f82);
  EXPECT_EQ(float_to_bfloat16(1.0f + ulp / 2 + std::ldexp(1.0f, -20)), 0x3f81);
}

TEST(Bfloat16, InfinityNanAndOverflow) {
  EXPECT_EQ(float_to_bfloat16(kInf), 0x7f80);
  EXPECT_EQ(float_to_bfloat16(-kInf), 0xff80);
  EXPECT_EQ(bfloat16_to_float(0x7f80), kInf);
  EXPECT_TRUE(std::isnan(bfloat16_to_float(0x7fc0)));
  EXPECT_TRUE(bf16_is_nan(float_to_bfloat16(std::numeric_limits<float>::quiet_NaN())));
  // Payload only in the low 16 bits: truncation alone would give infinity.
  EXPECT_TRUE(bf16_is_nan(float_to_bfloat16(bits_float(0x7f800001u))));
  EXPECT_EQ(float_to_bfloat16(std::numeric_limits<float>::max()), 0x7f80);  // rounds up past the largest finite
  EXPECT_EQ(float_to_bfloat16(bfloat16_to_float(0x7f7f)), 0x7f7f);          // largest finite bfloat16
}

TEST(Bfloat16, SubnormalsDecodeAsFloatSubnormals) {
  EXPECT_EQ(bfloat16_to_float(0x0001), std::ldexp(1.0f, -133));
  EXPECT_EQ(float_to_bfloat16(std::ldexp(1.0f, -133)), 0x0001);
  EXPECT_EQ(float_to_bfloat16(std::ldexp(1.0f, -134)), 0x0000);  // tie to even zero
}

}  // namespace
}  // namespace railcheck::kernels
