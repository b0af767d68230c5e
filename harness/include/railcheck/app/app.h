// The railcheck program: parse, start MPI when the command needs it, run, and the one error boundary that
// turns every exception into a one-line error and an exit code.
#pragma once

#include <ostream>

#include "railcheck/output/sink_registry.h"

namespace railcheck {

/// Runs the whole program and returns its exit code: 0 healthy, 1 a check failed or a component is
/// degraded, 2 harness or input error (one line on stderr), 3 ended by the watchdog.
int run_app(int argc, char** argv);

/// The same for commands that need no MPI, with the caller's streams and output formats: what the
/// in-process tests run. A command that needs MPI is an InputError here (exit 2).
int run_app_without_mpi(int argc, const char* const* argv, std::ostream& out, std::ostream& err,
                        const SinkRegistry& sinks = SinkRegistry::standard());

}  // namespace railcheck
