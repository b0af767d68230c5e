// The railcheck program: parse, start MPI, pick the backend, run, write results, choose the exit code.
#pragma once

namespace railcheck {

/// Runs the whole program and returns its exit code: 0 healthy, 1 a check failed or a component is
/// degraded, 2 harness or input error (one line on stderr), 3 aborted by the watchdog (from MPI_Abort).
int run_app(int argc, char** argv);

}  // namespace railcheck
