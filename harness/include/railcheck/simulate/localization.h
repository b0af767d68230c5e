// Localization strategies the simulator compares. Both drive the real analysis code (pair_matrix, bisection,
// fleet_outliers, verdict) with measurements taken from a FabricModel, and count the rounds they needed.
//
// pairwise: every pair of nodes on every rail through circle_rounds (N-1 rounds, N when odd), all rails of a
//   pair at once -> analyze_pair_matrix per rail -> plan_retests -> measured re-tests -> confirm; every GPU's
//   single-GPU check (one round, all GPUs at once) -> fleet_outliers; all findings -> combine().
// bisect: per rail, an all-reduce over every node's rail GPU (a ring in node order) and the Bisection planner
//   on it; the groups of all rails in one bisection round run at once. A fault slows every group that
//   crosses it, so parts seen in a fine group are cleared: the suspects are the Bisection's suspect nodes'
//   NICs not in a fine group of >= 2 nodes, their GPUs not in any fine group, and the ring links of the
//   terminal slow groups not in a fine group's ring. Suspect NICs and links are re-tested pairwise with NICs
//   of cleared nodes (plan_retests, retest_rounds, confirm); confirm's healthy centre comes from reference
//   pairs of cleared NICs measured by hosts idle in those rounds. Suspect GPUs run the single-GPU check next
//   to cleared GPUs (fleet_outliers).
#pragma once

#include <cstdint>
#include <random>
#include <string_view>
#include <vector>

#include "railcheck/analysis/thresholds.h"
#include "railcheck/analysis/verdict.h"
#include "railcheck/simulate/fabric_model.h"

namespace railcheck::simulate {

enum class Strategy { kPairwise, kBisect };
std::string_view key_of(Strategy strategy);  // "pairwise", "bisect"

struct LocalizationOptions {
  analysis::AnalysisOptions analysis;  ///< thresholds: pairs (pair matrix), fleet (GPU checks), bisection
  int gpu_check_samples = 5;           ///< single-GPU check repetitions per GPU (fleet_outliers takes their median)
  int reference_pairs = 32;            ///< bisect: distinct cleared-NIC pairs per rail measured as the healthy
                                       ///< reference (idle hosts of re-test rounds first, extra rounds if short)
  int reference_gpus = 64;             ///< bisect: cleared GPUs per rail checked next to the suspect GPUs (the
                                       ///< check runs on all GPUs at once: references cost no extra round)
};

/// What one strategy concluded about one fabric, and what it cost.
struct LocalizationRun {
  std::vector<analysis::Verdict> verdicts;  ///< combine() of the findings; passing links are left out
  int first_pass_rounds = 0;                ///< pairwise: circle rounds + 1 GPU-check round; bisect: 0
  int bisection_rounds = 0;                 ///< bisect: rounds until every rail's Bisection is done; pairwise: 0
  int retest_rounds = 0;  ///< re-test rounds (retest_rounds() of the plan) + 1 when GPUs are re-checked (bisect)
  std::int64_t measurements = 0;  ///< link, group and GPU-check measurements taken
  int total_rounds() const { return first_pass_rounds + bisection_rounds + retest_rounds; }
};

/// Runs the strategy on `fabric`; noise comes from `rng`. Pure apart from `rng`.
LocalizationRun run_pairwise(const FabricModel& fabric, const LocalizationOptions& options, std::mt19937_64& rng);
LocalizationRun run_bisect(const FabricModel& fabric, const LocalizationOptions& options, std::mt19937_64& rng);
LocalizationRun run_strategy(Strategy strategy, const FabricModel& fabric, const LocalizationOptions& options,
                             std::mt19937_64& rng);

/// The pairwise first pass's round count without simulating it: circle rounds for `nodes` + 1 GPU-check round.
int planned_pairwise_first_pass_rounds(int nodes);

}  // namespace railcheck::simulate
