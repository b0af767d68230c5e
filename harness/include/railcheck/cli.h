// The command line: nccl-tests-style collective sweeps, suite runs, version. Parsed before MPI starts, so a
// bad flag is a one-line error and exit 2 on every rank without launching anything.
#pragma once

#include <string>
#include <vector>

#include "railcheck/analyze_command.h"
#include "railcheck/baseline/baseline_command.h"
#include "railcheck/gpu_check/gpu_check_options.h"
#include "railcheck/p2p/p2p_options.h"
#include "railcheck/run/runner.h"
#include "railcheck/run/suite.h"
#include "railcheck/simulate/simulate_command.h"
#include "railcheck/topology/topology_command.h"

namespace railcheck {

/// Options every running command shares.
struct CommonOptions {
  std::string backend = "auto";  ///< auto | nccl | mpi
  bool backend_given = false;    ///< set on the command line (wins over the suite)
  std::string output_dir;        ///< empty: railcheck-results/<utc time>-<job or pid>
  double timeout_s = 600.0;      ///< watchdog timeout per step (-T); 0 disables
  bool timeout_given = false;
  RunnerOptions runner;       ///< --record-samples, --debug-* fault injection
  std::string baseline_path;  ///< run: --baseline, judge the run against this baseline file
  std::string profile;        ///< run: --profile, the hardware profile (a baseline must match); wins over the suite's
};

enum class CommandKind {
  kSweep,
  kRunSuite,
  kVersion,
  kHelp,
  kP2p,
  kTopo,
  kCheckNode,
  kBaseline,
  kAnalyze,
  kGpuCheck,
  kSimulate
};

struct Command {
  CommandKind kind = CommandKind::kHelp;
  CommonOptions common;
  Suite suite;                      ///< kSweep: one test per -d/-o combination; kRunSuite: the suite file
  std::string help_text;            ///< kHelp
  std::string command_line;         ///< argv joined, for the manifest
  P2pOptions p2p;                   ///< kP2p
  TopologyOptions topology;         ///< kTopo, kCheckNode
  BaselineCommandOptions baseline;  ///< kBaseline
  AnalyzeOptions analyze;           ///< kAnalyze
  GpuCheckOptions gpu_check;        ///< kGpuCheck
  SimulateOptions simulate;         ///< kSimulate
};

/// Parses argv. Throws InputError with a one-line message naming the flag and the fix.
Command parse_command_line(int argc, const char* const* argv);

}  // namespace railcheck
