// In-job bisection of a slow collective group: after a test's sweep, the whole group is measured at one size;
// a group below what a healthy one reaches is split in halves by communicator splits in the same allocation,
// both halves are measured at the same time, and slow halves are split again until the slow part is isolated
// (analysis::Bisection decides; this file measures). Units are nodes when the job spans several hosts, else
// the ranks (GPUs) of the one host. Every measured group is a BisectionRecord.
#pragma once

#include <string>

#include "railcheck/analysis/thresholds.h"
#include "railcheck/plan/test_spec.h"
#include "railcheck/run/run_context.h"

namespace railcheck {

/// What each group is judged against: a healthy group's bus bandwidth, and where that number came from.
struct BisectionExpectation {
  double busbw_gbps = 0.0;
  std::string from;  ///< "suite expected_busbw_gbps", "baseline <file>"
};

/// Runs the bisection of `spec` on every rank of the context's world. Collective: every rank calls it. Each
/// round is one step. Records and notes go to the context's sink on rank 0. Throws Error on backend failure.
void run_collective_bisection(const CollectiveTestSpec& spec, const BisectionExpectation& expected,
                              const analysis::BisectionOptions& options, const RunContext& context);

}  // namespace railcheck
