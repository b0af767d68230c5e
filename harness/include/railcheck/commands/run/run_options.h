// What `railcheck run` and the nccl-tests-style sweeps (`railcheck allreduce ...`) are asked to do: a suite
// and the options every measuring run shares.
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <string>

#include "railcheck/plan/suite.h"
#include "railcheck/run/backend.h"
#include "railcheck/run/debug_faults.h"
#include "railcheck/run/runner.h"
#include "railcheck/telemetry/run_telemetry.h"

namespace railcheck {

/// Options every measuring command shares.
struct CommonOptions {
  std::string backend = "auto";  ///< auto | nccl | mpi
  bool backend_given = false;    ///< set on the command line (wins over the suite)
  std::string output_dir;        ///< empty: railcheck-results/<utc time>-<job or pid>
  double timeout_s = 600.0;      ///< watchdog timeout per step (-T); 0 disables
  bool timeout_given = false;
  RunnerOptions runner;       ///< --record-samples
  DebugFaults faults;         ///< --debug-*: faults injected to test the harness itself
  std::string baseline_path;  ///< run: --baseline, judge the run against this baseline file
  std::string topology_path;  ///< run: --topology, the fabric a suite's fabric tests plan over (docs/fabric.md)
  std::string routes_path;  ///< run: --routes, the switches' forwarding tables routing --topology (fabric/lft_fabric.h)
  std::string profile;      ///< run: --profile, the hardware profile (a baseline must match); wins over the suite's
  std::optional<double> min_avg_busbw_gbps;  ///< NCCL_TESTS_MIN_BW: fail below 0.9 x this Avg bus bandwidth
  std::map<std::string, std::filesystem::path> output_files;  ///< extra outputs by sink name (-J: nccl_tests_json)
  int expect_gpus = -1;            ///< --expect-gpus: GPUs each host must show (wins over the suite's); -1 not given
  BackendOptions backend_options;  ///< -x: the NCCL communicator's CTA policy
  telemetry::TelemetryOptions telemetry;  ///< --no-telemetry, --telemetry-period, --telemetry-exclude
  int expect_ranks = -1;                  ///< --expect-ranks: the world size the job asked for (-1: not checked)
  int expect_hosts = -1;                  ///< --expect-hosts: the distinct hosts the job asked for (-1: not checked)
  std::string act;  ///< --act: what rank 0 does about the verdicts: "drain" (Slurm), "label" or "taint" (Kubernetes)
  std::string label_prefix = "railcheck.io/";  ///< --label-prefix (label, taint)
  std::optional<int> max_drain;                ///< --max-drain
};

/// One suite run: the suite (a file, the embedded quick suite, or one sweep from flags) and its options.
struct SuiteRunRequest {
  Suite suite;
  CommonOptions common;
  std::string command_line;  ///< argv joined, for the manifest
};

}  // namespace railcheck
