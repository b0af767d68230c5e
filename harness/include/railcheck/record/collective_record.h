// The measured result of one collective at one size and placement: what sinks print and files keep.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "railcheck/collectives/collective_kind.h"
#include "railcheck/collectives/data_type.h"
#include "railcheck/plan/test_spec.h"
#include "railcheck/record/pass_summary.h"
#include "railcheck/record/stats.h"

namespace railcheck {

/// Results format version; bump the major on incompatible changes (results-schema/results.schema.json).
/// 1.5 added the "fabric_switch" component. 1.4 added "route", "return_route" and phase "fabric" on p2p records (a
/// fabric test's flows) and the "fabric_link" component. 1.3 added "passes" (a soak records one record per interval,
/// the median pass, with a summary of the passes). 1.1 added, all optional to readers: "kind" on collective records,
/// start_unix_s / end_unix_s on every record, p99_9_us in time statistics, timing_warning, the "thread" backend and
/// "note" lines, "timing" and "blocking" on collective records.
inline constexpr const char* kResultsSchemaVersion = "1.5";

enum class RecordStatus { kOk, kWrong, kSkipped };
std::string_view name_of(RecordStatus status);

/// One rank's view of one record: its own timing (the slow rank is what users hunt) and its check result.
struct RankResult {
  int rank = 0;
  std::string host;
  int local_rank = 0;
  SampleStats time;                 ///< per-iteration times of this rank
  std::int64_t wrong_elements = 0;  ///< -1 when not checked
  std::vector<double> samples_us;   ///< raw per-iteration times, only with --record-samples
  std::string timing_warning;       ///< this rank's timer's warning ("" when clean)
};

struct CollectiveRecord {
  std::string test_name;  ///< suite entry name
  std::string test_key;   ///< stable key (test_spec.h)
  CollectiveKind kind = CollectiveKind::kAllReduce;
  std::string backend;
  std::string group = "world";
  int nranks = 1;
  std::size_t size_bytes = 0;  ///< nccl-tests' size column: max(send, recv) bytes
  std::size_t count = 0;       ///< nccl-tests' count column (elements per call)
  DataType type = DataType::kFloat32;
  std::optional<ReduceOp> op;
  std::optional<int> root;
  bool in_place = false;
  int iters = 0;
  int warmup_iters = 0;
  int graph_launches = 0;
  TimingWindow timing = TimingWindow::kLoop;  ///< what time_us covers
  Blocking blocking = Blocking::kNone;        ///< -z the loop ran with
  std::optional<double> cpu_time_us;          ///< timing loop: rank 0's host time to queue one call (-C)
  RecordStatus status = RecordStatus::kOk;
  std::string skip_reason;
  double time_us = 0.0;  ///< the ranks' mean iteration times aggregated by time_aggregation (nccl-tests -a)
  TimeAggregation time_aggregation = TimeAggregation::kAvg;  ///< -a: rank0, avg (default), min or max
  double time_us_min = 0.0;                                  ///< fastest rank's mean
  double time_us_max = 0.0;                                  ///< slowest rank's mean
  int slowest_rank = -1;
  double algbw_gbps = 0.0;
  double busbw_gbps = 0.0;
  std::int64_t wrong_elements = -1;  ///< total over ranks; -1 when not checked
  std::vector<RankResult> ranks;
  double start_unix_s = 0.0;          ///< rank 0's wall clock when the timed loop began (0 for a skipped record)
  double end_unix_s = 0.0;            ///< rank 0's wall clock when every rank's numbers had arrived
  std::string timing_warning;         ///< why the timings may include more than the calls ("" clean), any rank's
  std::optional<int> interval;        ///< a soak's interval (0-based) it was measured in; unset outside a soak
  std::optional<PassSummary> passes;  ///< a soak: this is the interval's median pass of `passes.count`
};

nlohmann::json to_json(const CollectiveRecord& record);
/// Keyed by test, group, size and placement (and status: skipped passes fold apart); figure busbw; a pass
/// found wrong streams alone and counts as failed.
SoakFold soak_fold(const CollectiveRecord& record);

}  // namespace railcheck
