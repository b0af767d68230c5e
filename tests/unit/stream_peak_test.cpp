// perftest's BW peak window on fixed operation times, values worked out by hand.
#include <gtest/gtest.h>

#include "railcheck/p2p/stream_peak.h"

namespace railcheck {
namespace {

// Four operations posted 0.1 s apart; the first three complete close together, the fourth late. Every window
// (completed[j] - posted[i]) / (j - i + 1): i=0: j=0 1.0, j=1 0.525, j=2 0.3667, j=3 0.375; i=1: 0.95, 0.5,
// 0.4667; i=2: 0.9, 0.65; i=3: 1.2. The best is operations 0..2: 1.1 / 3.
TEST(StreamPeak, TheBestWindowIsTheFastestRunOfConsecutiveOperations) {
  const OperationTimes times{{0.0, 0.1, 0.2, 0.3}, {1.0, 1.05, 1.1, 1.5}};
  const auto peak = peak_seconds_per_operation(times);
  ASSERT_TRUE(peak);
  EXPECT_DOUBLE_EQ(*peak, 1.1 / 3.0);
}

// With completion moderation (cq_mod 4) four operations share the one signalled completion's time: the run of
// all four is the window (2.0 / 4), not any shorter run ending at the same time (2.0 / 1 .. 2.0 / 3).
TEST(StreamPeak, OperationsCompletedTogetherCountAsOneRun) {
  const OperationTimes times{{0.0, 0.0, 0.0, 0.0}, {2.0, 2.0, 2.0, 2.0}};
  const auto peak = peak_seconds_per_operation(times);
  ASSERT_TRUE(peak);
  EXPECT_DOUBLE_EQ(*peak, 0.5);
}

// A steady stream: every run gives the same rate, so the peak equals the average (no window beats it).
TEST(StreamPeak, ASteadyStreamsPeakIsItsAverage) {
  OperationTimes times;
  for (int k = 0; k < 100; ++k) {
    times.posted.push_back(0.0);
    times.completed.push_back(0.01 * (k + 1));
  }
  const auto peak = peak_seconds_per_operation(times);
  ASSERT_TRUE(peak);
  EXPECT_NEAR(*peak, 0.01, 1e-12);
}

TEST(StreamPeak, NoOperationsMismatchedListsOrAZeroWindowGiveNoPeak) {
  EXPECT_FALSE(peak_seconds_per_operation({}));
  EXPECT_FALSE(peak_seconds_per_operation({{0.0, 0.1}, {0.5}}));
  EXPECT_FALSE(peak_seconds_per_operation({{0.25}, {0.25}}));
}

}  // namespace
}  // namespace railcheck
