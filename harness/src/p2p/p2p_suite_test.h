// One p2p test of a suite inside `railcheck run`: every pair of hosts per rail, then the second pass the
// analysis asks for (each pair-matrix suspect re-tested with known-good peers), all streamed to the run's
// results files.
#pragma once

#include <ostream>

#include "p2p_session.h"
#include "railcheck/analysis/thresholds.h"
#include "railcheck/output/sinks.h"
#include "railcheck/run/suite.h"
#include "railcheck/runtime/bootstrap.h"

namespace railcheck {

/// Where rank 0 reports (nullptrs on the other ranks).
struct SuiteOutput {
  ResultsFiles* files = nullptr;
  RunSummary* summary = nullptr;
  std::ostream* console = nullptr;
};

/// Collective. Returns normally when the transport has no device on some rank (a SKIP line is printed).
/// Every round is a watchdog step of `watch` (on every rank).
void run_p2p_suite_test(const P2pTestSpec& spec, const Bootstrap& bootstrap, double timeout_s,
                        const analysis::AnalysisOptions& options, const SuiteOutput& output, const StepWatch& watch);

}  // namespace railcheck
