// In-job bisection of a slow collective group (issue #6): after a test's sweep, the whole group is measured at
// one size; a group below what a healthy one reaches is split in halves by communicator splits in the same
// allocation, both halves are measured at the same time, and slow halves are split again until the slow part
// is isolated (analysis::Bisection decides; this file measures). Units are nodes when the job spans several
// hosts, else the ranks (GPUs) of the one host. Every measured group is a "bisection" record.
#pragma once

#include <iosfwd>
#include <string>

#include "railcheck/analysis/thresholds.h"
#include "railcheck/collectives/collective.h"
#include "railcheck/output/sinks.h"
#include "railcheck/run/runner.h"
#include "railcheck/run/test_spec.h"
#include "railcheck/run/watchdog.h"
#include "railcheck/runtime/bootstrap.h"

namespace railcheck {

/// What each group is judged against: a healthy group's bus bandwidth, and where that number came from.
struct BisectionExpectation {
  double busbw_gbps = 0.0;
  std::string from;  ///< "suite expected_busbw_gbps", "baseline <file>"
};

/// Where one bisection's output goes (rank 0; null elsewhere).
struct BisectionOutput {
  ResultsFiles* files = nullptr;
  std::ostream* console = nullptr;
};

/// Runs the bisection of `spec` on every rank of `world` (the bootstrap's world, same rank order). Collective
/// over the world: every rank calls it. Each round is one watchdog step numbered by `runner.next_step()`.
/// Throws Error on backend failure.
void run_collective_bisection(const CollectiveTestSpec& spec, const BisectionExpectation& expected,
                              const analysis::BisectionOptions& options, const Bootstrap& bootstrap, Collective& world,
                              Watchdog& watchdog, const DebugFaults& faults, Runner& runner,
                              const BisectionOutput& output);

}  // namespace railcheck
