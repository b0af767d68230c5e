// One p2p test of a suite inside `railcheck run`: every pair of hosts per rail, then the second pass the
// analysis asks for (each pair-matrix suspect re-tested with known-good peers), all streamed to the run's
// results files.
#pragma once

#include "railcheck/analysis/thresholds.h"
#include "railcheck/output/sink.h"
#include "railcheck/p2p/p2p_session.h"
#include "railcheck/plan/suite.h"
#include "railcheck/run/steps.h"
#include "railcheck/runtime/bootstrap.h"

namespace railcheck {

/// Collective. When the transport has no device on some rank, every rank returns at once and rank 0's sink
/// gets a skip note. Every round (and the transport set-up and re-test plan exchange) is a step of `steps`.
void run_p2p_suite_test(const P2pTestSpec& spec, const Bootstrap& bootstrap, double timeout_s,
                        const analysis::AnalysisOptions& options, Steps& steps, OutputSink& sink);

}  // namespace railcheck
