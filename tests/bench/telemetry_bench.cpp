// What the telemetry costs (docs/bench.md): one read of each source on this machine, a read of an RDMA
// fixture the size of an 8-NIC node, folding a node-sized snapshot into a window, and a soak's bookkeeping per
// interval (the interval's agreements over the ranks, its telemetry window opened, closed, gathered and
// written to results.jsonl) with nothing measured in it.
//   BM_NetdevRead        one rtnetlink dump of this host's interfaces
//   BM_TcpRead           /proc/net/snmp
//   BM_RdmaRead8Nics     8 RDMA devices x 1 port x 70 counter files (a sysfs fixture in a temporary directory)
//   BM_FoldNodeSnapshot  CounterGrowth::add of 8 RDMA ports, 12 interfaces, tcp and 8 GPUs (about 1000 values)
//   BM_SoakInterval/N    run_soak of N intervals on one thread rank, an empty pass, telemetry on (its time / N is
//                        the bookkeeping of one interval)
#include <benchmark/benchmark.h>

#include <filesystem>
#include <fstream>

#include "railcheck/output/interval_stamp.h"
#include "railcheck/output/jsonl_sink.h"
#include "railcheck/run/soak_loop.h"
#include "railcheck/runtime/thread_bootstrap.h"
#include "railcheck/telemetry/counter_sources.h"
#include "railcheck/telemetry/run_telemetry.h"

namespace {

using namespace railcheck;
using telemetry::CounterSnapshot;

void BM_NetdevRead(benchmark::State& state) {
  const auto source = telemetry::netdev_source({});
  for (auto _ : state) {
    CounterSnapshot s;
    source->read(s);
    benchmark::DoNotOptimize(s);
  }
}
BENCHMARK(BM_NetdevRead);

void BM_TcpRead(benchmark::State& state) {
  const auto source = telemetry::tcp_source(SysfsRoot("/"));
  for (auto _ : state) {
    CounterSnapshot s;
    source->read(s);
    benchmark::DoNotOptimize(s);
  }
}
BENCHMARK(BM_TcpRead);

// A sysfs tree of 8 RDMA devices, 40 counters/ and 30 hw_counters/ files each.
class RdmaTree {
 public:
  RdmaTree() : root_(std::filesystem::temp_directory_path() / ("railcheck-bench-rdma-" + std::to_string(::getpid()))) {
    for (int d = 0; d < 8; ++d) {
      for (const auto& [group, n] : {std::pair{"counters", 40}, std::pair{"hw_counters", 30}}) {
        const auto dir = root_ / "sys/class/infiniband" / ("mlx5_" + std::to_string(d)) / "ports/1" / group;
        std::filesystem::create_directories(dir);
        for (int c = 0; c < n; ++c) std::ofstream(dir / ("counter_" + std::to_string(c))) << c * 1000 << "\n";
      }
    }
  }
  ~RdmaTree() { std::filesystem::remove_all(root_); }
  RdmaTree(const RdmaTree&) = delete;
  RdmaTree& operator=(const RdmaTree&) = delete;
  SysfsRoot root() const { return SysfsRoot(root_); }

 private:
  std::filesystem::path root_;
};

void BM_RdmaRead8Nics(benchmark::State& state) {
  const RdmaTree tree;
  const auto source = telemetry::rdma_source(tree.root(), {});
  for (auto _ : state) {
    CounterSnapshot s;
    source->read(s);
    benchmark::DoNotOptimize(s);
  }
}
BENCHMARK(BM_RdmaRead8Nics);

CounterSnapshot node_snapshot(std::uint64_t base) {
  CounterSnapshot s;
  for (int d = 0; d < 8; ++d) {
    for (int c = 0; c < 70; ++c) s.set({"rdma", "mlx5_" + std::to_string(d) + "/1"}, "c" + std::to_string(c), base + c);
  }
  for (int i = 0; i < 12; ++i) {
    for (int c = 0; c < 27; ++c) s.set({"netdev", "eth" + std::to_string(i)}, "c" + std::to_string(c), base + c);
  }
  for (int c = 0; c < 10; ++c) s.set({"tcp", ""}, "c" + std::to_string(c), base + c);
  for (int g = 0; g < 8; ++g) {
    for (int c = 0; c < 12; ++c) s.set({"gpu", std::to_string(g)}, "c" + std::to_string(c), base + c);
    for (int c = 0; c < 11; ++c) s.set_gauge({"gpu", std::to_string(g)}, "g" + std::to_string(c), 60.0 + c);
  }
  return s;
}

void BM_FoldNodeSnapshot(benchmark::State& state) {
  telemetry::CounterGrowth growth(node_snapshot(0));
  const CounterSnapshot next = node_snapshot(1);
  for (auto _ : state) {
    growth.add(next);
    benchmark::DoNotOptimize(growth);
  }
}
BENCHMARK(BM_FoldNodeSnapshot);

void BM_SoakInterval(benchmark::State& state) {
  const auto dir = std::filesystem::temp_directory_path() / ("railcheck-bench-soak-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const auto intervals = static_cast<int>(state.range(0));
  for (auto _ : state) {
    (void)run_ranks({"bench"}, [&](const Bootstrap& bootstrap) {
      JsonlSink jsonl(dir / "results.jsonl");
      IntervalStamp stamp(jsonl);
      Steps steps;
      telemetry::RunTelemetry telemetry(bootstrap, stamp, steps, {});
      SoakPlan plan;
      plan.duration_s = 3600;
      plan.interval_s = 0;
      plan.max_intervals = intervals;
      SoakHooks hooks;
      hooks.pass = [](const StopCheck&) {};
      hooks.interval_begins = [&](int interval, double) { telemetry.open("interval " + std::to_string(interval)); };
      hooks.interval_ends = [&](int) { telemetry.close(); };
      OutputSink quiet;
      (void)run_soak(plan, bootstrap, stamp, hooks, quiet);
    });
  }
  std::filesystem::remove_all(dir);
}
BENCHMARK(BM_SoakInterval)->Arg(100)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
