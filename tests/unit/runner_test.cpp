// The Runner in-process (thread ranks, the thread host backend): a record per size and placement with every
// rank's own timing, the steps it announces, a corrupted rank named in its record, a slow rank found as the
// slowest, and a rank whose backend fails ending the job for every rank (no rank left waiting).
#include "railcheck/run/runner.h"

#include <gtest/gtest.h>

#include <chrono>
#include <map>
#include <thread>

#include "in_process.h"
#include "railcheck/collectives/coll_counts.h"
#include "railcheck/collectives/collective_decorator.h"
#include "railcheck/core/error.h"
#include "railcheck/run/debug_faults.h"
#include "railcheck/run/timed_loop.h"

namespace railcheck {
namespace {

using test::Captured;
using test::CaptureSink;

/// Every step call a rank's observers hear, as "begin <kind> <label>", "heartbeat <number>", "end <number>".
class StepLog final : public StepObserver {
 public:
  void on_step_begin(const StepInfo& step) override {
    calls.push_back("begin " + std::string(name_of(step.kind)) + " " + step.label);
  }
  void on_step_end(const StepInfo& step) override { calls.push_back("end " + std::to_string(step.number)); }
  void on_heartbeat(const StepInfo& step) override { calls.push_back("heartbeat " + std::to_string(step.number)); }
  std::vector<std::string> calls;
};

CollectiveTestSpec sweep(CollectiveKind kind = CollectiveKind::kAllReduce) {
  CollectiveTestSpec spec;
  spec.name = std::string(key_of(kind));
  spec.kind = kind;
  spec.min_bytes = 4 * 1024;
  spec.max_bytes = 64 * 1024;
  spec.step_factor = 2;  // 4, 8, 16, 32, 64 KiB
  spec.iters = 4;
  spec.check_iters = 2;
  return spec;
}

struct RunnerRun {
  std::vector<CollectiveRecord> records;        ///< rank 0's
  std::vector<std::vector<std::string>> steps;  ///< per rank
  std::vector<RankOutcome> outcomes;
};

/// The Runner on one thread rank per entry of `hosts`, each rank's backend decorated by `decorate`.
RunnerRun run_runner(const std::vector<std::string>& hosts, const CollectiveTestSpec& spec,
                     const std::function<std::unique_ptr<Collective>(std::unique_ptr<Collective>, int)>& decorate) {
  auto captured = std::make_shared<Captured>();
  RunnerRun run;
  run.steps.resize(hosts.size());
  run.outcomes = run_ranks(hosts, [&](const Bootstrap& bootstrap) {
    const std::unique_ptr<Collective> world = decorate(bootstrap.make_host_collective(), bootstrap.rank());
    Steps steps;
    StepLog log;
    steps.attach(log);
    SinkFanout sink;
    if (bootstrap.rank() == 0) sink.add(std::make_unique<CaptureSink>(captured));
    try {
      Runner(RunContext{bootstrap, *world, steps, sink}, {}).run(spec);
    } catch (...) {
      run.steps[static_cast<std::size_t>(bootstrap.rank())] = log.calls;
      throw;
    }
    run.steps[static_cast<std::size_t>(bootstrap.rank())] = log.calls;
  });
  run.records = captured->records_of<CollectiveRecord>();
  return run;
}

RunnerRun run_runner(const std::vector<std::string>& hosts, const CollectiveTestSpec& spec,
                     const DebugFaults& faults = {}) {
  return run_runner(hosts, spec, [&faults](std::unique_ptr<Collective> c, int rank) {
    return with_debug_faults(std::move(c), faults, rank);
  });
}

const std::vector<std::string> kTwoHostsTwoRanksEach = {"nodeA", "nodeA", "nodeB", "nodeB"};

TEST(InProcessRunner, OneRecordPerSizeAndPlacementWithEveryRanksOwnTiming) {
  const RunnerRun run = run_runner(kTwoHostsTwoRanksEach, sweep());
  test::expect_no_errors(run.outcomes);
  ASSERT_EQ(run.records.size(), 10u) << "5 sizes x (out of place, in place)";
  std::size_t expected_size = 4 * 1024;
  for (std::size_t i = 0; i < run.records.size(); ++i) {
    const CollectiveRecord& r = run.records[i];
    SCOPED_TRACE("record " + std::to_string(i));
    EXPECT_EQ(r.size_bytes, expected_size);
    EXPECT_EQ(r.in_place, i % 2 == 1) << "out of place first, then in place, as nccl-tests' columns";
    if (r.in_place) expected_size *= 2;
    EXPECT_EQ(r.count, r.size_bytes / 4);
    EXPECT_EQ(r.nranks, 4);
    EXPECT_EQ(r.iters, 4);
    EXPECT_EQ(r.status, RecordStatus::kOk);
    EXPECT_EQ(r.wrong_elements, 0);
    ASSERT_EQ(r.ranks.size(), 4u);
    for (int rank = 0; rank < 4; ++rank) {
      const RankResult& mine = r.ranks[static_cast<std::size_t>(rank)];
      EXPECT_EQ(mine.rank, rank);
      EXPECT_EQ(mine.host, rank < 2 ? "nodeA" : "nodeB");
      EXPECT_EQ(mine.local_rank, rank % 2);
      EXPECT_EQ(mine.time.count, 4) << "one sample per timed call";
      EXPECT_GT(mine.time.mean_us, 0.0);
      EXPECT_EQ(mine.wrong_elements, 0);
    }
    EXPECT_LE(r.time_us_min, r.time_us);
    EXPECT_LE(r.time_us, r.time_us_max);
    EXPECT_GE(r.slowest_rank, 0);
    EXPECT_LT(r.slowest_rank, 4);
    EXPECT_DOUBLE_EQ(r.time_us_max, r.ranks[static_cast<std::size_t>(r.slowest_rank)].time.mean_us);
    // nccl-tests' figures from the record's own time: algbw = bytes / time, busbw = algbw * 2(n-1)/n.
    const Bandwidth bw = bandwidth(r.kind, r.count, r.type, r.time_us * 1e-6, r.nranks);
    EXPECT_DOUBLE_EQ(r.algbw_gbps, bw.algbw_gbps);
    EXPECT_DOUBLE_EQ(r.busbw_gbps, r.algbw_gbps * 1.5);
    EXPECT_GT(r.start_unix_s, 1.7e9);
    EXPECT_LE(r.start_unix_s, r.end_unix_s);
    if (i > 0) {
      EXPECT_LE(run.records[i - 1].end_unix_s, r.start_unix_s) << "records are in measured order";
    }
  }
}

TEST(InProcessRunner, EveryRankAnnouncesTheSameStepsTheWarmUpSweepThenEachPlacement) {
  CollectiveTestSpec spec = sweep();
  spec.max_bytes = 8 * 1024;  // 2 sizes
  const RunnerRun run = run_runner(kTwoHostsTwoRanksEach, spec);
  test::expect_no_errors(run.outcomes);
  std::vector<std::string> begins;
  for (const std::string& call : run.steps[0]) {
    if (call.rfind("begin ", 0) == 0) begins.push_back(call);
  }
  EXPECT_EQ(begins,
            (std::vector<std::string>{"begin warmup all_reduce 4096B warm-up", "begin warmup all_reduce 8192B warm-up",
                                      "begin measure all_reduce 4096B out", "begin measure all_reduce 4096B in",
                                      "begin measure all_reduce 8192B out", "begin measure all_reduce 8192B in"}))
      << "nccl-tests' warm-up: every size from min doubling to max, before anything is timed";
  // Each measure step: the timed loop, then one heartbeat per check pass, then its end.
  const auto first_measure = std::find(run.steps[0].begin(), run.steps[0].end(), begins[2]);
  ASSERT_NE(first_measure, run.steps[0].end());
  EXPECT_EQ(std::vector<std::string>(first_measure + 1, first_measure + 5),
            (std::vector<std::string>{"heartbeat 3", "heartbeat 3", "heartbeat 3", "end 3"}));
  for (std::size_t r = 1; r < run.steps.size(); ++r) EXPECT_EQ(run.steps[r], run.steps[0]) << "rank " << r;
}

TEST(InProcessRunner, ACorruptedRankIsNamedInEveryRecordAndNoOtherRank) {
  DebugFaults faults;
  faults.corrupt_rank = 2;
  CollectiveTestSpec spec = sweep(CollectiveKind::kAllGather);
  spec.max_bytes = 16 * 1024;
  const RunnerRun run = run_runner(kTwoHostsTwoRanksEach, spec, faults);
  test::expect_no_errors(run.outcomes);
  ASSERT_EQ(run.records.size(), 6u);
  for (const CollectiveRecord& r : run.records) {
    EXPECT_EQ(r.status, RecordStatus::kWrong);
    // nccl-tests' -c: the passes stop at the first one with wrong elements, and report that pass's count.
    ASSERT_EQ(spec.check_iters, 2);
    EXPECT_EQ(r.wrong_elements, static_cast<std::int64_t>(kCorruptedElements));
    for (const RankResult& rank : r.ranks) {
      EXPECT_EQ(rank.wrong_elements, rank.rank == 2 ? static_cast<std::int64_t>(kCorruptedElements) : 0)
          << "rank " << rank.rank;
    }
  }
}

TEST(InProcessRunner, ASlowRankIsTheSlowestRankOfEveryRecord) {
  DebugFaults faults;
  faults.slow_rank = 1;
  faults.slow_ms = 5.0;
  CollectiveTestSpec spec = sweep(CollectiveKind::kBroadcast);
  spec.max_bytes = 8 * 1024;
  spec.check_iters = 0;
  const RunnerRun run = run_runner(kTwoHostsTwoRanksEach, spec, faults);
  test::expect_no_errors(run.outcomes);
  ASSERT_EQ(run.records.size(), 4u);
  for (const CollectiveRecord& r : run.records) {
    EXPECT_EQ(r.slowest_rank, 1);
    EXPECT_GE(r.time_us_max, 5000.0) << "rank 1 sleeps 5 ms after every call";
    EXPECT_EQ(r.wrong_elements, -1) << "check 0: nothing checked";
  }
}

// nccl-tests' -a: the row's time is rank 0's, the mean, the fastest or the slowest rank's mean, and the
// bandwidths follow from it; the record says which.
TEST(InProcessRunner, TheRowTimeIsTheRanksTimesAggregatedAsDashA) {
  DebugFaults faults;
  faults.slow_rank = 1;
  faults.slow_ms = 2.0;
  for (const TimeAggregation average :
       {TimeAggregation::kRank0, TimeAggregation::kAvg, TimeAggregation::kMin, TimeAggregation::kMax}) {
    SCOPED_TRACE(std::string(name_of(average)));
    CollectiveTestSpec spec = sweep(CollectiveKind::kAllReduce);
    spec.max_bytes = spec.min_bytes;
    spec.placement = Placement::kOutOfPlace;
    spec.check_iters = 0;
    spec.average = average;
    const RunnerRun run = run_runner(kTwoHostsTwoRanksEach, spec, faults);
    test::expect_no_errors(run.outcomes);
    ASSERT_EQ(run.records.size(), 1u);
    const CollectiveRecord& r = run.records[0];
    EXPECT_EQ(r.time_aggregation, average);
    double sum = 0.0;
    for (const RankResult& rank : r.ranks) sum += rank.time.mean_us;
    const double expected = average == TimeAggregation::kRank0 ? r.ranks.at(0).time.mean_us
                            : average == TimeAggregation::kAvg ? sum / static_cast<double>(r.ranks.size())
                            : average == TimeAggregation::kMin ? r.time_us_min
                                                               : r.time_us_max;
    EXPECT_DOUBLE_EQ(r.time_us, expected);
    EXPECT_DOUBLE_EQ(
        r.busbw_gbps,
        bandwidth(spec.kind, r.count, spec.type, r.time_us * 1e-6, static_cast<int>(r.ranks.size())).busbw_gbps);
  }
}

// Forwards to the real backend, and fails the `fail_at`-th run() as a broken link or device would.
class FailingCollective final : public CollectiveDecorator {
 public:
  FailingCollective(std::unique_ptr<Collective> inner, int fail_at)
      : CollectiveDecorator(std::move(inner)), fail_at_(fail_at) {}
  void run(const CollectiveCall& call) override {
    if (++calls_ == fail_at_) throw Error("injected: the link to the next rank went down");
    inner().run(call);
  }

