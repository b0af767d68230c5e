// Every rank's own view of one measurement (its timing statistics, its check result, its timer's warning),
// gathered to rank 0: the per-rank part of a collective record.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "railcheck/record/collective_record.h"
#include "railcheck/runtime/bootstrap.h"

namespace railcheck {

struct MyMeasurement {
  std::vector<double> samples_s;  ///< this rank's per-call times
  std::int64_t wrong_elements = -1;
  std::string timing_warning;
  bool keep_samples = false;  ///< send the raw samples too (--record-samples)
};

/// Collective: every rank's RankResult, indexed by rank, on `root`; empty elsewhere.
std::vector<RankResult> gather_rank_results(const Bootstrap& bootstrap, const MyMeasurement& mine, int root = 0);

/// Fills `record`'s aggregate fields from its ranks: time_us (from each rank's mean by the record's
/// time_aggregation, nccl-tests' -a: rank 0's, the mean, the fastest or the slowest), fastest and slowest rank, wrong
/// elements (sum; -1 unchecked), the first timing warning (naming its rank), and status (wrong when any element was).
void aggregate_ranks(CollectiveRecord& record, std::vector<RankResult> ranks, bool checked);

}  // namespace railcheck
