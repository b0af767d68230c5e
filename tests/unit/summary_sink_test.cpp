// The run's totals as nccl-tests counts them: "Out of bounds values" is the number of (rank, record) pairs
// with wrong elements, "Avg bus bandwidth" the mean over every measured row (0-element rows included), and
// NCCL_TESTS_MIN_BW fails a run whose average is below 0.9 x the minimum; the console footer to the character.
#include "railcheck/output/summary_sink.h"

#include <gtest/gtest.h>

#include <sstream>

#include "railcheck/output/console_sink.h"

namespace railcheck {
namespace {

CollectiveRecord row(double busbw, std::vector<std::int64_t> wrong_per_rank) {
  CollectiveRecord r;
  r.test_name = "all_gather";
  r.kind = CollectiveKind::kAllGather;
  r.type = DataType::kFloat32;
  r.busbw_gbps = busbw;
  r.wrong_elements = 0;
  for (std::size_t i = 0; i < wrong_per_rank.size(); ++i) {
    RankResult rank;
    rank.rank = static_cast<int>(i);
    rank.host = "n" + std::to_string(i);
    rank.wrong_elements = wrong_per_rank[i];
    r.ranks.push_back(rank);
    r.wrong_elements += wrong_per_rank[i];
  }
  r.status = r.wrong_elements > 0 ? RecordStatus::kWrong : RecordStatus::kOk;
  return r;
}

TEST(SummarySink, OutOfBoundsCountsRanksWithWrongElementsPerRecordNotElements) {
  SummarySink sink;
  sink.record(row(1.0, {0, 8, 0, 0}));
  sink.record(row(1.0, {3, 8, 0, 0}));
  sink.record(row(1.0, {0, 0, 0, 0}));
  const RunSummary s = sink.summary();
  EXPECT_EQ(s.out_of_bounds, 3);    // rank 1 twice, rank 0 once: nccl-tests' errors[0]
  EXPECT_EQ(s.wrong_elements, 19);  // railcheck's element count, kept beside it
  EXPECT_EQ(s.wrong_records, 2);
  EXPECT_EQ(s.exit_code, kExitDegraded);
}

TEST(SummarySink, AvgBusBandwidthCountsZeroElementRowsAsNcclTestsDoes) {
  // nccl-tests, 4-rank all_gather -b 8 -e 256 -f 2: the 8 and 16 B rows give 0 elements per rank and are
  // timed at 0 GB/s; the average is over all 6 rows. With 0.0249 GB/s over the 3 rows that move data
  // (0.0747 GB/s summed), the 6-row mean is half of it.
  SummarySink sink;
  for (double busbw : {0.0, 0.0, 0.0, 0.0149, 0.0249, 0.0349}) sink.record(row(busbw, {0, 0, 0, 0}));
  EXPECT_NEAR(sink.summary().avg_busbw_gbps, 0.0747 / 6, 1e-12);
}

TEST(SummarySink, SkippedRowsStayOutOfTheAverage) {
  SummarySink sink;
  sink.record(row(2.0, {0, 0}));
  CollectiveRecord skipped = row(0.0, {});
  skipped.status = RecordStatus::kSkipped;
  sink.record(skipped);
  EXPECT_DOUBLE_EQ(sink.summary().avg_busbw_gbps, 2.0);
}

TEST(SummarySink, NcclTestsMinBwFailsBelowNinetyPercentOfIt) {
  for (const auto& [avg, ok] : std::vector<std::pair<double, bool>>{{90.0, true}, {89.99, false}, {150.0, true}}) {
    SummarySink sink(100.0);
    sink.record(row(avg, {0, 0}));
    const RunSummary s = sink.summary();
    EXPECT_EQ(avg_busbw_ok(s), ok) << avg;
    EXPECT_EQ(s.exit_code, ok ? kExitHealthy : kExitDegraded) << avg;
    EXPECT_EQ(s.problems.size(), ok ? 0u : 1u) << avg;
  }
  SummarySink unset;
  unset.record(row(0.001, {0, 0}));
  EXPECT_EQ(avg_busbw_ok(unset.summary()), std::nullopt);
  EXPECT_EQ(unset.summary().exit_code, kExitHealthy);
}

std::string footer_of(const RunSummary& summary) {
  std::ostringstream out, err;
  ConsoleSink console(out, err, {});
  TestStart start;
  CollectiveTestSpec spec;
  start.collective = &spec;
  start.nranks = 2;
  console.begin_test(start);
  console.record(row(1.0, {0, 0}));
  console.end_test(start);
  const std::size_t before = out.str().size();
  console.end_run(RunManifest{}, summary);
  return out.str().substr(before);
}

TEST(ConsoleFooter, IsNcclTestsFooterToTheCharacter) {
  RunSummary s;
  s.avg_busbw_gbps = 0.0124;
  EXPECT_EQ(footer_of(s), "#\n# Out of bounds values : 0 OK\n# Avg bus bandwidth    : 0.0124 \n#\n");
  s.out_of_bounds = 2;
  s.min_avg_busbw_gbps = 1.0;
  const std::string failed = footer_of(s);
  EXPECT_NE(failed.find("# Out of bounds values : 2 FAILED\n"), std::string::npos) << failed;
  EXPECT_NE(failed.find("# Avg bus bandwidth    : 0.0124 FAILED\n"), std::string::npos) << failed;
  s.avg_busbw_gbps = 0.95;
  EXPECT_NE(footer_of(s).find("# Avg bus bandwidth    : 0.95 OK\n"), std::string::npos);
}

}  // namespace
}  // namespace railcheck