 private:
  int fail_at_;
  int calls_ = 0;
};

TEST(InProcessRunner, ARankWhoseBackendFailsEndsTheJobForEveryRank) {
  const RunnerRun run = run_runner(kTwoHostsTwoRanksEach, sweep(),
                                   [](std::unique_ptr<Collective> c, int rank) -> std::unique_ptr<Collective> {
                                     if (rank != 3) return c;
                                     // 5 warm-up calls (4 to 64 KiB), the untimed call before the first loop, then its
                                     // 3rd call
                                     return std::make_unique<FailingCollective>(std::move(c), 9);
                                   });
  ASSERT_EQ(run.outcomes.size(), 4u);
  // The failing rank has the backend's error; the others, blocked in the call rank 3 never made, were woken by
  // the job's end (as MPI_Abort would take them) instead of waiting for good.
  ASSERT_TRUE(run.outcomes[3].error);
  try {
    std::rethrow_exception(run.outcomes[3].error);
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("link to the next rank went down"), std::string::npos) << e.what();
  }
  for (int r = 0; r < 3; ++r) {
    ASSERT_TRUE(run.outcomes[static_cast<std::size_t>(r)].error) << "rank " << r;
    EXPECT_THROW(std::rethrow_exception(run.outcomes[static_cast<std::size_t>(r)].error), JobEnded);
  }
  for (const RankOutcome& outcome : run.outcomes) EXPECT_EQ(outcome.job_ended, kExitHarnessError);
  EXPECT_TRUE(run.records.empty()) << "no record for the size that failed";
  // Every rank left the open step (its scope ended while unwinding): no observer is left inside it.
  for (const auto& calls : run.steps) {
    ASSERT_FALSE(calls.empty());
    EXPECT_EQ(calls.back().rfind("end ", 0), 0u) << calls.back();
  }
}

}  // namespace
}  // namespace railcheck

