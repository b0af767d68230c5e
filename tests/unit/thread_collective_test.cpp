// The in-process host backend (ranks as threads): every collective of nccl-tests' set, in and out of place,
// against the independently computed results of check.h; communicator splits; and an ended job waking every
// blocked rank. What every other in-process test stands on.
#include "railcheck/collectives/thread_collective.h"

#include <gtest/gtest.h>

#include <cstring>

#include "in_process.h"
#include "railcheck/run/runner.h"

namespace railcheck {
namespace {

using test::Captured;
using test::CaptureSink;

// Runs `spec` with the Runner on `nranks` thread ranks of one host; rank 0's records.
std::vector<CollectiveRecord> run_on_threads(const CollectiveTestSpec& spec, int nranks) {
  auto captured = std::make_shared<Captured>();
  const auto outcomes =
      run_ranks(std::vector<std::string>(static_cast<std::size_t>(nranks), "node0"), [&](const Bootstrap& bootstrap) {
        const std::unique_ptr<Collective> world = bootstrap.make_host_collective();
        Steps steps;
        SinkFanout sink;
        if (bootstrap.rank() == 0) sink.add(std::make_unique<CaptureSink>(captured));
        Runner(RunContext{bootstrap, *world, steps, sink}, {}).run(spec);
      });
  for (const RankOutcome& outcome : outcomes) {
    if (outcome.error) std::rethrow_exception(outcome.error);
  }
  return captured->records_of<CollectiveRecord>();
}

class ThreadCollectiveKinds : public ::testing::TestWithParam<CollectiveKind> {};

TEST_P(ThreadCollectiveKinds, MatchesTheIndependentlyComputedResultInAndOutOfPlace) {
  for (DataType type : {DataType::kFloat32, DataType::kInt32, DataType::kFloat64}) {
    CollectiveTestSpec spec;
    spec.name = std::string(key_of(GetParam()));
    spec.kind = GetParam();
    spec.type = type;
    spec.min_bytes = 1024;
    spec.max_bytes = 64 * 1024;
    spec.step_factor = 8;
    spec.iters = 3;
    spec.check_iters = 2;
    spec.root = 1;
    const std::vector<CollectiveRecord> records = run_on_threads(spec, 3);
    ASSERT_EQ(records.size(), 6u) << "3 sizes x 2 placements";
    for (const CollectiveRecord& r : records) {
      SCOPED_TRACE(spec.name + " " + std::string(name_of(type)) + " " + std::to_string(r.size_bytes) + " B " +
                   (r.in_place ? "in place" : "out of place"));
      EXPECT_EQ(r.backend, "thread");
      EXPECT_EQ(r.status, RecordStatus::kOk) << r.skip_reason;
      EXPECT_EQ(r.wrong_elements, 0);
      EXPECT_GT(r.count, 0u);
    }
  }
}

INSTANTIATE_TEST_SUITE_P(EveryKind, ThreadCollectiveKinds, ::testing::ValuesIn(all_collectives()),
                         [](const auto& info) { return std::string(key_of(info.param)); });

TEST(ThreadCollective, SplitGroupsReduceWithinTheirMembersOnly) {
  std::vector<std::int32_t> sums(5, -1);
  std::vector<int> group_sizes(5, -1);
  const auto outcomes = run_ranks(std::vector<std::string>(5, "node0"), [&](const Bootstrap& bootstrap) {
    const std::unique_ptr<Collective> world = bootstrap.make_host_collective();
    const int rank = bootstrap.rank();
    // Ranks 0, 2, 4 and 1, 3 form two groups; a negative color joins none.
    std::unique_ptr<Collective> group = world->split(rank % 2, rank);
    const std::unique_ptr<Collective> none = world->split(rank == 0 ? 0 : -1, rank);
    EXPECT_EQ(none != nullptr, rank == 0);
    Buffer buffer = group->allocate(sizeof(std::int32_t));
    const std::int32_t mine = rank + 1;
    group->upload(buffer, 0, std::as_bytes(std::span(&mine, 1)));
    group->run({CollectiveKind::kAllReduce, buffer.data(), buffer.data(), 1, DataType::kInt32, ReduceOp::kSum, 0});
    std::int32_t sum = 0;
    group->download(buffer, 0, std::as_writable_bytes(std::span(&sum, 1)));
    sums[static_cast<std::size_t>(rank)] = sum;
    group_sizes[static_cast<std::size_t>(rank)] = group->size();
  });
  for (const RankOutcome& outcome : outcomes) EXPECT_FALSE(outcome.error);
  EXPECT_EQ(sums, (std::vector<std::int32_t>{9, 6, 9, 6, 9}));  // 1+3+5 and 2+4
  EXPECT_EQ(group_sizes, (std::vector<int>{3, 2, 3, 2, 3}));
}

TEST(ThreadCollective, AnEndedJobWakesEveryBlockedRankWithTheSameCode) {
  const auto outcomes = run_ranks(std::vector<std::string>(3, "node0"), [](const Bootstrap& bootstrap) {
    const std::unique_ptr<Collective> world = bootstrap.make_host_collective();
    if (bootstrap.rank() == 0) {
      bootstrap.end_job(kWatchdogExitCode);  // as the watchdog does; ranks 1 and 2 wait in the barrier
      return;
    }
    Buffer buffer = world->allocate(4);
    world->run({CollectiveKind::kAllReduce, buffer.data(), buffer.data(), 1, DataType::kInt32, ReduceOp::kSum, 0});
  });
  ASSERT_EQ(outcomes.size(), 3u);
  EXPECT_FALSE(outcomes[0].error);
  for (int r : {1, 2}) {
    ASSERT_TRUE(outcomes[static_cast<std::size_t>(r)].error) << "rank " << r << " should have been woken";
    try {
      std::rethrow_exception(outcomes[static_cast<std::size_t>(r)].error);
    } catch (const JobEnded& ended) {
      EXPECT_EQ(ended.code(), kWatchdogExitCode);
    }
  }
  for (const RankOutcome& outcome : outcomes) EXPECT_EQ(outcome.job_ended, kWatchdogExitCode);
}

}  // namespace
}  // namespace railcheck
