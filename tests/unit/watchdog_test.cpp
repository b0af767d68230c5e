// The watchdog in-process: a hung rank inside a whole run is named (rank, host, the step it never entered)
// and the job ends with the watchdog's exit code on every rank; a rank gone silent is named lost after
// lost_after_s; healthy steps shorter than the timeout never trip it.
#include "railcheck/run/watchdog.h"

#include <gtest/gtest.h>

#include <chrono>
#include <fstream>
#include <thread>

#include "in_process.h"

namespace railcheck {
namespace {

using test::Captured;

Suite one_all_reduce() {
  CollectiveTestSpec spec = test::all_reduce_spec(64 * 1024, 3);
  spec.placement = Placement::kBoth;
  return test::suite_of("watchdog-test", {spec});
}

void expect_every_rank_ended_by(const std::vector<RankOutcome>& outcomes, int code) {
  for (std::size_t r = 0; r < outcomes.size(); ++r) {
    EXPECT_EQ(outcomes[r].job_ended, code) << "rank " << r;
    ASSERT_TRUE(outcomes[r].error) << "rank " << r << " returned from a job the watchdog ended";
    EXPECT_THROW(std::rethrow_exception(outcomes[r].error), JobEnded) << "rank " << r;
  }
}

TEST(InProcessWatchdog, AHungRankIsNamedWithItsHostAndTheStepItNeverEntered) {
  test::ScratchDir dir("watchdog-hung");
  auto captured = std::make_shared<Captured>();
  SuiteRunRequest request = test::request_for(one_all_reduce(), dir.path());
  request.common.timeout_s = 1.0;
  request.common.faults.hang_rank = 2;  // stops before its first measurement step, as a hung GPU would
  const auto started = std::chrono::steady_clock::now();
  const test::SuiteRun run =
      test::run_suite_on_threads({"n0", "n1", "n2", "n3"}, request, test::standard_sinks_and(captured));
  const double took_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();

  expect_every_rank_ended_by(run.outcomes, kWatchdogExitCode);
  EXPECT_LT(took_s, 30.0) << "the 1 s timeout ends the job, not the test's own limit";
  ASSERT_EQ(captured->watchdogs.size(), 1u);
  const WatchdogReport& report = captured->watchdogs[0];
  EXPECT_EQ(report.step, "all_reduce 65536B out");
  EXPECT_GE(report.waited_s, 1.0);
  ASSERT_EQ(report.lost.size(), 1u) << report.text;
  EXPECT_EQ(report.lost[0].rank, 2);
  EXPECT_EQ(report.lost[0].host, "n2");
  EXPECT_EQ(report.lost[0].state, "finished its last step and has not entered this one");
  EXPECT_EQ(report.lost[0].last_step, "all_reduce 65536B warm-up");
  EXPECT_NE(report.text.find("rank 2 (n2"), std::string::npos) << report.text;
  EXPECT_EQ(captured->calls.back(), "watchdog") << "the watchdog's report is the last word of a job it ended";
  EXPECT_TRUE(captured->records.empty());
  // The same report streamed to results.jsonl, after the manifest: what an operator reads after the fact.
  std::ifstream jsonl(dir.path() / "results.jsonl");
  std::string line, last;
  while (std::getline(jsonl, line)) last = line;
  const nlohmann::json watchdog = nlohmann::json::parse(last);
  EXPECT_EQ(watchdog.at("type"), "watchdog");
  EXPECT_EQ(watchdog.at("lost_ranks").at(0).at("rank"), 2);
  EXPECT_EQ(watchdog.at("exit_code"), kWatchdogExitCode);
}

// The watchdog on every rank but `silent`, which opens its end of the heartbeat channel (the collective
// part of the watchdog's start) and then never reports, as a rank whose process died would.
std::vector<WatchdogReport> run_with_silent_rank(int silent, const WatchdogOptions& options,
                                                 std::vector<RankOutcome>& outcomes) {
  std::mutex mutex;
  std::vector<WatchdogReport> reports;
  outcomes = run_ranks({"n0", "n1", "n2"}, [&](const Bootstrap& bootstrap) {
    if (bootstrap.rank() == silent) {
      const auto channel = bootstrap.open_heartbeat_channel();
      while (!bootstrap.job_ended()) std::this_thread::sleep_for(std::chrono::milliseconds(10));
      return;
    }
    Watchdog watchdog(bootstrap, options, [&](const WatchdogReport& report) {
      std::lock_guard lock(mutex);
      reports.push_back(report);
    });
    Steps steps;
    steps.attach(watchdog);
    const Steps::Scope step = steps.begin(StepKind::kMeasure, "all_reduce 1048576B out");
    bootstrap.barrier();  // waits for the silent rank, which never comes
  });
  return reports;
}

TEST(InProcessWatchdog, ARankThatNeverReportsIsNamedLostAfterLostAfterS) {
  WatchdogOptions options;
  options.timeout_s = 60.0;  // far away: the silence, not the timeout, ends this job
  options.silent_after_s = 0.3;
  options.lost_after_s = 0.8;
  options.heartbeat_period_s = 0.05;
  std::vector<RankOutcome> outcomes;
  const auto started = std::chrono::steady_clock::now();
  const std::vector<WatchdogReport> reports = run_with_silent_rank(1, options, outcomes);
  const double took_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  ASSERT_EQ(reports.size(), 1u);
  const WatchdogReport& report = reports[0];
  EXPECT_EQ(report.reporter, 0);
  ASSERT_EQ(report.lost.size(), 1u) << report.text;
  EXPECT_EQ(report.lost[0].rank, 1);
  EXPECT_EQ(report.lost[0].host, "n1");
  EXPECT_EQ(report.lost[0].state, "never reported");
  EXPECT_NE(report.text.find("rank 1 (n1) has not reported"), std::string::npos) << report.text;
  EXPECT_LT(took_s, 20.0);
  for (const RankOutcome& outcome : outcomes) EXPECT_EQ(outcome.job_ended, kWatchdogExitCode);
}

TEST(InProcessWatchdog, StepsShorterThanTheTimeoutNeverTripIt) {
  WatchdogOptions options;
  options.timeout_s = 0.5;
  options.silent_after_s = 0.3;
  options.lost_after_s = 1.0;
  options.heartbeat_period_s = 0.05;
  std::atomic<int> reports{0};
  const auto outcomes = run_ranks({"n0", "n0", "n1", "n1"}, [&](const Bootstrap& bootstrap) {
    Watchdog watchdog(bootstrap, options, [&](const WatchdogReport&) { ++reports; });
    Steps steps;
    steps.attach(watchdog);
    // Ten steps of 0.2 s each, 2 s in all: four times the timeout, yet no step runs past it.
    for (int i = 0; i < 10; ++i) {
      const Steps::Scope step = steps.begin(StepKind::kMeasure, "step " + std::to_string(i));
      std::this_thread::sleep_for(std::chrono::milliseconds(bootstrap.rank() == 3 ? 200 : 150));
      bootstrap.barrier();
    }
  });
  EXPECT_EQ(reports.load(), 0);
  for (std::size_t r = 0; r < outcomes.size(); ++r) {
    EXPECT_FALSE(outcomes[r].error) << "rank " << r;
    EXPECT_FALSE(outcomes[r].job_ended) << "rank " << r;
  }
}

}  // namespace
}  // namespace railcheck
