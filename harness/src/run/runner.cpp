#include "railcheck/run/runner.h"

#include "railcheck/collectives/coll_counts.h"
#include "railcheck/core/error.h"
#include "railcheck/plan/sizes.h"
#include "railcheck/record/wall_clock.h"
#include "railcheck/run/check.h"
#include "railcheck/run/rank_results.h"
#include "railcheck/run/timed_loop.h"

namespace railcheck {

/// Buffers and pointers of one size in one placement, following NCCL's in-place conventions.
struct Runner::Placed {
  CheckCase check;
  bool in_place = false;
  Buffer* input_buffer = nullptr;
  std::size_t input_offset = 0;
  Buffer* output_buffer = nullptr;
  std::size_t output_offset = 0;
  CollectiveCall call;
};

Runner::Runner(const RunContext& context, RunnerOptions options)
    : bootstrap_(context.bootstrap),
      collective_(context.world),
      steps_(context.steps),
      sink_(context.sink),
      options_(options) {}

void Runner::run(const CollectiveTestSpec& spec) {
  if (auto problem = validate(spec, collective_.size())) {
    throw InputError("test '" + spec.name + "': " + problem->field + ": " + problem->message);
  }
  if (spec.graph_launches > 0 && !collective_.supports_graph_capture()) {
    throw InputError("test '" + spec.name + "': graph_launches (-G) needs CUDA graphs; the " +
                     std::string(collective_.backend_name()) + " backend has none (use -G 0 or --backend nccl)");
  }
  TestStart start;
  start.name = spec.name;
  start.kind = LineType::kRecord;
  start.nranks = collective_.size();
  start.collective = &spec;
  sink_.begin_test(start);
  // nccl-tests' TimeTest per root (-r -1: every rank in turn): the warm-up, then the sweep -N times.
  std::vector<int> roots = {spec.root};
  if (spec.root < 0) {
    roots.clear();
    for (int r = 0; r < (takes_root(spec.kind) ? collective_.size() : 1); ++r) roots.push_back(r);
  }
  for (int root : roots) {
    CollectiveTestSpec with_root = spec;
    with_root.root = root;
    warm_up_sweep(with_root);
    for (int cycle = 0; cycle < spec.cycles; ++cycle) {
      for (std::size_t size : size_sweep(spec.min_bytes, spec.max_bytes, spec.step_bytes, spec.step_factor)) {
        run_size(with_root, size);
      }
    }
  }
  sink_.end_test(start);
}

void Runner::warm_up_sweep(const CollectiveTestSpec& spec) {
  if (spec.warmup_iters <= 0) return;
  // nccl-tests: -w out-of-place calls at min, 2 min, 4 min, ... up to max, before anything is timed.
  for (std::size_t size : size_sweep(spec.min_bytes, spec.max_bytes, 0, 2.0)) {
    // A step of its own: the first collective of a size is where NCCL sets up its connections.
    const Steps::Scope step = steps_.begin(StepKind::kWarmup, spec.name + " " + std::to_string(size) + "B warm-up");
    const SizeBuffers one = prepare_size(collective_, spec, size);
    warm_up(collective_, one.call, spec.warmup_iters);
  }
}

void Runner::run_size(const CollectiveTestSpec& spec, std::size_t size_bytes) {
  const int rank = collective_.rank();
  const std::size_t width = size_of(spec.type);
  SizeBuffers one = prepare_size(collective_, spec, size_bytes);
  const CollCounts& counts = one.check.counts;
  Buffer& send = one.send;
  Buffer& recv = one.recv;

  auto place = [&](bool in_place) {
    Placed p;
    p.check = one.check;
    p.in_place = in_place;
    p.check.in_place = in_place;
    p.call = one.call;
    p.input_buffer = &send;
    p.output_buffer = &recv;
    if (in_place) {
      switch (spec.kind) {
        case CollectiveKind::kAllGather:
          p.input_buffer = &recv;
          p.input_offset = static_cast<std::size_t>(rank) * counts.send_count * width;
          p.call.send = recv.bytes_ptr() + p.input_offset;
          break;
        case CollectiveKind::kReduceScatter:
          p.output_buffer = &send;
          p.output_offset = static_cast<std::size_t>(rank) * counts.recv_count * width;
          p.call.recv = send.bytes_ptr() + p.output_offset;
          break;
        default:
          p.input_buffer = &recv;
          p.call.send = recv.data();
          break;
      }
    }
    return p;
  };

  for (bool in_place : {false, true}) {
    if (in_place && spec.placement == Placement::kOutOfPlace) continue;
    if (!in_place && spec.placement == Placement::kInPlace) continue;
    measure(spec, place(in_place), size_bytes);
  }
}

bool Runner::checks(const CollectiveTestSpec& spec, const Placed& placed) const {
  return spec.check_iters > 0 && (!placed.in_place || collective_.in_place_result_defined(spec.kind));
}

std::int64_t Runner::check(const CollectiveTestSpec& spec, const Placed& placed) {
  if (!checks(spec, placed)) return -1;
  const int rank = collective_.rank();
  const std::size_t width = size_of(spec.type);
  const std::size_t result_bytes = placed.check.counts.recv_count * width;
  // nccl-tests' -c: passes with fresh inputs until one finds wrong elements on any rank; that pass's counts
  // are the result (every rank stops after the same pass: the next pass is a collective call).
  std::int64_t wrong = 0;
  for (int pass = 0; pass < spec.check_iters; ++pass) {
    const std::uint64_t step = steps_.current() ? steps_.current()->number : 0;
    const auto seed = static_cast<std::uint32_t>(step * 7919u + static_cast<std::uint64_t>(pass) + 1u);
    // Clear the result region first: in place, the input is then written over (part of) it.
    collective_.upload(*placed.output_buffer, placed.output_offset, std::vector<std::byte>(result_bytes));
    collective_.upload(*placed.input_buffer, placed.input_offset, make_check_input(placed.check, rank, seed));
    collective_.run(placed.call);
    collective_.synchronize();
    std::vector<std::byte> output(result_bytes);
    collective_.download(*placed.output_buffer, placed.output_offset, output);
    wrong = static_cast<std::int64_t>(count_wrong_elements(placed.check, rank, seed, output));
    steps_.heartbeat();
    const bool last = pass + 1 == spec.check_iters;
    if (!last && bootstrap_.max_over_ranks(wrong > 0 ? 1 : 0) > 0) break;
  }
  return wrong;
}

void Runner::measure(const CollectiveTestSpec& spec, const Placed& placed, std::size_t size_bytes) {
  const int nranks = collective_.size();
  const CollCounts& counts = placed.check.counts;

  CollectiveRecord record;
  record.test_name = spec.name;
  record.test_key = test_key(spec);
  record.kind = spec.kind;
  record.backend = std::string(collective_.backend_name());
  record.nranks = nranks;
  record.size_bytes = reported_size_bytes(counts, spec.type);
  record.count = counts.param_count;
  record.type = spec.type;
  if (takes_reduce_op(spec.kind)) record.op = spec.op;
  if (takes_root(spec.kind)) record.root = spec.root;
  record.in_place = placed.in_place;
  record.iters = spec.iters;
  record.warmup_iters = spec.warmup_iters;
  record.graph_launches = spec.graph_launches;
  record.time_aggregation = spec.average;
  record.timing = spec.timing;
  record.blocking = spec.blocking;

  // Every rank takes the same skip decision, so no rank waits for another in a skipped case.
  // A size that gives 0 elements per rank is still called and timed, as nccl-tests does (its row reads 0 GB/s
  // and counts in the Avg bus bandwidth); the analysis never judges it.
  std::string skip;
  if (placed.in_place && !collective_.supports_in_place(spec.kind)) {
    skip = "the " + record.backend + " backend cannot run " + std::string(key_of(spec.kind)) + " in place";
  }
  if (!skip.empty()) {
    record.status = RecordStatus::kSkipped;
    record.skip_reason = skip;
    if (bootstrap_.rank() == 0) sink_.record(record);
    return;
  }

  std::vector<RankResult> ranks;
  {
    const Steps::Scope step = steps_.begin(
        StepKind::kMeasure, spec.name + " " + std::to_string(size_bytes) + "B " + (placed.in_place ? "in" : "out"));
    // nccl-tests' BenchTime: one untimed call that every rank completes, then a barrier, then the clock.
    collective_.run(placed.call);
    collective_.synchronize();
    bootstrap_.barrier();
    record.start_unix_s = unix_now_s();
    const TimedCalls timed =
        time_calls(collective_, placed.call, timed_loop_of(spec), [this] { bootstrap_.barrier(); });
    steps_.heartbeat();
    const std::int64_t wrong = check(spec, placed);
    if (spec.timing == TimingWindow::kLoop) record.cpu_time_us = timed.cpu_seconds * 1.0e6;
    ranks = gather_rank_results(bootstrap_, {timed.seconds, wrong, timed.warning, options_.record_samples});
    record.end_unix_s = unix_now_s();
  }
  if (bootstrap_.rank() != 0) return;
  aggregate_ranks(record, std::move(ranks), checks(spec, placed));
  const Bandwidth bw = bandwidth(spec.kind, counts.param_count, spec.type, record.time_us * 1.0e-6, nranks);
  record.algbw_gbps = bw.algbw_gbps;
  record.busbw_gbps = bw.busbw_gbps;
  sink_.record(record);
}

}  // namespace railcheck
