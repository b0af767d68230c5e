// The harness's own cost per timed iteration on the MPI host backend, next to a raw MPI_Allreduce loop:
//   BM_RawMpiAllreduce      MPI_Allreduce alone (the floor)
//   BM_CollectiveRun        the same through Collective::run (interface, type and operator mapping)
//   BM_TimedIteration       Collective::run + Timer::lap, exactly the runner's timed loop body
//   BM_CheckPass            count_wrong_elements over one result (the -c cost, outside the timed loop)
// Runs as a single MPI process (no launcher needed), so MPI cost is the self copy and overhead shows plainly.
#include <benchmark/benchmark.h>
#include <mpi.h>

#include <memory>
#include <vector>

#include "railcheck/collectives/mpi_collective.h"
#include "railcheck/run/check.h"
#include "railcheck/runtime/mpi_bootstrap.h"

namespace {

using railcheck::CollectiveKind;
using railcheck::DataType;
using railcheck::ReduceOp;

void BM_RawMpiAllreduce(benchmark::State& state) {
  const auto count = static_cast<int>(state.range(0));
  std::vector<float> send(static_cast<std::size_t>(count), 1.0f), recv(static_cast<std::size_t>(count));
  for (auto _ : state) {
    MPI_Allreduce(send.data(), recv.data(), count, MPI_FLOAT, MPI_SUM, MPI_COMM_WORLD);
    benchmark::DoNotOptimize(recv.data());
  }
  state.SetBytesProcessed(state.iterations() * count * static_cast<std::int64_t>(sizeof(float)));
}

// A float sum all-reduce of `count` elements on the host backend, as the runner sets it up.
struct AllreduceSetup {
  explicit AllreduceSetup(std::size_t count)
      : collective(railcheck::make_mpi_collective(MPI_COMM_WORLD)),
        send(collective->allocate(count * sizeof(float))),
        recv(collective->allocate(count * sizeof(float))),
        call{CollectiveKind::kAllReduce, send.data(), recv.data(), count, DataType::kFloat32, ReduceOp::kSum, 0} {}
  std::unique_ptr<railcheck::Collective> collective;
  railcheck::Buffer send;
  railcheck::Buffer recv;
  railcheck::CollectiveCall call;
};

void BM_CollectiveRun(benchmark::State& state) {
  const auto count = static_cast<std::size_t>(state.range(0));
  AllreduceSetup setup(count);
  for (auto _ : state) setup.collective->run(setup.call);
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(count * sizeof(float)));
}

void BM_TimedIteration(benchmark::State& state) {
  const auto count = static_cast<std::size_t>(state.range(0));
  AllreduceSetup setup(count);
  auto timer = setup.collective->make_timer();
  timer->start();
  std::int64_t laps = 0;
  for (auto _ : state) {
    setup.collective->run(setup.call);
    timer->lap();
    if (++laps % 100000 == 0) {  // keep the sample vector bounded during long benchmark runs
      benchmark::DoNotOptimize(timer->finish());
      timer->start();
    }
  }
  benchmark::DoNotOptimize(timer->finish());
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(count * sizeof(float)));
}

void BM_CheckPass(benchmark::State& state) {
  const auto count = static_cast<std::size_t>(state.range(0));
  railcheck::CheckCase c{
      CollectiveKind::kAllReduce,
      DataType::kFloat32,
      ReduceOp::kSum,
      0,
      1,
      railcheck::coll_counts(CollectiveKind::kAllReduce, count * sizeof(float), DataType::kFloat32, 1)};
  const auto output = railcheck::make_check_input(c, 0, 1);
  for (auto _ : state) benchmark::DoNotOptimize(railcheck::count_wrong_elements(c, 0, 1, output));
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(count * sizeof(float)));
}

BENCHMARK(BM_RawMpiAllreduce)->Arg(2)->Arg(256)->Arg(1 << 18);
BENCHMARK(BM_CollectiveRun)->Arg(2)->Arg(256)->Arg(1 << 18);
BENCHMARK(BM_TimedIteration)->Arg(2)->Arg(256)->Arg(1 << 18);
BENCHMARK(BM_CheckPass)->Arg(256)->Arg(1 << 18);

}  // namespace

int main(int argc, char** argv) {
  railcheck::MpiRuntime mpi(&argc, &argv);
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
