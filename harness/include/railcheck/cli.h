// The command line: nccl-tests-style collective sweeps, suite runs, version. Parsed before MPI starts, so a
// bad flag is a one-line error and exit 2 on every rank without launching anything.
#pragma once

#include <string>
#include <vector>

#include "railcheck/p2p/p2p_options.h"
#include "railcheck/runner.h"
#include "railcheck/suite.h"
#include "railcheck/topology/topology_command.h"

namespace railcheck {

/// Options every running command shares.
struct CommonOptions {
  std::string backend = "auto";     ///< auto | nccl | mpi
  bool backend_given = false;       ///< set on the command line (wins over the suite)
  std::string output_dir;           ///< empty: railcheck-results/<utc time>-<job or pid>
  double timeout_s = 600.0;         ///< watchdog timeout per step (-T); 0 disables
  bool timeout_given = false;
  RunnerOptions runner;             ///< --record-samples, --debug-* fault injection
};

enum class CommandKind { kSweep, kRunSuite, kVersion, kHelp, kP2p, kTopo, kCheckNode };

struct Command {
  CommandKind kind = CommandKind::kHelp;
  CommonOptions common;
  Suite suite;              ///< kSweep: one test per -d/-o combination; kRunSuite: the suite file
  std::string help_text;    ///< kHelp
  std::string command_line; ///< argv joined, for the manifest
  P2pOptions p2p;           ///< kP2p
  TopologyOptions topology; ///< kTopo, kCheckNode
};

/// Parses argv. Throws InputError with a one-line message naming the flag and the fix.
Command parse_command_line(int argc, const char* const* argv);

}  // namespace railcheck
