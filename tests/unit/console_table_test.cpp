// The console table: nccl-tests' column order and number formats, N/A for skipped halves and unchecked runs.
#include <gtest/gtest.h>

#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "railcheck/output/console_sink.h"
#include "railcheck/output/placement_rows.h"

namespace railcheck {
namespace {

CollectiveRecord make_record(bool in_place, double time_us, double algbw, double busbw, std::int64_t wrong) {
  CollectiveRecord r;
  r.kind = CollectiveKind::kAllReduce;
  r.size_bytes = 1048576;
  r.count = 262144;
  r.type = DataType::kFloat32;
  r.op = ReduceOp::kSum;
  r.in_place = in_place;
  r.time_us = time_us;
  r.algbw_gbps = algbw;
  r.busbw_gbps = busbw;
  r.wrong_elements = wrong;
  return r;
}

// Column layout, nccl-tests style: "%12zu  %12zu  %8s  %6s  %6d" then per half "  %7s  %6s  %6s  %6g", the
// numbers as nccl-tests' getFloatStr writes them (src/util.cu).
constexpr std::size_t kHeadWidth = 12 + 2 + 12 + 2 + 8 + 2 + 6 + 2 + 6;
constexpr std::size_t kHalfWidth = 2 + 7 + 2 + 6 + 2 + 6 + 2 + 6;

std::string out_of_place_time(double time_us) {
  const CollectiveRecord r = make_record(false, time_us, 1.0, 1.0, 0);
  return format_collective_line(&r, nullptr).substr(kHeadWidth + 2, 7);
}

std::string out_of_place_busbw(double busbw) {
  const CollectiveRecord r = make_record(false, 1.0, 1.0, busbw, 0);
  return format_collective_line(&r, nullptr).substr(kHeadWidth + 2 + 7 + 2 + 6 + 2, 6);
}

TEST(ConsoleTable, LineHasNcclTestsColumnsInOrder) {
  const CollectiveRecord out = make_record(false, 1234.5, 0.85, 1.49, 0);
  const CollectiveRecord in = make_record(true, 12.25, 85.6, 149.8, 3);
  const std::string expected =
      //   size         count          type     redop    root
      "     1048576        262144     float     sum      -1"
      //   time    algbw   busbw  #wrong   (out-of-place)
      "  1234.50    0.85    1.49       0"
      //   time    algbw   busbw  #wrong   (in-place)
      "    12.25   85.60  149.80       3";
  EXPECT_EQ(format_collective_line(&out, &in), expected);
  EXPECT_EQ(expected.size(), kHeadWidth + 2 * kHalfWidth);
}

// getFloatStr: "%.2f" if it fits the 7 characters of the time column, else "%.1f", else "%.0f", else "%.1e".
TEST(ConsoleTable, TimeHasTwoDecimalsWhileTheyFitSevenCharacters) {
  EXPECT_EQ(out_of_place_time(0.5), "   0.50");
  EXPECT_EQ(out_of_place_time(12.25), "  12.25");
  EXPECT_EQ(out_of_place_time(140.6), " 140.60");
  EXPECT_EQ(out_of_place_time(9999.25), "9999.25");
}

TEST(ConsoleTable, TimeDropsToOneDecimalThenNoneThenAnExponent) {
  EXPECT_EQ(out_of_place_time(12345.678), "12345.7");  // the issue's case: 12346 before
  EXPECT_EQ(out_of_place_time(123456.25), " 123456");
  EXPECT_EQ(out_of_place_time(9999999.0), "9999999");
  EXPECT_EQ(out_of_place_time(123456789.0), "1.2e+08");
}

TEST(ConsoleTable, BandwidthHasTwoDecimalsWhileTheyFitSixCharacters) {
  EXPECT_EQ(out_of_place_busbw(0.0), "  0.00");
  EXPECT_EQ(out_of_place_busbw(149.8), "149.80");
  EXPECT_EQ(out_of_place_busbw(1234.5), "1234.5");
  EXPECT_EQ(out_of_place_busbw(123456.0), "123456");
}

TEST(ConsoleTable, WrongCountIsPrintedAsNcclTestsPercentG) {
  const CollectiveRecord r = make_record(false, 50.0, 1.0, 2.0, 1234567);
  EXPECT_EQ(format_collective_line(&r, nullptr).substr(kHeadWidth + kHalfWidth - 6, 11), "1.23457e+06");
}

TEST(ConsoleTable, SkippedHalfPrintsNotAvailable) {
  CollectiveRecord out = make_record(false, 50.0, 1.0, 2.0, 0);
  out.status = RecordStatus::kSkipped;
  out.skip_reason = "in-place only";
  const CollectiveRecord in = make_record(true, 50.0, 1.0, 2.0, 0);
  const std::string line = format_collective_line(&out, &in);
  EXPECT_EQ(line.substr(kHeadWidth, kHalfWidth), "      N/A     N/A     N/A     N/A");
  EXPECT_EQ(line.substr(kHeadWidth + kHalfWidth), "    50.00    1.00    2.00       0");
}

TEST(ConsoleTable, MissingHalfPrintsNotAvailable) {
  const CollectiveRecord in = make_record(true, 50.0, 1.0, 2.0, 0);
  const std::string line = format_collective_line(nullptr, &in);
  EXPECT_EQ(line.substr(0, kHeadWidth), "     1048576        262144     float     sum      -1");
  EXPECT_EQ(line.substr(kHeadWidth, kHalfWidth), "      N/A     N/A     N/A     N/A");
  EXPECT_EQ(format_collective_line(nullptr, nullptr), "");
}

TEST(ConsoleTable, NotCheckedPrintsNotAvailableInWrongColumnAsNcclTests) {
  const CollectiveRecord out = make_record(false, 50.0, 1.0, 2.0, -1);
  const std::string line = format_collective_line(&out, nullptr);
  // nccl-tests' literal "    N/A" for an unchecked half: one character narrower than "  %6g".
  EXPECT_EQ(line.substr(kHeadWidth, kHalfWidth - 1), "    50.00    1.00    2.00    N/A");
}

TEST(ConsoleTable, DataMovementPrintsNoneAndRootedPrintsRoot) {
  CollectiveRecord gather = make_record(false, 50.0, 1.0, 2.0, 0);
  gather.kind = CollectiveKind::kAllGather;
  gather.op.reset();
  EXPECT_EQ(format_collective_line(&gather, nullptr).substr(0, kHeadWidth),
            "     1048576        262144     float    none      -1");
  CollectiveRecord broadcast = gather;
  broadcast.kind = CollectiveKind::kBroadcast;
  broadcast.type = DataType::kBfloat16;
  broadcast.root = 2;
  EXPECT_EQ(format_collective_line(&broadcast, nullptr).substr(0, kHeadWidth),
            "     1048576        262144  bfloat16    none       2");
}

TEST(ConsoleTable, HeaderNamesColumnsInNcclTestsOrder) {
  CollectiveTestSpec spec;
  spec.name = "all_reduce";
  const std::string text = format_collective_header(spec, 4);
  const std::string header =
      "#       size         count      type   redop    root     time   algbw   busbw  #wrong"
      "     time   algbw   busbw  #wrong";
  EXPECT_NE(text.find(header), std::string::npos) << text;
}

// nccl-tests' -C names the time columns "cputime" and shows the time to queue a call; -S ends the header
// with a timestamp column and every row with the local time ("%21s"). The header names the timing window.
TEST(ConsoleTable, CputimeAndTimestampsChangeTheColumnsAsNcclTestsDoes) {
  CollectiveTestSpec spec;
  spec.name = "all_reduce";
  spec.report_cputime = true;
  spec.report_timestamps = true;
  const std::string text = format_collective_header(spec, 4);
  const std::string header =
      "#       size         count      type   redop    root  cputime   algbw   busbw  #wrong"
      "  cputime   algbw   busbw  #wrong           timestamp\n";
  EXPECT_NE(text.find(header), std::string::npos) << text;
  EXPECT_NE(text.find("  %Y-%m-%d %H:%M:%S\n"), std::string::npos) << text;
  EXPECT_NE(text.find("# timing: loop"), std::string::npos) << text;
  CollectiveRecord r = make_record(false, 10.0, 1.0, 1.5, 0);
  r.cpu_time_us = 2.5;
  const std::string row = format_collective_line(&r, nullptr, row_display_of(spec));
  EXPECT_EQ(row.substr(kHeadWidth, 9), "     2.50") << row;
  EXPECT_TRUE(std::regex_search(row, std::regex(R"(  \d{4}-\d\d-\d\d \d\d:\d\d:\d\d$)"))) << row;
  EXPECT_EQ(format_collective_line(&r, nullptr).substr(kHeadWidth, 9), "    10.00") << "without -C: the time";
}

TEST(ConsoleTable, SinkPairsOutOfPlaceAndInPlaceRecordsOnOneLine) {
  std::ostringstream out, err;
  ConsoleSink sink(out, err);
  const CollectiveRecord a = make_record(false, 10.0, 1.0, 1.5, 0);
  const CollectiveRecord b = make_record(true, 11.0, 0.9, 1.4, 0);
  sink.record(Record{a});
  sink.record(Record{b});
  EXPECT_EQ(out.str(), format_collective_line(&a, &b) + "\n");
  EXPECT_EQ(err.str(), "");
}

// A soak on the console: each test's header once, then one line per test and interval (median, lowest, the
// slowest link, what was wrong), printed when the next interval begins; no table row per pass.
TEST(ConsoleSoak, TheHeaderOnceThenOneLinePerTestAndInterval) {
  std::ostringstream out, err;
  ConsoleSink console(out, err);
  CollectiveTestSpec spec;
  spec.name = "all_reduce";
  TestStart test;
  test.name = "all_reduce";
  test.collective = &spec;
  test.nranks = 4;
  auto pass = [&](int interval, double busbw, std::int64_t wrong) {
    test.interval = interval;
    console.begin_test(test);
    CollectiveRecord r = make_record(false, 100.0, busbw, busbw, wrong);
    r.test_name = "all_reduce";
    r.interval = interval;
    console.record(r);
    console.end_test(test);
  };
  pass(0, 2.0, 0);
  pass(0, 1.0, 0);
  pass(0, 3.0, 0);
  P2pRecord link;
  link.test = "links";
  link.src_host = "node3";
  link.dst_host = "node1";
  link.src_nic = link.dst_nic = "eth0";
  link.size_bytes = 1 << 20;
  link.bw_gbps = 0.02;
  link.interval = 0;
  console.record(link);
  console.note(NoteLevel::kSkip, "rail_write_bw: no RDMA devices");
  pass(1, 2.0, 5);
  console.note(NoteLevel::kSkip, "rail_write_bw: no RDMA devices");
  console.end_run(RunManifest{}, RunSummary{});
  const std::string text = out.str();
  EXPECT_EQ(text.find("Collective test starting"), text.rfind("Collective test starting")) << "one header";
  EXPECT_NE(text.find("# interval 0 all_reduce 1 MiB out-of-place: median 2.00 GB/s, lowest 1.00 GB/s over 3\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("# interval 0 links bw 1 MiB: median 0.02 GB/s, lowest 0.02 GB/s over 1 (node3(eth0) -> "
                      "node1(eth0))"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("# interval 1 all_reduce 1 MiB out-of-place: median 2.00 GB/s, lowest 2.00 GB/s over 1, 5 WRONG"),
            std::string::npos)
      << text;
  EXPECT_EQ(text.find("    1048576"), std::string::npos) << "no table row per pass";
  EXPECT_EQ(text.find("# SKIP rail_write_bw"), text.rfind("# SKIP rail_write_bw")) << "a skip said once per soak";
  EXPECT_NE(text.find("# SKIP rail_write_bw"), std::string::npos);
}

TEST(ConsoleP2p, BandwidthShowsInGBpsByDefaultGbpsOrPerftestsMiBps) {
  P2pRecord r;
  r.src_host = "node1";
  r.dst_host = "node2";
  r.src_nic = r.dst_nic = "mlx5_0";
  r.size_bytes = 1 << 20;
  r.iters = 10;
  r.bw_gbps = 1.048576;  // 1e6 MiB/s x 2^20 bytes: exactly 1000 MiB/s
  EXPECT_NE(format_p2p_line(r, BandwidthUnit::kGBps).find("1.049 GB/s"), std::string::npos);
  EXPECT_NE(format_p2p_line(r, BandwidthUnit::kGbps).find("8.389 Gb/s"), std::string::npos);
  EXPECT_NE(format_p2p_line(r, BandwidthUnit::kMiBps).find("1000.000 MiB/s"), std::string::npos)
      << format_p2p_line(r, BandwidthUnit::kMiBps);
  EXPECT_NE(format_p2p_line(r, BandwidthUnit::kGBps).find("peak - avg 1.049 GB/s"), std::string::npos)
      << "no peak measured (TCP): a dash, perftest's order otherwise";
  EXPECT_NE(format_p2p_line(r, BandwidthUnit::kGBps).find("GB/s 0.001000 Mpps"), std::string::npos)
      << "1000 MiB/s of 1 MiB messages: 1000 per second";
  r.peak_bw_gbps = 2.097152;
  EXPECT_NE(format_p2p_line(r, BandwidthUnit::kMiBps).find("peak 2000.000 avg 1000.000 MiB/s"), std::string::npos)
      << format_p2p_line(r, BandwidthUnit::kMiBps);
  const std::string matrix = format_link_matrix({r}, {"node1", "node2"}, P2pOp::kBandwidth, 0, BandwidthUnit::kMiBps);
  EXPECT_NE(matrix.find("(MiB/s;"), std::string::npos) << matrix;
  EXPECT_NE(matrix.find("1000.000"), std::string::npos) << matrix;
}

TEST(PlacementRows, PairsASizesTwoPlacementsAndLeavesUnpairedHalvesOnRowsOfTheirOwn) {
  std::vector<std::string> rows;
  auto label = [](const CollectiveRecord* r) {
    return r == nullptr ? std::string("-") : r->test_name + ":" + std::to_string(r->size_bytes);
  };
  PlacementRows pairer([&](const CollectiveRecord* out_of_place, const CollectiveRecord* in_place) {
    rows.push_back(label(out_of_place) + " | " + label(in_place));
  });
  auto record = [](const std::string& test, std::size_t size, bool in_place) {
    CollectiveRecord r;
    r.test_name = test;
    r.size_bytes = size;
    r.in_place = in_place;
    return r;
  };
  pairer.add(record("a", 8, false));
  pairer.add(record("a", 8, true));    // pairs with the waiting out-of-place 8
  pairer.add(record("a", 16, false));  // waits ...
  pairer.add(record("a", 32, false));  // ... and is emitted alone when another out-of-place arrives
  pairer.add(record("b", 32, true));   // another test's size 32: not a pair
  pairer.add(record("b", 64, false));
  pairer.flush();
  pairer.flush();  // nothing waits: no row
  EXPECT_EQ(rows, (std::vector<std::string>{"a:8 | a:8", "a:16 | -", "a:32 | -", "- | b:32", "b:64 | -"}));
}

}  // namespace
}  // namespace railcheck
