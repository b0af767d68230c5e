// Robust statistics and fleet-relative outliers on crafted and noisy unit samples.
#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include "railcheck/analysis/fleet_outliers.h"
#include "railcheck/analysis/robust_stats.h"

namespace railcheck::analysis {
namespace {

std::vector<UnitSample> nic_loopback_rail(int hosts, int rail, double value) {
  std::vector<UnitSample> samples;
  for (int h = 0; h < hosts; ++h) {
    UnitSample sample;
    sample.unit = make_nic("node" + std::to_string(h), "eth" + std::to_string(rail), rail);
    sample.metric = "p2p.bw bw_gbps";
    sample.size_bytes = 1 << 20;
    sample.rail = rail;
    sample.value = value * (1.0 + 0.01 * (h % 3 - 1));  // a little spread: 0.99, 1.00, 1.01 x
    samples.push_back(sample);
  }
  return samples;
}

const Finding& finding_for(const std::vector<Finding>& findings, const ComponentId& id) {
  for (const Finding& finding : findings) {
    if (finding.component == id) return finding;
  }
  throw std::runtime_error("no finding for " + label(id));
}

int count_status(const std::vector<Finding>& findings, VerdictStatus status) {
  int count = 0;
  for (const Finding& finding : findings) count += finding.status == status ? 1 : 0;
  return count;
}

TEST(RobustStatsTest, MedianOfOddEvenAndEmpty) {
  EXPECT_DOUBLE_EQ(median(std::vector<double>{3.0, 1.0, 2.0}), 2.0);
  EXPECT_DOUBLE_EQ(median(std::vector<double>{4.0, 1.0, 3.0, 2.0}), 2.5);
  EXPECT_DOUBLE_EQ(median(std::vector<double>{}), 0.0);
}

TEST(RobustStatsTest, MadIgnoresOneWildValue) {
  // Deviations from the median 3: 2, 1, 0, 1, 97 -> MAD 1, whatever the outlier is.
  EXPECT_DOUBLE_EQ(mad(std::vector<double>{1.0, 2.0, 3.0, 4.0, 100.0}), 1.0);
  EXPECT_DOUBLE_EQ(mad(std::vector<double>{}), 0.0);
}

TEST(RobustStatsTest, RobustCentreScalesMadAndAppliesTheSpreadFloor) {
  const std::vector<double> spread_out = {8.0, 9.0, 10.0, 11.0, 12.0};
  const RobustCentre wide = robust_centre(spread_out, 0.02);
  EXPECT_EQ(wide.count, 5);
  EXPECT_DOUBLE_EQ(wide.median, 10.0);
  EXPECT_DOUBLE_EQ(wide.mad, 1.0);
  EXPECT_DOUBLE_EQ(wide.spread, 1.4826);

  const std::vector<double> identical = {10.0, 10.0, 10.0, 10.0};
  const RobustCentre tight = robust_centre(identical, 0.02);
  EXPECT_DOUBLE_EQ(tight.mad, 0.0);
  EXPECT_DOUBLE_EQ(tight.spread, 0.2);  // the floor: 2% of the median
}

TEST(FleetOutliersTest, SlowNicFailsWithEvidenceAndOthersPass) {
  std::vector<UnitSample> samples = nic_loopback_rail(8, 0, 1.0);
  samples[3].value = 0.6;
  const std::vector<Finding> findings = fleet_outliers(samples, OutlierOptions{});
  ASSERT_EQ(findings.size(), 8u);
  EXPECT_EQ(count_status(findings, VerdictStatus::kFail), 1);
  EXPECT_EQ(count_status(findings, VerdictStatus::kPass), 7);

  const Finding& slow = finding_for(findings, make_nic("node3", "eth0", 0));
  EXPECT_EQ(slow.status, VerdictStatus::kFail);
  const Evidence& evidence = slow.evidence;
  EXPECT_EQ(evidence.source, "fleet");
  EXPECT_EQ(evidence.metric, "p2p.bw bw_gbps");
  EXPECT_EQ(evidence.size_bytes, 1u << 20);
  EXPECT_DOUBLE_EQ(evidence.measured, 0.6);
  EXPECT_DOUBLE_EQ(evidence.expected, 1.0);  // median of 0.99, 1.00, 1.01, ... with node3 replaced
  EXPECT_EQ(evidence.expected_from, "fleet median of 8 NICs on rail 0");
  EXPECT_NEAR(evidence.deviation, -0.4, 1e-12);
  EXPECT_GT(evidence.spreads, 6.0);
  EXPECT_NE(evidence.text.find("node3 NIC eth0 (rail 0): p2p.bw bw_gbps 0.6 GB/s at 1 MiB, 40% below the median of "
                               "8 NICs on rail 0 (1.00 GB/s, "),
            std::string::npos)
      << evidence.text;
}

TEST(FleetOutliersTest, ModeratelySlowUnitWarns) {
  std::vector<UnitSample> samples = nic_loopback_rail(8, 0, 1.0);
  samples[3].value = 0.85;  // 15%: past the warn levels (10%, 4 spreads), short of the fail deviation (20%)
  const std::vector<Finding> findings = fleet_outliers(samples, OutlierOptions{});
  EXPECT_EQ(finding_for(findings, make_nic("node3", "eth0", 0)).status, VerdictStatus::kWarn);
  EXPECT_EQ(count_status(findings, VerdictStatus::kWarn), 1);
  EXPECT_EQ(count_status(findings, VerdictStatus::kFail), 0);
}

TEST(FleetOutliersTest, TooFewUnitsAreSkippedWithTheReason) {
  std::vector<UnitSample> samples = nic_loopback_rail(3, 1, 1.0);
  samples[0].value = 0.1;  // would fail with enough units
  const std::vector<Finding> findings = fleet_outliers(samples, OutlierOptions{});
  ASSERT_EQ(findings.size(), 3u);
  EXPECT_EQ(count_status(findings, VerdictStatus::kSkip), 3);
  EXPECT_NE(findings[0].evidence.text.find("only 3 NICs on rail 1, fewer than min_units 4"), std::string::npos)
      << findings[0].evidence.text;

  OutlierOptions lenient;
  lenient.min_units = 3;
  EXPECT_EQ(count_status(fleet_outliers(samples, lenient), VerdictStatus::kFail), 1);
}

TEST(FleetOutliersTest, LatencyIsWorseWhenHigher) {
  std::vector<UnitSample> samples = nic_loopback_rail(8, 0, 10.0);
  for (UnitSample& sample : samples) {
    sample.metric = "p2p.lat lat_us.typical";
    sample.higher_is_better = false;
  }
  samples[2].value = 20.0;  // twice the latency: bad
  samples[5].value = 5.0;   // half the latency: better, never flagged
  const std::vector<Finding> findings = fleet_outliers(samples, OutlierOptions{});
  EXPECT_EQ(finding_for(findings, samples[2].unit).status, VerdictStatus::kFail);
  EXPECT_EQ(finding_for(findings, samples[5].unit).status, VerdictStatus::kPass);
  EXPECT_NE(finding_for(findings, samples[2].unit).evidence.text.find("% above the median of 8 NICs"),
            std::string::npos);
  EXPECT_NE(finding_for(findings, samples[2].unit).evidence.text.find("20.0 us"), std::string::npos);
}

TEST(FleetOutliersTest, SpreadFloorKeepsATightFleetFromFlaggingAWobble) {
  std::vector<UnitSample> samples = nic_loopback_rail(8, 0, 1.0);
  for (UnitSample& sample : samples) sample.value = 1.0;  // MAD 0
  samples[4].value = 0.97;                                // 3% low
  OutlierOptions options;
  options.warn_deviation = 0.0;  // only spreads decide here
  options.fail_deviation = 0.0;
  EXPECT_EQ(count_status(fleet_outliers(samples, options), VerdictStatus::kPass), 8);  // 1.5 floored spreads

  options.min_relative_spread = 0.0;  // no floor: 3% is infinitely many spreads of a zero MAD
  EXPECT_EQ(finding_for(fleet_outliers(samples, options), samples[4].unit).status, VerdictStatus::kFail);
}

TEST(FleetOutliersTest, DecisiveDeviationFailsAUnitFarBelowAWidelyScatteredFleet) {
  // Healthy units scattered 1.0 - 3.6 (as TCP links on an oversubscribed host): the spread is about a third of
  // the median, so a unit at 3% of the median is under 3 spreads below it. A quarter of the centre or less fails.
  RobustCentre wide;
  wide.median = 1.41;
  wide.spread = 0.73;
  OutlierOptions options;
  EXPECT_EQ(judge_outlier(0.047, wide, true, options), VerdictStatus::kFail);
  EXPECT_EQ(judge_outlier(0.75, wide, true, options), VerdictStatus::kPass) << "47% below: the spreads decide";
  EXPECT_EQ(judge_outlier(3.0, wide, false, options), VerdictStatus::kFail) << "latency 113% above";
  options.decisive_deviation = 0.0;  // off: the spreads alone (1.9 of them) keep it a pass
  EXPECT_EQ(judge_outlier(0.047, wide, true, options), VerdictStatus::kPass);
}

TEST(FleetOutliersTest, SeveralSamplesOfAUnitAreReducedToTheirMedian) {
  std::vector<UnitSample> samples = nic_loopback_rail(6, 0, 1.0);
  UnitSample repeat = samples[1];
  for (double value : {0.5, 0.99}) {  // node1: 1.00 (from the helper), 0.5, 0.99 -> median 0.99
    repeat.value = value;
    samples.push_back(repeat);
  }
  const std::vector<Finding> findings = fleet_outliers(samples, OutlierOptions{});
  ASSERT_EQ(findings.size(), 6u);
  const Finding& node1 = finding_for(findings, samples[1].unit);
  EXPECT_EQ(node1.status, VerdictStatus::kPass);
  EXPECT_DOUBLE_EQ(node1.evidence.measured, 0.99);
  EXPECT_EQ(node1.evidence.total, 3);
}

TEST(FleetOutliersTest, GroupsByMetricSizeAndRail) {
  std::vector<UnitSample> samples = nic_loopback_rail(5, 0, 1.0);
  const std::vector<UnitSample> rail1 = nic_loopback_rail(5, 1, 2.0);  // a faster rail is not an outlier
  samples.insert(samples.end(), rail1.begin(), rail1.end());
  UnitSample gpu;
  gpu.metric = "all_reduce.float.sum time_us";
  gpu.size_bytes = 8;
  gpu.higher_is_better = false;
  for (int h = 0; h < 4; ++h) {
    gpu.unit = make_gpu("node" + std::to_string(h), 0);
    gpu.value = 30.0;
    samples.push_back(gpu);
  }
  const std::vector<Finding> findings = fleet_outliers(samples, OutlierOptions{});
  EXPECT_EQ(findings.size(), 14u);
  EXPECT_EQ(count_status(findings, VerdictStatus::kPass), 14);
  EXPECT_EQ(finding_for(findings, make_gpu("node0", 0)).evidence.expected_from,
            "fleet median of 4 GPUs across the fleet");
}

std::vector<UnitSample> noisy_gpu_fleet(unsigned seed, double relative_sigma) {
  std::mt19937 random(seed);
  std::normal_distribution<double> noise(1.0, relative_sigma);  // multiplicative noise
  std::vector<UnitSample> samples;
  for (int h = 0; h < 64; ++h) {
    for (int g = 0; g < 8; ++g) {
      UnitSample sample;
      sample.unit = make_gpu("node" + std::to_string(h), g);
      sample.metric = "all_reduce.float.sum time_us";
      sample.size_bytes = 1 << 26;
      sample.higher_is_better = false;
      sample.value = 500.0 * noise(random);
      samples.push_back(sample);
    }
  }
  return samples;
}

TEST(FleetOutliersTest, NoisyHealthyFleetHasNoWarnOrFail) {
  for (unsigned seed : {1u, 2u, 3u, 4u, 5u}) {
    // 2% noise (bandwidth and time on healthy hardware): the 10% warn deviation is 5 sigma away.
    const std::vector<Finding> findings = fleet_outliers(noisy_gpu_fleet(seed, 0.02), OutlierOptions{});
    EXPECT_EQ(findings.size(), 512u);
    EXPECT_EQ(count_status(findings, VerdictStatus::kWarn), 0) << "seed " << seed;
    EXPECT_EQ(count_status(findings, VerdictStatus::kFail), 0) << "seed " << seed;
  }
}

TEST(FleetOutliersTest, VeryNoisyHealthyFleetNeverFailsAndRarelyWarns) {
  for (unsigned seed : {1u, 2u, 3u, 4u, 5u}) {
    // 5% noise: fail needs 6 spreads (30%), never reached; warn needs 4 spreads (20%), a normal tail of
    // about 3e-5 per unit, so at most a stray one among 512 units.
    const std::vector<Finding> findings = fleet_outliers(noisy_gpu_fleet(seed, 0.05), OutlierOptions{});
    EXPECT_LE(count_status(findings, VerdictStatus::kWarn), 1) << "seed " << seed;
    EXPECT_EQ(count_status(findings, VerdictStatus::kFail), 0) << "seed " << seed;
  }
}

TEST(FleetOutliersTest, JudgeOutlierNeedsBothSpreadsAndDeviation) {
  RobustCentre centre;
  centre.median = 100.0;
  centre.spread = 1.0;
  const OutlierOptions options;
  EXPECT_EQ(judge_outlier(95.0, centre, true, options), VerdictStatus::kPass);   // 5 spreads but 5%
  EXPECT_EQ(judge_outlier(85.0, centre, true, options), VerdictStatus::kWarn);   // 15%
  EXPECT_EQ(judge_outlier(75.0, centre, true, options), VerdictStatus::kFail);   // 25%
  EXPECT_EQ(judge_outlier(125.0, centre, true, options), VerdictStatus::kPass);  // better
  EXPECT_EQ(judge_outlier(125.0, centre, false, options), VerdictStatus::kFail);
  centre.spread = 10.0;  // 25% is only 2.5 spreads of a noisy fleet
  EXPECT_EQ(judge_outlier(75.0, centre, true, options), VerdictStatus::kPass);
  EXPECT_EQ(describe_deviation(-0.41), "41% below");
  EXPECT_EQ(describe_deviation(0.123), "12% above");
  EXPECT_EQ(describe_deviation(0.001), "at");
}

}  // namespace
}  // namespace railcheck::analysis
