// `railcheck fabric-sim`: fabric-scale localization simulated on a generated three-tier fat tree (issue #18):
// the tier-aware plan's link loads and identifiability, then seeded trials with faults on random directed links,
// localized by the boolean tomography; prints recall, precision and stages per fault count (docs/fabric.md). No MPI.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "railcheck/commands/command.h"
#include "railcheck/fabric/three_tier.h"

namespace railcheck {

struct FabricSimOptions {
  fabric::ThreeTierShape shape{8, 32, 32, 32, 32, 8};  ///< --pods ... --rails: 1,024 hosts x 8 rails by default
  std::vector<int> faults = {1, 10, 100};              ///< --faults: one row each
  double noise = 0.0;                                  ///< --noise: chance a flow's outcome is flipped
  bool false_slow_only = false;  ///< --noise-model false-slow: only healthy flows measured slow (NoiseModel)
  int repeats = 1;               ///< --repeats: times the plan is run
  int stages = 0;   ///< --stages: the tiered plan widened to this many stages (ThreeTierFabric::wide_plan); 0: its own
  int trials = 10;  ///< --trials per row
  std::uint64_t seed = 1;  ///< --seed of the first trial
  int min_margin = 1;      ///< --margin: the solver's TomographyOptions::min_margin
  int switch_faults = 0;   ///< --switch-faults: slow switches per trial beside each row's links (switch_rule.h)
  int confirm = 0;         ///< --confirm: adaptive confirmation stages after the plan (confirm_stage.h)
  /// --routing: "known" (D-mod-k: the fabric's own routes), "ecmp-traced" or "ecmp" (untraced): fabric_trial.h's
  /// Routing
  std::string routing = "known";
  int thin = 1;               ///< --thin: ECMP, each stage run as this many with every thin-th source in each
  double slow_below = 0.5;    ///< --slow-below: ECMP, fabric_trial.h's FabricTrial::slow_below
  double fault_speed = 0.25;  ///< --fault-speed: ECMP, a slow link's share of its speed
  int gray_faults = 0;        ///< --gray-faults: partly slow links per trial beside each row's slow ones
  double gray_speed = 0.6;    ///< --gray-speed: a gray link's share of its speed
  double jitter = 0.0;        ///< --jitter: each flow's rate scattered by up to this share either way
};

/// Prints the plan's report and one row per fault count. 0; InputError (exit 2) for a shape that cannot be
/// built or a fault count above the link count.
int run_fabric_sim_command(const FabricSimOptions& options, const CommandEnv& env);

CommandSpec fabric_sim_command_spec();

}  // namespace railcheck
