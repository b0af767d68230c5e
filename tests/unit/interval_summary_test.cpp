// A soak keeps one record per test, size and part per interval (output/interval_summary.h): the interval's
// median pass with the summary of every pass; results found wrong stream on their own; failed transfers rank
// worst; nothing outside a soak is held back; the watchdog's report is preceded by what was held.
#include "railcheck/output/interval_summary.h"

#include <gtest/gtest.h>

#include <vector>

namespace railcheck {
namespace {

class Capture final : public OutputSink {
 public:
  void record(const Record& record) override { records.push_back(record); }
  void watchdog(const WatchdogReport& report) noexcept override { watchdog_after = records.size(), (void)report; }
  std::vector<Record> records;
  std::size_t watchdog_after = 0;
};

CollectiveRecord pass(double busbw, int interval, double start, bool in_place = false) {
  CollectiveRecord r;
  r.test_name = "all_reduce";
  r.test_key = "all_reduce float32 sum";
  r.size_bytes = 1 << 20;
  r.count = r.size_bytes / 4;
  r.in_place = in_place;
  r.busbw_gbps = busbw;
  r.algbw_gbps = busbw / 2;
  r.wrong_elements = 0;
  r.start_unix_s = start;
  r.end_unix_s = start + 0.5;
  r.interval = interval;
  return r;
}

P2pRecord transfer(double bw, bool ok, int interval, const std::string& dst = "n1") {
  P2pRecord r;
  r.test = "links";
  r.src_host = "n0";
  r.dst_host = dst;
  r.src_nic = r.dst_nic = "eth0";
  r.dst_rank = dst == "n1" ? 1 : 2;
  r.size_bytes = 1 << 20;
  r.ok = ok;
  r.bw_gbps = ok ? bw : 0.0;
  if (!ok) r.error = "connection reset by " + dst;
  r.start_unix_s = 100.0;
  r.end_unix_s = 101.0;
  r.interval = interval;
  return r;
}

TEST(IntervalSummary, FivePassesBecomeTheirMedianPassWithCountMinMeanMaxAndTheirSpan) {
  Capture out;
  IntervalSummary summary(out);
  const std::vector<double> busbw = {5.0, 1.0, 4.0, 2.0, 3.0};
  for (std::size_t i = 0; i < busbw.size(); ++i) summary.record(pass(busbw[i], 0, 100.0 + static_cast<double>(i)));
  EXPECT_TRUE(out.records.empty()) << "held until the interval ends";
  summary.flush();
  ASSERT_EQ(out.records.size(), 1u);
  const auto& r = std::get<CollectiveRecord>(out.records[0]);
  EXPECT_DOUBLE_EQ(r.busbw_gbps, 3.0) << "the median pass";
  EXPECT_DOUBLE_EQ(r.algbw_gbps, 1.5) << "every field is that pass's own";
  EXPECT_DOUBLE_EQ(r.start_unix_s, 104.0);
  ASSERT_TRUE(r.passes);
  EXPECT_EQ(r.passes->of, "busbw_gbps");
  EXPECT_EQ(r.passes->count, 5);
  EXPECT_EQ(r.passes->failed, 0);
  EXPECT_DOUBLE_EQ(*r.passes->min, 1.0);
  EXPECT_DOUBLE_EQ(*r.passes->mean, 3.0);
  EXPECT_DOUBLE_EQ(*r.passes->max, 5.0);
  EXPECT_DOUBLE_EQ(*r.passes->median, 3.0);
  EXPECT_DOUBLE_EQ(r.passes->start_unix_s, 100.0) << "the first pass's start";
  EXPECT_DOUBLE_EQ(r.passes->end_unix_s, 104.5) << "the last pass's end";
  const nlohmann::json j = to_json(out.records[0]);
  EXPECT_EQ(j.at("passes").at("count"), 5);
  EXPECT_EQ(j.at("interval"), 0);
}

TEST(IntervalSummary, AnEvenCountTakesTheLowerMiddlePass) {
  Capture out;
  IntervalSummary summary(out);
  for (double b : {4.0, 1.0, 3.0, 2.0}) summary.record(pass(b, 0, 100.0));
  summary.flush();
  ASSERT_EQ(out.records.size(), 1u);
  EXPECT_DOUBLE_EQ(std::get<CollectiveRecord>(out.records[0]).busbw_gbps, 2.0);
  EXPECT_DOUBLE_EQ(*std::get<CollectiveRecord>(out.records[0]).passes->median, 2.5)
      << "the analysis judges by the true median: one slow pass of two does not make the interval slow";
}

TEST(IntervalSummary, EachPlacementSizeAndPairIsItsOwnRecordInTheOrderFirstMeasured) {
  Capture out;
  IntervalSummary summary(out);
  for (int i = 0; i < 3; ++i) {
    summary.record(pass(2.0, 0, 100.0, false));
    summary.record(pass(1.0, 0, 100.0, true));
    summary.record(transfer(3.0, true, 0, "n1"));
    summary.record(transfer(4.0, true, 0, "n2"));
  }
  summary.flush();
  ASSERT_EQ(out.records.size(), 4u);
  EXPECT_FALSE(std::get<CollectiveRecord>(out.records[0]).in_place);
  EXPECT_TRUE(std::get<CollectiveRecord>(out.records[1]).in_place);
  EXPECT_EQ(std::get<P2pRecord>(out.records[2]).dst_host, "n1");
  EXPECT_EQ(std::get<P2pRecord>(out.records[3]).dst_host, "n2");
  for (const Record& r : out.records) {
    std::visit(
        [](const auto& rec) {
          if constexpr (requires { rec.passes; }) {
            ASSERT_TRUE(rec.passes);
            EXPECT_EQ(rec.passes->count, 3);
          }
        },
        r);
  }
}

TEST(IntervalSummary, AResultFoundWrongStreamsAtOnceAndCountsAsFailedInTheSummary) {
  Capture out;
  IntervalSummary summary(out);
  summary.record(pass(2.0, 0, 100.0));
  CollectiveRecord wrong = pass(2.0, 0, 101.0);
  wrong.status = RecordStatus::kWrong;
  wrong.wrong_elements = 7;
  summary.record(wrong);
  ASSERT_EQ(out.records.size(), 1u) << "the wrong pass is evidence of its own, on disk at once";
  EXPECT_EQ(std::get<CollectiveRecord>(out.records[0]).wrong_elements, 7);
  summary.record(pass(3.0, 0, 102.0));
  summary.flush();
  ASSERT_EQ(out.records.size(), 2u);
  const auto& s = std::get<CollectiveRecord>(out.records[1]);
  EXPECT_EQ(s.status, RecordStatus::kOk);
  EXPECT_EQ(s.passes->count, 2) << "the passes it stands for";
  EXPECT_EQ(s.passes->failed, 1) << "the wrong one, counted";
}

TEST(IntervalSummary, FailedTransfersRankWorstSoAMostlyFailedIntervalIsRecordedByAFailure) {
  Capture out;
  IntervalSummary summary(out);
  for (bool ok : {true, false, false, true, false}) summary.record(transfer(ok ? 5.0 : 0.0, ok, 0));
  summary.record(transfer(9.0, true, 0, "n2"));
  summary.record(transfer(0.0, false, 0, "n2"));
  summary.record(transfer(8.0, true, 0, "n2"));
  summary.flush();
  ASSERT_EQ(out.records.size(), 2u);
  const auto& mostly_failed = std::get<P2pRecord>(out.records[0]);
  EXPECT_FALSE(mostly_failed.ok) << "3 of 5 failed: the median pass is a failure";
  EXPECT_EQ(mostly_failed.passes->failed, 3);
  EXPECT_DOUBLE_EQ(*mostly_failed.passes->min, 5.0) << "min / mean / max over the passes that measured";
  EXPECT_DOUBLE_EQ(*mostly_failed.passes->mean, 5.0);
  EXPECT_DOUBLE_EQ(*mostly_failed.passes->median, 0.0) << "5, 0, 0, 5, 0: failures count as 0";
  const auto& once_failed = std::get<P2pRecord>(out.records[1]);
  EXPECT_TRUE(once_failed.ok);
  EXPECT_DOUBLE_EQ(once_failed.bw_gbps, 8.0) << "of 0 (failed), 8 and 9: 8";
  EXPECT_EQ(once_failed.passes->failed, 1);
  EXPECT_DOUBLE_EQ(*once_failed.passes->median, 8.0);
}

TEST(IntervalSummary, LatencyRanksLowerAsBetterAndSummarizesTheTypicalLatency) {
  Capture out;
  IntervalSummary summary(out);
  for (double typical : {30.0, 10.0, 20.0}) {
    P2pRecord r = transfer(0.0, true, 0);
    r.op = P2pOp::kLatency;
    r.lat = LatencyStats{};
    r.lat->typical_us = typical;
    summary.record(r);
  }
  P2pRecord failed = transfer(0.0, false, 0);
  failed.op = P2pOp::kLatency;
  summary.record(failed);
  summary.flush();
  ASSERT_EQ(out.records.size(), 1u);
  const auto& r = std::get<P2pRecord>(out.records[0]);
  ASSERT_TRUE(r.ok);
  EXPECT_DOUBLE_EQ(r.lat->typical_us, 30.0) << "worst first: failed, 30, 20, 10; the lower middle of 4 is 30";
  EXPECT_EQ(r.passes->of, "lat_us.typical");
  EXPECT_DOUBLE_EQ(*r.passes->min, 10.0);
  EXPECT_DOUBLE_EQ(*r.passes->max, 30.0);
  EXPECT_EQ(r.passes->failed, 1);
  EXPECT_DOUBLE_EQ(*r.passes->median, 20.0) << "a failed ping-pong is left out of a latency's median";
}

TEST(IntervalSummary, ARecordOfTheNextIntervalHandsOnTheLastOne) {
  Capture out;
  IntervalSummary summary(out);
  summary.record(pass(1.0, 0, 100.0));
  summary.record(pass(2.0, 1, 110.0));
  ASSERT_EQ(out.records.size(), 1u);
  EXPECT_EQ(std::get<CollectiveRecord>(out.records[0]).interval, 0);
  summary.flush();
  ASSERT_EQ(out.records.size(), 2u);
  EXPECT_EQ(std::get<CollectiveRecord>(out.records[1]).interval, 1);
}

TEST(IntervalSummary, OutsideASoakAndOtherKindsNothingIsHeldBack) {
  Capture out;
  IntervalSummary summary(out);
  CollectiveRecord plain = pass(1.0, 0, 100.0);
  plain.interval.reset();
  summary.record(plain);
  summary.record(plain);
  TelemetryRecord telemetry;
  telemetry.interval = 0;
  summary.record(telemetry);
  ASSERT_EQ(out.records.size(), 3u);
  EXPECT_FALSE(std::get<CollectiveRecord>(out.records[0]).passes);
}

TEST(IntervalSummary, TheWatchdogsReportComesAfterWhatWasHeld) {
  Capture out;
  IntervalSummary summary(out);
  summary.record(pass(1.0, 0, 100.0));
  summary.record(pass(2.0, 0, 101.0));
  summary.watchdog(WatchdogReport{});
  EXPECT_EQ(out.records.size(), 1u) << "the interval under way is measured data: on disk before the job ends";
  EXPECT_EQ(out.watchdog_after, 1u);
}

}  // namespace
}  // namespace railcheck