namespace railcheck {
namespace {

// nccl-tests' -N: the size sweep again, every cycle's rows in order; -r -1: the whole test once per root.
TEST(InProcessRunner, CyclesRepeatTheSweepAndRootMinusOneRunsItOncePerRank) {
  CollectiveTestSpec cycles = sweep();
  cycles.max_bytes = 8 * 1024;
  cycles.cycles = 3;
  const RunnerRun repeated = run_runner(kTwoHostsTwoRanksEach, cycles);
  test::expect_no_errors(repeated.outcomes);
  ASSERT_EQ(repeated.records.size(), 12u) << "3 cycles x 2 sizes x 2 placements";
  for (std::size_t i = 0; i < repeated.records.size(); ++i) {
    EXPECT_EQ(repeated.records[i].size_bytes, (i / 2) % 2 == 0 ? 4096u : 8192u) << i;
  }

  CollectiveTestSpec roots = sweep(CollectiveKind::kBroadcast);
  roots.max_bytes = roots.min_bytes;
  roots.placement = Placement::kOutOfPlace;
  roots.root = -1;
  const RunnerRun every_root = run_runner(kTwoHostsTwoRanksEach, roots);
  test::expect_no_errors(every_root.outcomes);
  ASSERT_EQ(every_root.records.size(), 4u);
  for (int r = 0; r < 4; ++r) {
    const CollectiveRecord& record = every_root.records[static_cast<std::size_t>(r)];
    EXPECT_EQ(record.root, r);
    EXPECT_EQ(record.wrong_elements, 0) << "the check follows each root";
  }
}

// The timing window is named in every record. loop: the host clock around the whole loop, every sample that
// loop's mean (nccl-tests), with rank 0's time to queue a call; events: one sample per call.
TEST(InProcessRunner, EveryRecordNamesItsTimingWindowAndTheLoopWindowGivesTheLoopsMean) {
  for (const TimingWindow timing : {TimingWindow::kLoop, TimingWindow::kEvents}) {
    SCOPED_TRACE(std::string(name_of(timing)));
    CollectiveTestSpec spec = sweep();
    spec.max_bytes = spec.min_bytes;
    spec.timing = timing;
    const RunnerRun run = run_runner(kTwoHostsTwoRanksEach, spec);
    test::expect_no_errors(run.outcomes);
    ASSERT_EQ(run.records.size(), 2u);
    for (const CollectiveRecord& r : run.records) {
      EXPECT_EQ(r.timing, timing);
      EXPECT_EQ(to_json(r).at("timing"), name_of(timing));
      EXPECT_EQ(r.cpu_time_us.has_value(), timing == TimingWindow::kLoop);
      for (const RankResult& rank : r.ranks) {
        EXPECT_EQ(rank.time.count, 4);
        if (timing == TimingWindow::kLoop) {
          EXPECT_DOUBLE_EQ(rank.time.min_us, rank.time.max_us);
        }
      }
    }
  }
}

// A backend whose in-place all_to_all has no defined result (NCCL's grouped send/recv over one buffer).
class UndefinedInPlaceAllToAll final : public CollectiveDecorator {
 public:
  using CollectiveDecorator::CollectiveDecorator;
  bool in_place_result_defined(CollectiveKind kind) const override { return kind != CollectiveKind::kAllToAll; }
};

// nccl-tests times an in-place all_to_all on NCCL, prints N/A for #wrong and counts it in the average:
// railcheck the same, with the out-of-place row checked as ever.
TEST(InProcessRunner, AnInPlaceCallWithoutADefinedResultIsTimedButNotChecked) {
  CollectiveTestSpec spec = sweep(CollectiveKind::kAllToAll);
  spec.max_bytes = spec.min_bytes;
  const RunnerRun run = run_runner(kTwoHostsTwoRanksEach, spec, [](std::unique_ptr<Collective> c, int) {
    return std::unique_ptr<Collective>(std::make_unique<UndefinedInPlaceAllToAll>(std::move(c)));
  });
  test::expect_no_errors(run.outcomes);
  ASSERT_EQ(run.records.size(), 2u);
  EXPECT_EQ(run.records[0].wrong_elements, 0) << "out of place: checked";
  const CollectiveRecord& in_place = run.records[1];
  EXPECT_TRUE(in_place.in_place);
  EXPECT_EQ(in_place.status, RecordStatus::kOk);
  EXPECT_EQ(in_place.wrong_elements, -1) << "timed only: N/A, as nccl-tests prints it";
  EXPECT_GT(in_place.time_us, 0.0);
  EXPECT_GT(in_place.busbw_gbps, 0.0);
  for (const RankResult& rank : in_place.ranks) EXPECT_EQ(rank.wrong_elements, -1);
}

// nccl-tests' -z on the timed loop itself (one rank, a barrier that takes 20 ms): 1 times the barrier after
// each call, 3 leaves it out, 2 never calls it, 0 neither waits nor calls it.
TEST(InProcessTimedLoop, BlockingWaitsAfterEachCallAndDashZ3LeavesTheBarrierOutOfTheTime) {
  const auto outcomes = run_ranks({"node"}, [](const Bootstrap& bootstrap) {
    const std::unique_ptr<Collective> world = bootstrap.make_host_collective();
    std::vector<float> data(256, 1.0f);
    Buffer send = world->allocate(data.size() * sizeof(float));
    Buffer recv = world->allocate(data.size() * sizeof(float));
    const CollectiveCall call{
        CollectiveKind::kAllReduce, send.data(), recv.data(), data.size(), DataType::kFloat32, ReduceOp::kSum, 0};
    std::map<Blocking, std::pair<double, int>> seen;  // per mode: seconds per call, barriers
    for (const Blocking blocking :
         {Blocking::kNone, Blocking::kWaitAndBarrier, Blocking::kWait, Blocking::kWaitAndUntimedBarrier}) {
      int barriers = 0;
      const auto slow_barrier = [&barriers] {
        ++barriers;
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
      };
      const TimedCalls timed = time_calls(*world, call, {5, 0, TimingWindow::kLoop, blocking}, slow_barrier);
      ASSERT_EQ(timed.seconds.size(), 5u);
      seen[blocking] = {timed.seconds[0], barriers};
    }
    EXPECT_EQ(seen[Blocking::kNone].second, 0);
    EXPECT_EQ(seen[Blocking::kWait].second, 0);
    EXPECT_EQ(seen[Blocking::kWaitAndBarrier].second, 5);
    EXPECT_EQ(seen[Blocking::kWaitAndUntimedBarrier].second, 5);
    EXPECT_GE(seen[Blocking::kWaitAndBarrier].first, 0.020) << "the barrier is inside the time";
    EXPECT_LT(seen[Blocking::kWaitAndUntimedBarrier].first, 0.015) << "the barrier is left out";
  });
  test::expect_no_errors(outcomes);
}

}  // namespace
}  // namespace railcheck
