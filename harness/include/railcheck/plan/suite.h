// Suite files (suites/*.json, schema results-schema/suite.schema.json): a named list of collective sweeps.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "railcheck/analysis/thresholds.h"
#include "railcheck/plan/p2p_options.h"
#include "railcheck/plan/soak_plan.h"
#include "railcheck/plan/test_spec.h"

namespace railcheck {

inline constexpr int kSuiteSchemaVersion = 1;

/// A pairwise point-to-point test: every pair of hosts per rail (railcheck p2p's options), then, when the
/// analysis finds suspects, their re-tests with known-good peers.
struct P2pTestSpec {
  std::string name;  ///< record label ("test" field of its p2p records)
  P2pOptions options;
  /// {"fabric": "tcp"|"verbs"}: a fabric test instead of every pair: the stages of the topology's plan
  /// (`railcheck run --topology`), every endpoint sending one flow and receiving one at once, judged by the
  /// fabric solver. Bandwidth only (no latency, no within-node pairs); the topology names each host's device.
  bool fabric = false;
  /// A fabric test's confirmation stages after the plan ("confirm_stages", 0-8; fabric/confirm_stage.h): each
  /// planned by rank 0 from the flows so far, judged as the verdicts judge them, for the links left in doubt;
  /// none once nothing is. For noisy fabrics at scale (docs/fabric.md); 0 runs the plan alone.
  int confirm_stages = 0;
  /// A fabric test's stages each run as this many ("thin", 1-64; fabric/stage_plan.h thin_plan): the flows from
  /// every thin-th endpoint in each. Under ECMP (`--routes ecmp`) fewer flows hash onto one link at once.
  int thin = 1;
  /// A fabric test's plan run this many times ("repeats", 1-16): under noise each link gets more flows, and under
  /// ECMP each run hashes the flows anew (new connections, new source ports), so a slow link of a group shows in
  /// more of them.
  int repeats = 1;
};

struct Suite {
  std::string name;
  std::string description;
  std::string source;                  ///< file path, or "<embedded quick.json>"
  std::optional<std::string> backend;  ///< auto | nccl | mpi; the command line wins
  std::optional<double> timeout_s;     ///< watchdog timeout; the command line wins
  std::vector<CollectiveTestSpec> tests;
  std::vector<P2pTestSpec> p2p_tests;  ///< run after the collectives, in file order
  std::string profile;                 ///< hardware profile a baseline must match; empty: any
  analysis::AnalysisOptions analysis;  ///< thresholds the verdicts use ("analysis" object)
  std::optional<SoakPlan> soak;        ///< "soak": run the tests in intervals for a duration (burn-in)
};

/// Parses suite JSON. Throws InputError "<source>: <field path>: <problem>; <fix>" (one line) on any problem,
/// including unknown fields, so a typo never silently runs the wrong test.
Suite parse_suite(std::string_view json_text, const std::string& source);

/// Reads and parses a suite file; a missing or unreadable file is an InputError naming it.
Suite load_suite(const std::filesystem::path& path);

/// The embedded default suite (suites/quick.json compiled into the binary).
Suite embedded_quick_suite();

}  // namespace railcheck
