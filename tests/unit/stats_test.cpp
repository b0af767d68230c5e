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

// perftest's print_report_lat on fixed samples: sorted, the 2 largest left out of every statistic (m
// remain), t_max = d[m] (the second largest), t_typical the median of the m (mean of the middle two when m is
// even), t_stdev from deviations truncated to whole microseconds, 99% / 99.9% = d[ceil(0.99 m)] /
// d[ceil(0.999 m)].
TEST(LatencyStats, EightSamplesGivePerftestsColumns) {
  // Sorted: 2 4 4 4 5 5 | 7 9; m = 6.
  const std::vector<double> seconds = {5e-6, 2e-6, 9e-6, 4e-6, 4e-6, 7e-6, 4e-6, 5e-6};
  const LatencyStats l = latency_stats(seconds);
  EXPECT_EQ(l.count, 8);
  EXPECT_NEAR(l.min_us, 2.0, kEps);
  EXPECT_NEAR(l.max_us, 7.0, kEps);
  EXPECT_NEAR(l.max_of_all_us, 9.0, kEps);
  EXPECT_NEAR(l.typical_us, 4.0, kEps);  // (d[3] + d[2]) / 2
  EXPECT_NEAR(l.avg_us, 4.0, kEps);      // 24 / 6
  EXPECT_NEAR(l.stdev_us, 1.0, kEps);    // int(4 - x): 2 0 0 0 -1 -1 -> sqrt(6 / 6)
  EXPECT_NEAR(l.p99_us, 7.0, kEps);      // d[ceil(5.94)] = d[6]
  EXPECT_NEAR(l.p99_9_us, 7.0, kEps);
}

TEST(LatencyStats, OutliersDoNotReachTheStatisticsAsInPerftest) {
  // 197 samples of 2 us and three outliers 15, 30, 40 us: m = 198.
  std::vector<double> seconds(197, 2e-6);
  for (double us : {40.0, 15.0, 30.0}) seconds.push_back(us * 1e-6);
  const LatencyStats l = latency_stats(seconds);
  EXPECT_EQ(l.count, 200);
  EXPECT_NEAR(l.max_us, 30.0, kEps);  // the second largest: perftest's t_max
  EXPECT_NEAR(l.max_of_all_us, 40.0, kEps);
  EXPECT_NEAR(l.typical_us, 2.0, kEps);
  EXPECT_NEAR(l.avg_us, (197 * 2.0 + 15.0) / 198, 1e-9);
  EXPECT_NEAR(l.stdev_us, std::sqrt(144.0 / 198), 1e-9);  // int(2.07 - 2) = 0, int(2.07 - 15) = -12
  EXPECT_NEAR(l.p99_us, 15.0, kEps);                      // d[ceil(196.02)] = d[197]
  EXPECT_NEAR(l.p99_9_us, 30.0, kEps);                    // d[ceil(197.802)] = d[198]
}

TEST(LatencyStats, TwoOrFewerSamplesKeepThemAll) {
  const LatencyStats l = latency_stats(std::vector<double>{3e-6, 1e-6});
  EXPECT_EQ(l.count, 2);
  EXPECT_NEAR(l.min_us, 1.0, kEps);
  EXPECT_NEAR(l.max_us, 3.0, kEps);
  EXPECT_NEAR(l.typical_us, 2.0, kEps);
  EXPECT_EQ(latency_stats(std::vector<double>{}).count, 0);
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
