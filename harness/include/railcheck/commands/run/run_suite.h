// A suite run from start to verdict: backend choice, validation, the watchdog, the collective tests (with
// their bisections) and p2p tests, the analysis, the results files, the exit code. What `railcheck run` and
// every sweep command do, and what the in-process tests drive with a ThreadBootstrap.
#pragma once

#include <ostream>

#include "railcheck/commands/run/run_options.h"
#include "railcheck/output/sink_registry.h"
#include "railcheck/runtime/bootstrap.h"

namespace railcheck {

/// Collective over the bootstrap's world. Returns the job's exit code (the maximum over ranks: 0 healthy,
/// 1 a check failed or a component is degraded). Throws InputError (the same on every rank) for a bad suite,
/// baseline or option before anything is measured, Error when a measurement fails. Rank 0's outputs are the
/// registry's sinks in the results directory; `out` / `err` are the console's streams.
int run_suite(const SuiteRunRequest& request, const Bootstrap& bootstrap, const SinkRegistry& sinks, std::ostream& out,
              std::ostream& err);

}  // namespace railcheck
