// `railcheck run [suite.json]` and the nccl-tests-style sweeps (`railcheck allreduce -b 8 -e 1G -f 2`, one per
// collective, also under nccl-tests' binary names): both run a suite (a file, the embedded quick suite, or
// one sweep from the flags) as ranks of an MPI job.
#pragma once

#include <vector>

#include "railcheck/commands/command.h"
#include "railcheck/commands/run/run_options.h"

namespace railcheck {

class RunCommand : public Command {
 public:
  bool needs_mpi() const override { return true; }
  int run(const CommandEnv& env) override;
  /// The suite and options after finish().
  const SuiteRunRequest& request() const { return request_; }

 protected:
  SuiteRunRequest request_;
};

/// `railcheck run`.
CommandSpec run_command_spec();
/// `railcheck soak`: run's options plus --duration, --interval, --max-intervals, --fail-early.
CommandSpec soak_command_spec();
/// One sweep command per collective (all_reduce: "allreduce", aliases "all_reduce", "all_reduce_perf").
std::vector<CommandSpec> sweep_command_specs();

}  // namespace railcheck
