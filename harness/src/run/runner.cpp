#include "railcheck/run/runner.h"

#include <chrono>
#include <thread>

#include "railcheck/collectives/coll_counts.h"
#include "railcheck/core/error.h"
#include "railcheck/run/check.h"
#include "railcheck/run/sizes.h"
#include "railcheck/run/stats.h"

namespace railcheck {
namespace {

constexpr std::size_t kCorruptedElements = 8;
// Per-rank numbers gathered to rank 0 for each record, in this order, then the raw samples if kept.
enum Field { kMean, kMin, kMax, kP50, kP99, kStdev, kCount, kWrong, kFieldCount };

}  // namespace

void DebugFaults::after_timed_call(int rank) const {
  if (rank == slow_rank) std::this_thread::sleep_for(std::chrono::duration<double, std::milli>(slow_ms));
}

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

Runner::Runner(const Bootstrap& bootstrap, Collective& collective, Watchdog& watchdog, RecordSink* sink,
               RunnerOptions options)
    : bootstrap_(bootstrap), collective_(collective), watchdog_(watchdog), sink_(sink), options_(options) {}

void Runner::emit(const CollectiveRecord& record) {
  if (bootstrap_.rank() != 0) return;
  ++summary_.records;
  if (record.status == RecordStatus::kSkipped) ++summary_.skipped_records;
  if (record.status == RecordStatus::kWrong) ++summary_.wrong_records;
  if (record.wrong_elements > 0) summary_.wrong_elements += record.wrong_elements;
  if (record.status != RecordStatus::kSkipped) {
    busbw_sum_ += record.busbw_gbps;
    ++busbw_records_;
    summary_.avg_busbw_gbps = busbw_sum_ / busbw_records_;
  }
  for (const RankResult& rank : record.ranks) {
    if (rank.wrong_elements > 0) {
      summary_.problems.push_back("rank " + std::to_string(rank.rank) + " (" + rank.host +
                                  "): " + std::to_string(rank.wrong_elements) + " wrong elements in " +
                                  record.test_name + " " + std::to_string(record.size_bytes) + " B " +
                                  (record.in_place ? "in-place" : "out-of-place") +
                                  "; next: re-run on that rank's GPU alone, then replace the GPU if it repeats");
    }
  }
  if (summary_.wrong_records > 0) summary_.exit_code = kExitDegraded;
  if (sink_ != nullptr) sink_->record(record);
}

void Runner::run(const CollectiveTestSpec& spec) {
  if (auto problem = validate(spec, collective_.size())) {
    throw InputError("test '" + spec.name + "': " + problem->field + ": " + problem->message);
  }
  if (spec.graph_launches > 0 && !collective_.supports_graph_capture()) {
    throw InputError("test '" + spec.name + "': graph_launches (-G) needs CUDA graphs; the " +
                     std::string(collective_.backend_name()) + " backend has none (use -G 0 or --backend nccl)");
  }
  if (sink_ != nullptr && bootstrap_.rank() == 0) sink_->begin_test(spec, collective_.size());
  for (std::size_t size : size_sweep(spec.min_bytes, spec.max_bytes, spec.step_bytes, spec.step_factor)) {
    run_size(spec, size);
  }
}

void Runner::run_size(const CollectiveTestSpec& spec, std::size_t size_bytes) {
  const int rank = collective_.rank();
  const int nranks = collective_.size();
  const std::size_t width = size_of(spec.type);
  CheckCase check{spec.kind, spec.type, spec.op,
                  spec.root, nranks,    coll_counts(spec.kind, size_bytes, spec.type, nranks)};
  const CollCounts& counts = check.counts;

  Buffer send = collective_.allocate(counts.send_count * width);
  Buffer recv = collective_.allocate(counts.recv_count * width);
  if (counts.param_count > 0) {  // realistic data for the timed loop (no NaN or denormals)
    const auto input = make_check_input(check, rank, 0);
    collective_.upload(send, 0, input);
  }

  auto place = [&](bool in_place) {
    Placed p;
    p.check = check;
    p.in_place = in_place;
    p.call = CollectiveCall{spec.kind, send.data(), recv.data(), counts.param_count, spec.type, spec.op, spec.root};
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

  bool warmed_up = false;
  for (bool in_place : {false, true}) {
    if (in_place && spec.placement == Placement::kOutOfPlace) continue;
    if (!in_place && spec.placement == Placement::kInPlace) continue;
    const Placed placed = place(in_place);
    if (!warmed_up && counts.param_count > 0 && (!in_place || collective_.supports_in_place(spec.kind))) {
      // Watched: the first collective of a size is where NCCL sets up its connections.
      const Watchdog::Scope step(watchdog_, next_step(), spec.name + " " + std::to_string(size_bytes) + "B warm-up");
      for (int i = 0; i < spec.warmup_iters; ++i) collective_.run(placed.call);
      collective_.synchronize();
      warmed_up = true;
    }
    measure(spec, placed, size_bytes);
  }
}

void Runner::measure(const CollectiveTestSpec& spec, const Placed& placed, std::size_t size_bytes) {
  const int rank = collective_.rank();
  const int nranks = collective_.size();
  const CollCounts& counts = placed.check.counts;
  const std::size_t width = size_of(spec.type);

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

  // Every rank takes the same skip decision, so no rank waits for another in a skipped case.
  std::string skip;
  if (counts.param_count == 0) {
    skip =
        "size " + std::to_string(size_bytes) + " B gives 0 elements per rank for " + std::to_string(nranks) + " ranks";
  } else if (placed.in_place && !collective_.supports_in_place(spec.kind)) {
    skip = "the " + record.backend + " backend cannot run " + std::string(key_of(spec.kind)) + " in place";
  }
  if (!skip.empty()) {
    record.status = RecordStatus::kSkipped;
    record.skip_reason = skip;
    emit(record);
    return;
  }

  if (options_.faults.hang_rank == bootstrap_.rank()) {
    while (true) std::this_thread::sleep_for(std::chrono::hours(1));  // the watchdog must name this rank
  }
  ++step_;
  watchdog_.begin(step_, spec.name + " " + std::to_string(size_bytes) + "B " + (placed.in_place ? "in" : "out"));
  bootstrap_.barrier();

  // Timed loop.
  std::vector<double> samples;
  auto timer = collective_.make_timer();
  if (spec.graph_launches > 0) {
    collective_.begin_capture();
    for (int i = 0; i < spec.iters; ++i) collective_.run(placed.call);
    collective_.end_capture();
    timer->start();
    for (int g = 0; g < spec.graph_launches; ++g) {
      collective_.replay_capture();
      timer->lap();
    }
    samples = timer->finish();
    for (double& s : samples) s /= spec.iters;
  } else {
    timer->start();
    for (int i = 0; i < spec.iters; ++i) {
      collective_.run(placed.call);
      options_.faults.after_timed_call(bootstrap_.rank());
      timer->lap();
    }
    samples = timer->finish();
  }

  // Check passes: fresh inputs, one call, compare with independently computed results.
  std::int64_t wrong = spec.check_iters > 0 ? 0 : -1;
  for (int pass = 0; pass < spec.check_iters; ++pass) {
    const auto seed = static_cast<std::uint32_t>(step_ * 7919u + static_cast<std::uint64_t>(pass) + 1u);
    // Clear the result region first: in place, the input is then written over (part of) it.
    collective_.upload(*placed.output_buffer, placed.output_offset, std::vector<std::byte>(counts.recv_count * width));
    collective_.upload(*placed.input_buffer, placed.input_offset, make_check_input(placed.check, rank, seed));
    collective_.run(placed.call);
    collective_.synchronize();
    std::vector<std::byte> output(counts.recv_count * width);
    collective_.download(*placed.output_buffer, placed.output_offset, output);
    if (options_.faults.corrupt_rank == bootstrap_.rank()) corrupt_elements(output, spec.type, kCorruptedElements);
    wrong += static_cast<std::int64_t>(count_wrong_elements(placed.check, rank, seed, output));
  }

  // Every rank's numbers to rank 0.
  const SampleStats stats = summarize(samples);
  std::vector<double> mine = {stats.mean_us,
                              stats.min_us,
                              stats.max_us,
                              stats.p50_us,
                              stats.p99_us,
                              stats.stdev_us,
                              static_cast<double>(stats.count),
                              static_cast<double>(wrong)};
  const std::size_t stride = kFieldCount + (options_.record_samples ? samples.size() : 0);
  if (options_.record_samples) {
    for (double s : samples) mine.push_back(s * 1.0e6);
  }
  const std::vector<double> all = bootstrap_.gather(mine, 0);
  watchdog_.end();
  if (bootstrap_.rank() != 0) return;

  double sum_us = 0.0;
  record.time_us_min = 1e300;
  record.wrong_elements = spec.check_iters > 0 ? 0 : -1;
  for (int r = 0; r < nranks; ++r) {
    const double* v = all.data() + static_cast<std::size_t>(r) * stride;
    const RankInfo& info = bootstrap_.ranks()[static_cast<std::size_t>(r)];
    RankResult result;
    result.rank = r;
    result.host = info.host;
    result.local_rank = info.local_rank;
    result.time = SampleStats{static_cast<int>(v[kCount]), v[kMean], v[kMin], v[kMax], v[kP50], v[kP99], v[kStdev]};
    result.wrong_elements = static_cast<std::int64_t>(v[kWrong]);
    if (options_.record_samples) result.samples_us.assign(v + kFieldCount, v + stride);
    sum_us += result.time.mean_us;
    if (result.time.mean_us < record.time_us_min) record.time_us_min = result.time.mean_us;
    if (result.time.mean_us > record.time_us_max || record.slowest_rank < 0) {
      record.time_us_max = result.time.mean_us;
      record.slowest_rank = r;
    }
    if (result.wrong_elements > 0) record.wrong_elements += result.wrong_elements;
    record.ranks.push_back(std::move(result));
  }
  record.time_us = sum_us / nranks;
  const Bandwidth bw = bandwidth(spec.kind, counts.param_count, spec.type, record.time_us * 1.0e-6, nranks);
  record.algbw_gbps = bw.algbw_gbps;
  record.busbw_gbps = bw.busbw_gbps;
  record.status = record.wrong_elements > 0 ? RecordStatus::kWrong : RecordStatus::kOk;
  emit(record);
}

}  // namespace railcheck
