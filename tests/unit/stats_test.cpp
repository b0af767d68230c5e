// summarize() and the p2p latency columns built on it: seconds in, microseconds out; nearest-rank percentiles;
// population standard deviation.
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "railcheck/record/p2p_record.h"
#include "railcheck/record/stats.h"

namespace railcheck {
namespace {

constexpr double kEps = 1e-9;  // microseconds; only the seconds->us scaling rounds

TEST(Summarize, KnownEightSamplesGiveMeanMinMaxMedianP99AndStdev) {
  // Microseconds 2 4 4 4 5 5 7 9 (given out of order, in seconds): mean 5, population stdev 2,
  // median by nearest rank = 4th of 8 = 4, p99 = 8th of 8 = 9.
  const std::vector<double> seconds = {5e-6, 2e-6, 9e-6, 4e-6, 4e-6, 7e-6, 4e-6, 5e-6};
  const SampleStats s = summarize(seconds);
  EXPECT_EQ(s.count, 8);
  EXPECT_NEAR(s.mean_us, 5.0, kEps);
  EXPECT_NEAR(s.min_us, 2.0, kEps);
  EXPECT_NEAR(s.max_us, 9.0, kEps);
  EXPECT_NEAR(s.p50_us, 4.0, kEps);
  EXPECT_NEAR(s.p99_us, 9.0, kEps);
  EXPECT_NEAR(s.stdev_us, 2.0, kEps);
}

TEST(Summarize, HundredSamplesNearestRankPercentiles) {
  // 1..100 us in reverse order: p50 = 50th value = 50, p99 = 99th = 99, mean 50.5,
  // population stdev sqrt((100^2 - 1) / 12) = sqrt(833.25).
  std::vector<double> seconds;
  for (int us = 100; us >= 1; --us) seconds.push_back(us * 1e-6);
  const SampleStats s = summarize(seconds);
  EXPECT_EQ(s.count, 100);
  EXPECT_NEAR(s.mean_us, 50.5, kEps);
  EXPECT_NEAR(s.min_us, 1.0, kEps);
  EXPECT_NEAR(s.max_us, 100.0, kEps);
  EXPECT_NEAR(s.p50_us, 50.0, kEps);
  EXPECT_NEAR(s.p99_us, 99.0, kEps);
  EXPECT_NEAR(s.stdev_us, std::sqrt(833.25), 1e-9);
}

TEST(Summarize, ThousandSamplesP999IsTheNineHundredNinetyNinthValue) {
  // 1..1000 us: nearest rank of 99.9% of 1000 = 999th value = 999 (p99 = 990th = 990).
  std::vector<double> seconds;
  for (int us = 1; us <= 1000; ++us) seconds.push_back(us * 1e-6);
  const SampleStats s = summarize(seconds);
  EXPECT_NEAR(s.p99_us, 990.0, kEps);
  EXPECT_NEAR(s.p99_9_us, 999.0, kEps);
}

TEST(LatencyStats, PerftestColumnsAreTheSampleStatistics) {
  // Same eight samples as above: t_typical is the median, t_avg the mean; 99% and 99.9% are both the 8th value.
  const std::vector<double> seconds = {5e-6, 2e-6, 9e-6, 4e-6, 4e-6, 7e-6, 4e-6, 5e-6};
  const LatencyStats l = latency_stats(seconds);
  EXPECT_EQ(l.count, 8);
  EXPECT_NEAR(l.min_us, 2.0, kEps);
  EXPECT_NEAR(l.max_us, 9.0, kEps);
  EXPECT_NEAR(l.typical_us, 4.0, kEps);
  EXPECT_NEAR(l.avg_us, 5.0, kEps);
  EXPECT_NEAR(l.stdev_us, 2.0, kEps);
  EXPECT_NEAR(l.p99_us, 9.0, kEps);
  EXPECT_NEAR(l.p99_9_us, 9.0, kEps);
}

TEST(Summarize, SecondsAreConvertedToMicroseconds) {
  const std::vector<double> seconds = {0.25};  // 250 ms = 250000 us
  const SampleStats s = summarize(seconds);
  EXPECT_EQ(s.count, 1);
  EXPECT_DOUBLE_EQ(s.mean_us, 250000.0);
  EXPECT_DOUBLE_EQ(s.min_us, 250000.0);
  EXPECT_DOUBLE_EQ(s.max_us, 250000.0);
  EXPECT_DOUBLE_EQ(s.p50_us, 250000.0);
  EXPECT_DOUBLE_EQ(s.p99_us, 250000.0);
  EXPECT_DOUBLE_EQ(s.stdev_us, 0.0);
}

TEST(Summarize, EmptyInputHasCountZeroAndZeroStatistics) {
  const SampleStats s = summarize({});
  EXPECT_EQ(s.count, 0);
  EXPECT_EQ(s.mean_us, 0.0);
  EXPECT_EQ(s.min_us, 0.0);
  EXPECT_EQ(s.max_us, 0.0);
  EXPECT_EQ(s.p50_us, 0.0);
  EXPECT_EQ(s.p99_us, 0.0);
  EXPECT_EQ(s.stdev_us, 0.0);
}

TEST(Summarize, DoesNotReorderTheCallersSamples) {
  const std::vector<double> seconds = {3e-6, 1e-6, 2e-6};
  const std::vector<double> copy = seconds;
  (void)summarize(seconds);
  EXPECT_EQ(seconds, copy);
}

}  // namespace
}  // namespace railcheck
