#include "railcheck/app/app.h"

#include <iostream>
#include <optional>

#include "railcheck/app/command_line.h"
#include "railcheck/app/command_list.h"
#include "railcheck/core/error.h"
#include "railcheck/core/exit_codes.h"
#include "railcheck/core/launcher_env.h"
#include "railcheck/runtime/mpi_bootstrap.h"

namespace railcheck {
namespace {

void print_error(std::ostream& err, const std::string& message) { err << "railcheck: error: " << message << std::endl; }

// The one error boundary of commands that run in one process: every exception is one line and exit 2.
int run_guarded(Command& command, const CommandEnv& env) {
  try {
    return command.run(env);
  } catch (const std::exception& e) {
    print_error(env.err, e.what());
    return kExitHarnessError;
  }
}

// The error boundary of commands that run as ranks of an MPI job.
int run_under_mpi(Command& command, int argc, char** argv, const std::string& command_line) {
  MpiRuntime mpi(&argc, &argv);
  std::optional<MpiBootstrap> bootstrap;
  try {
    bootstrap.emplace();
    if (!mpi.thread_multiple() && bootstrap->rank() == 0) {
      std::cerr << "railcheck: warning: MPI lacks MPI_THREAD_MULTIPLE; the watchdog may misbehave" << std::endl;
    }
    const SinkRegistry sinks = SinkRegistry::standard();
    return command.run({command_line, std::cout, std::cerr, &*bootstrap, sinks});
  } catch (const InputError& e) {
    // Raised the same way on every rank (validation and agreed decisions): exit cleanly together.
    if (!bootstrap || bootstrap->rank() == 0) print_error(std::cerr, e.what());
    return kExitHarnessError;
  } catch (const std::exception& e) {
    // One rank's failure: the others would wait for it forever, so take the job down (end_mpi_job exits by
    // itself when MPI_Abort cannot reach a host).
    print_error(std::cerr, e.what());
    if (bootstrap && bootstrap->size() > 1) end_mpi_job(kExitHarnessError);
    return kExitHarnessError;
  }
}

}  // namespace

int run_app_without_mpi(int argc, const char* const* argv, std::ostream& out, std::ostream& err,
                        const SinkRegistry& sinks) {
  ParsedCommandLine parsed;
  try {
    parsed = parse_command_line(argc, argv, all_commands());
  } catch (const InputError& e) {
    print_error(err, e.what());
    return kExitHarnessError;
  }
  if (!parsed.command) {
    out << parsed.help_text;
    return kExitHealthy;
  }
  if (parsed.command->needs_mpi()) {
    print_error(err, "'" + parsed.name + "' runs as ranks of an MPI job; launch railcheck with mpirun or srun");
    return kExitHarnessError;
  }
  return run_guarded(*parsed.command, {parsed.command_line, out, err, nullptr, sinks});
}

int run_app(int argc, char** argv) {
  ParsedCommandLine parsed;
  try {
    parsed = parse_command_line(argc, argv, all_commands());
  } catch (const InputError& e) {
    if (launcher_rank() == 0) print_error(std::cerr, e.what());  // rank 0 speaks for every rank
    return kExitHarnessError;
  }
  if (!parsed.command) {
    if (launcher_rank() == 0) std::cout << parsed.help_text;
    return kExitHealthy;
  }
  if (parsed.command->needs_mpi()) return run_under_mpi(*parsed.command, argc, argv, parsed.command_line);
  const SinkRegistry sinks = SinkRegistry::standard();
  return run_guarded(*parsed.command, {parsed.command_line, std::cout, std::cerr, nullptr, sinks});
}

}  // namespace railcheck
