// Whole runs in-process (run_suite on thread ranks, the thread host backend): the bisection isolating a slow
// rank by communicator splits, on the GPUs of one host and on nodes; `analyze` of the run's own files giving
// the run's verdicts; every record kind and the verdicts reaching a test-only sink registered in one line;
// every rank returning the same exit code.
#include "railcheck/commands/run/run_suite.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "in_process.h"
#include "railcheck/app/app.h"
#include "railcheck/core/error.h"
#include "railcheck/record/wall_clock.h"
#include "railcheck/run/progress_display.h"

namespace railcheck {
namespace {

using nlohmann::json;
using test::Captured;

// One all_reduce at 256 KiB with in-job bisection judged against `expected_gbps`.
Suite bisecting_suite(double expected_gbps) {
  CollectiveTestSpec spec = test::all_reduce_spec(256 * 1024, 5);
  spec.check_iters = 0;
  spec.bisect.enabled = true;
  spec.bisect.expected_busbw_gbps = expected_gbps;
  return test::suite_of("bisect-test", {spec});
}

struct BisectionShape {
  std::string name;
  std::vector<std::string> hosts;
  std::vector<analysis::ComponentId> slow_half;  ///< what the verdicts must name, and nothing else
};

class InProcessBisection : public ::testing::TestWithParam<BisectionShape> {};

TEST_P(InProcessBisection, ASlowRankIsIsolatedByCommunicatorSplitsAndNothingElseIsNamed) {
  const BisectionShape& shape = GetParam();
  // 1. Healthy, expecting far less than any group reaches: one round, the whole group ok, nothing named.
  test::ScratchDir healthy_dir("bisect-healthy");
  auto healthy = std::make_shared<Captured>();
  const test::SuiteRun first = test::run_suite_on_threads(
      shape.hosts, test::request_for(bisecting_suite(1e-6), healthy_dir.path()), test::standard_sinks_and(healthy));
  test::expect_no_errors(first.outcomes);
  EXPECT_EQ(first.exit_codes, std::vector<int>(shape.hosts.size(), 0));
  const auto healthy_rounds = healthy->records_of<BisectionRecord>();
  ASSERT_EQ(healthy_rounds.size(), 1u);
  EXPECT_FALSE(healthy_rounds[0].slow);
  EXPECT_EQ(healthy_rounds[0].nranks, 4);
  ASSERT_GT(healthy_rounds[0].busbw_gbps, 0.0);

  // 2. Rank 2 sleeps after each call for 20 healthy calls' time (50 ms at least): its groups run 20 times
  // slower than a healthy one or more, on a fast machine or a loaded one; the expectation is 1/4 of the
  // healthy figure (a healthy half, with half the ranks, reaches more than the whole group did).
  test::ScratchDir slow_dir("bisect-slow");
  auto slow = std::make_shared<Captured>();
  SuiteRunRequest request = test::request_for(bisecting_suite(healthy_rounds[0].busbw_gbps / 4), slow_dir.path());
  request.common.faults.slow_rank = 2;
  request.common.faults.slow_ms = std::max(50.0, 20 * healthy_rounds[0].time_us / 1000);
  const test::SuiteRun second = test::run_suite_on_threads(shape.hosts, request, test::standard_sinks_and(slow));
  test::expect_no_errors(second.outcomes);

  const auto rounds = slow->records_of<BisectionRecord>();
  ASSERT_EQ(rounds.size(), 3u) << "round 1, then both halves at once in round 2";
  EXPECT_TRUE(rounds[0].slow && rounds[0].split);
  std::map<std::vector<int>, BisectionRecord> halves;
  for (std::size_t i = 1; i < rounds.size(); ++i) {
    EXPECT_EQ(rounds[i].round, 2);
    std::vector<int> ranks;
    for (const BisectionMember& member : rounds[i].members) {
      const auto at = std::find(shape.hosts.begin(), shape.hosts.end(), member.host);
      ranks.push_back(member.rank.value_or(static_cast<int>(at - shape.hosts.begin())));
    }
    halves[ranks] = rounds[i];
  }
  ASSERT_EQ(halves.size(), 2u);
  ASSERT_TRUE(halves.count({0, 1}) && halves.count({2, 3}));
  const BisectionRecord& healthy_half = halves.at({0, 1});
  const BisectionRecord& slow_half = halves.at({2, 3});
  EXPECT_FALSE(healthy_half.slow) << healthy_half.busbw_gbps << " GB/s, expected " << healthy_half.expected_busbw_gbps;
  EXPECT_TRUE(slow_half.slow);
  EXPECT_FALSE(slow_half.split) << "two units: isolated, not split further";

  ASSERT_EQ(slow->verdicts.size(), 1u);
  std::set<std::string> named;
  for (const analysis::Verdict& verdict : slow->verdicts[0].verdicts) {
    if (verdict.status != analysis::VerdictStatus::kWarn && verdict.status != analysis::VerdictStatus::kFail) continue;
    if (verdict.evidence.front().source == "rollup") {
      // Half a host's GPUs warned: the host is rolled up too; no other host is.
      EXPECT_EQ(verdict.component.kind, analysis::ComponentKind::kNode);
      EXPECT_EQ(verdict.component.host, shape.slow_half.front().host);
      continue;
    }
    named.insert(analysis::label(verdict.component));
    EXPECT_EQ(verdict.evidence.front().source, "bisection");
  }
  std::set<std::string> expected;
  for (const analysis::ComponentId& id : shape.slow_half) expected.insert(analysis::label(id));
  EXPECT_EQ(named, expected);
  // Warned (re-test) when nothing else confirms the isolated pair, failed when something does: either way
  // every rank exits with the verdicts' code.
  const int verdict_code = analysis::exit_code_of(slow->verdicts[0].verdicts);
  EXPECT_EQ(second.exit_codes, std::vector<int>(shape.hosts.size(), verdict_code));
}

INSTANTIATE_TEST_SUITE_P(Shapes, InProcessBisection,
                         ::testing::Values(BisectionShape{"GpusOfOneHost",
                                                          {"n0", "n0", "n0", "n0"},
                                                          {analysis::make_gpu("n0", 2), analysis::make_gpu("n0", 3)}},
                                           BisectionShape{"Nodes",
                                                          {"n0", "n1", "n2", "n3"},
                                                          {analysis::make_node("n2"), analysis::make_node("n3")}}),
                         [](const auto& info) { return info.param.name; });

TEST(InProcessAnalyze, TheRunsOwnFilesReanalysedGiveTheRunsVerdicts) {
  test::ScratchDir dir("analyze-rerun");
  SuiteRunRequest request = test::request_for(bisecting_suite(1e-6), dir.path());
  request.suite.tests[0].bisect.expected_busbw_gbps = 1e6;  // nothing reaches it: every group slow
  const test::SuiteRun run = test::run_suite_on_threads({"n0", "n0", "n1", "n1"}, request, SinkRegistry::standard());
  test::expect_no_errors(run.outcomes);
  const json run_verdicts = test::read_json(dir.path() / "results.json").at("verdicts");
  ASSERT_FALSE(run_verdicts.empty());
  // Both files the run wrote: results.json, and the stream a killed run leaves (bisection records included).
  for (const std::string file : {"results.json", "results.jsonl"}) {
    SCOPED_TRACE(file);
    const std::string input = (dir.path() / file).string();
    const std::string output = (dir.path() / ("verdicts-" + file)).string();
    const char* argv[] = {"railcheck", "analyze", input.c_str(), "--output", output.c_str()};
    std::ostringstream out, err;
    const int code = run_app_without_mpi(5, argv, out, err);
    EXPECT_EQ(code, run.exit_codes[0]) << err.str();
    EXPECT_EQ(test::read_json(output).at("verdicts"), run_verdicts);
  }
}

// The 1.0 -> 1.1 migration: a stream as railcheck 1.0 wrote it (no "kind" on collective records, no timestamps, no
// timing warnings, no note lines, schema_version "1.0") still analyses, to the verdicts 1.1 gives.
TEST(InProcessAnalyze, ASchema10StreamGivesTheSameVerdictsAsThe11One) {
  test::ScratchDir dir("analyze-1.0");
  SuiteRunRequest request = test::request_for(bisecting_suite(1e-6), dir.path());
  request.suite.tests[0].bisect.expected_busbw_gbps = 1e6;
  const test::SuiteRun run = test::run_suite_on_threads({"n0", "n0", "n1", "n1"}, request, SinkRegistry::standard());
  test::expect_no_errors(run.outcomes);
  const json run_verdicts = test::read_json(dir.path() / "results.json").at("verdicts");
  ASSERT_FALSE(run_verdicts.empty());

  std::ifstream stream(dir.path() / "results.jsonl");
  std::ofstream old(dir.path() / "results-1.0.jsonl");
  int records = 0;
  for (std::string line; std::getline(stream, line);) {
    json value = json::parse(line);
    const std::string type = value.at("type");
    if (type == "note" || type == "telemetry") continue;  // notes came in 1.1, telemetry in 1.2
    if (type == "manifest") value["schema_version"] = "1.0";
    for (const char* added : {"start_unix_s", "end_unix_s", "timing_warning"}) value.erase(added);
    if (type == "record") {
      value.erase("kind");  // 1.0's p2p, gpu_check and bisection records had one; collective records did not
      ++records;
    }
    old << value.dump() << "\n";
  }
  old.close();
  ASSERT_GT(records, 0);

  const std::string input = (dir.path() / "results-1.0.jsonl").string();
  const std::string output = (dir.path() / "verdicts-1.0.json").string();
  const char* argv[] = {"railcheck", "analyze", input.c_str(), "--output", output.c_str()};
  std::ostringstream out, err;
  EXPECT_EQ(run_app_without_mpi(5, argv, out, err), run.exit_codes[0]) << err.str();
  EXPECT_EQ(test::read_json(output).at("verdicts"), run_verdicts);
}

TEST(InProcessRun, EveryRankReturnsTheSameExitCode) {
  Suite suite = bisecting_suite(0);
  suite.tests[0].bisect.enabled = false;
  suite.tests[0].check_iters = 1;
  for (const int corrupt_rank : {-1, 3}) {
    test::ScratchDir dir("exit-codes");
    SuiteRunRequest request = test::request_for(suite, dir.path());
    request.common.faults.corrupt_rank = corrupt_rank;
    const test::SuiteRun run = test::run_suite_on_threads({"n0", "n0", "n1", "n1"}, request, SinkRegistry::standard());
    test::expect_no_errors(run.outcomes);
    const int expected = corrupt_rank < 0 ? 0 : 1;
    EXPECT_EQ(run.exit_codes, std::vector<int>(4, expected)) << "corrupt rank " << corrupt_rank;
    EXPECT_EQ(test::read_json(dir.path() / "results.json").at("summary").at("exit_code"), expected);
  }
}

// The memory guard on a whole run: 1 TiB of all_reduce is refused on every rank alike, before any record.
TEST(InProcessRun, ASizeThatCannotFitEndsEveryRankBeforeAnyRecord) {
  test::ScratchDir dir("too-big");
  auto captured = std::make_shared<Captured>();
  CollectiveTestSpec spec = test::all_reduce_spec(std::size_t{1} << 40, 1);
  spec.min_bytes = 8;
  spec.step_factor = 2;
  const test::SuiteRun run = test::run_suite_on_threads(
      {"n0", "n0", "n1", "n1"}, test::request_for(test::suite_of("too-big", {spec}), dir.path()),
      test::standard_sinks_and(captured));
  std::set<std::string> messages;
  for (const RankOutcome& outcome : run.outcomes) {
    ASSERT_TRUE(outcome.error) << "every rank refuses";
    try {
      std::rethrow_exception(outcome.error);
    } catch (const InputError& e) {
      messages.insert(e.what());
    }
  }
  ASSERT_EQ(messages.size(), 1u) << "the same line on every rank";
  EXPECT_NE(messages.begin()->find("max_bytes 1099511627776"), std::string::npos) << *messages.begin();
  EXPECT_TRUE(captured->records.empty());
}

// Acceptance of the one sink interface: a new output format is one class and one registration line
// (test::standard_sinks_and adds CaptureSink with SinkRegistry::add), and it hears everything a run says.
// A soak of 4 intervals on 3 thread ranks: every collective and p2p record names its interval, each interval
// has one record of every test (standing for all its passes), the soak's end is noted, and the verdicts come
// once, at the end.
TEST(InProcessSoak, EveryRecordNamesItsIntervalAndTheVerdictsComeOnceAtTheEnd) {
  test::ScratchDir dir("soak");
  auto captured = std::make_shared<Captured>();
  CollectiveTestSpec spec = test::all_reduce_spec(64 * 1024, 3);
  Suite suite = test::suite_of("soak-test", {spec});
  suite.p2p_tests.push_back(test::loopback_p2p(16 * 1024, 5, 0));
  suite.soak = SoakPlan{600.0, 0.01, 4, false};  // 4 intervals of 10 ms: a few passes each
  const test::SuiteRun run = test::run_suite_on_threads({"n0", "n1", "n2"}, test::request_for(suite, dir.path()),
                                                        test::standard_sinks_and(captured));
  test::expect_no_errors(run.outcomes);
  EXPECT_EQ(run.exit_codes, std::vector<int>(3, 0));
  std::map<int, std::set<std::string>> kinds_per_interval;
  std::map<std::pair<int, bool>, int> collective_records;  // (interval, in place) -> records
  int passes_recorded = 0;
  for (const auto& r : captured->records_of<CollectiveRecord>()) {
    ASSERT_TRUE(r.interval) << "a collective record without its interval";
    kinds_per_interval[*r.interval].insert("collective");
    ++collective_records[{*r.interval, r.in_place}];
    ASSERT_TRUE(r.passes) << "a soak's record stands for its interval's passes";
    passes_recorded += r.passes->count;
  }
  for (const auto& [key, n] : collective_records) EXPECT_EQ(n, 1) << "one record per interval and placement";
  for (const auto& r : captured->records_of<P2pRecord>()) {
    ASSERT_TRUE(r.interval) << "a p2p record without its interval";
    kinds_per_interval[*r.interval].insert("p2p");
  }
  ASSERT_EQ(kinds_per_interval.size(), 4u);
  for (const auto& [interval, kinds] : kinds_per_interval) {
    EXPECT_EQ(kinds, (std::set<std::string>{"collective", "p2p"})) << "interval " << interval;
  }
  EXPECT_EQ(captured->verdicts.size(), 1u);
  bool noted = false;
  for (const auto& [level, text] : captured->notes) {
    if (text.find("soak: 4 interval(s) (" + std::to_string(passes_recorded) + " pass(es))") != std::string::npos &&
        text.find("ended by its interval count") != std::string::npos)
      noted = true;
  }
  EXPECT_TRUE(noted) << "the soak's end is noted, and its records stand for every pass it ran (" << passes_recorded
                     << ")";
}

// --fail-early: a rank whose results are wrong fails its GPU after the first interval, and the soak stops there
// instead of running its 20 intervals; every rank exits 1. Without the fault the same soak runs them all.
TEST(InProcessSoak, FailEarlyStopsAfterTheFirstIntervalThatFailsAPart) {
  CollectiveTestSpec spec = test::all_reduce_spec(16 * 1024, 2);
  spec.check_iters = 1;
  Suite suite = test::suite_of("fail-early", {spec});
  suite.soak = SoakPlan{600.0, 0.01, 20, true};
  for (const int corrupt_rank : {-1, 1}) {
    test::ScratchDir dir("fail-early");
    auto captured = std::make_shared<Captured>();
    SuiteRunRequest request = test::request_for(suite, dir.path());
    request.common.faults.corrupt_rank = corrupt_rank;
    const test::SuiteRun run =
        test::run_suite_on_threads({"n0", "n1", "n2"}, request, test::standard_sinks_and(captured));
    test::expect_no_errors(run.outcomes);
    std::set<int> intervals;
    for (const auto& r : captured->records_of<CollectiveRecord>()) intervals.insert(r.interval.value_or(-1));
    const std::string ended = corrupt_rank < 0 ? "ended by its interval count" : "ended by fail-early";
    bool noted = false;
    for (const auto& [level, text] : captured->notes) noted |= text.find(ended) != std::string::npos;
    EXPECT_TRUE(noted) << "corrupt rank " << corrupt_rank << ": " << ended;
    if (corrupt_rank < 0) {
      EXPECT_EQ(intervals.size(), 20u);
      EXPECT_EQ(run.exit_codes, std::vector<int>(3, 0));
    } else {
      EXPECT_EQ(intervals, std::set<int>{0}) << "stopped after interval 0";
      EXPECT_EQ(run.exit_codes, std::vector<int>(3, 1));
    }
  }
}

TEST(InProcessRun, EveryRecordKindAndTheVerdictsReachASinkRegisteredInOneLine) {
  test::ScratchDir dir("every-kind");
  auto captured = std::make_shared<Captured>();
  const SinkRegistry sinks = test::standard_sinks_and(captured);

  Suite suite = bisecting_suite(1e6);                                // collective records, then bisection records
  suite.p2p_tests.push_back(test::loopback_p2p(64 * 1024, 20, 20));  // p2p records: every pair of the 3 hosts
  const test::SuiteRun run =
      test::run_suite_on_threads({"n0", "n1", "n2"}, test::request_for(suite, dir.path() / "run"), sinks);
  test::expect_no_errors(run.outcomes);

  // gpu_check records come from `railcheck gpu-check` (measured with a GPU, skipped without one).
  const std::string gpu_dir = (dir.path() / "gpu").string();
  const char* argv[] = {"railcheck", "gpu-check", "--output-dir", gpu_dir.c_str(), "--gemm-types", "fp64"};
  std::ostringstream out, err;
  (void)run_app_without_mpi(6, argv, out, err, sinks);

  std::set<std::string> kinds;
  for (const Record& record : captured->records)
    kinds.insert(std::string(line_type_info(line_type_of(record)).record_kind));
  std::set<std::string> every_kind;
  for (const LineTypeInfo& info : kLineTypes) {
    if (is_record(info)) every_kind.insert(std::string(info.record_kind));
  }
  EXPECT_EQ(kinds, every_kind) << "every record kind of record_kinds.h reached the sink";
  ASSERT_EQ(captured->verdicts.size(), 1u) << "the run's verdicts";
  EXPECT_FALSE(captured->verdicts[0].verdicts.empty());
  ASSERT_EQ(captured->summaries.size(), 2u) << "one end_run per run (the suite, then gpu-check)";
  // The calls of the suite run in order: begin_run first, the verdicts after every record, end_run last.
  const auto& calls = captured->calls;
  const auto verdicts_at = std::find(calls.begin(), calls.end(), "verdicts");
  const auto first_end = std::find(calls.begin(), calls.end(), "end_run");
  EXPECT_EQ(calls.front(), "begin_run");
  ASSERT_NE(verdicts_at, calls.end());
  EXPECT_EQ(std::find_if(verdicts_at, first_end, [](const std::string& c) { return c.rfind("record:", 0) == 0; }),
            first_end)
      << "no record after the verdicts";
  EXPECT_EQ(first_end, verdicts_at + 1);
  // The standard formats got the same stream: results.jsonl holds one line per record the sink heard.
  std::ifstream jsonl(dir.path() / "run" / "results.jsonl");
  std::size_t record_lines = 0;
  for (std::string line; std::getline(jsonl, line);) {
    if (is_record(*find_line_type(json::parse(line).at("type").get<std::string>()))) ++record_lines;
  }
  EXPECT_EQ(record_lines, static_cast<std::size_t>(std::count_if(calls.begin(), first_end, [](const std::string& c) {
              return c.rfind("record:", 0) == 0;
            })));
}

}  // namespace
namespace {

TEST(ProgressDisplay, ShowsTheRunsContextBeforeEachStepAndNothingWhenOff) {
  std::ostringstream on, off;
  ProgressDisplay shown(true, on), silent(false, off);
  for (ProgressDisplay* display : {&shown, &silent}) {
    display->set_context("soak interval 12, 3:48:00 left, worst so far: node3 NIC eth0 (rail 0) FAIL");
    display->on_step_begin({7, StepKind::kMeasure, "all_reduce 1048576B out"});
  }
  EXPECT_NE(on.str().find(" | soak interval 12, 3:48:00 left, worst so far: node3 NIC eth0 (rail 0) FAIL] step 7: "
                          "all_reduce 1048576B out"),
            std::string::npos)
      << on.str();
  EXPECT_EQ(off.str(), "") << "not a terminal: the console's plain lines only";
  EXPECT_EQ(format_hms(4 * 3600 - 720), "3:48:00");
  EXPECT_EQ(format_hms(-5), "0:00:00");
}

}  // namespace
}  // namespace railcheck
