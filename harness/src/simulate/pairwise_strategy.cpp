// The pairwise strategy: every pair on every rail, pair-matrix analysis, re-tests; every GPU checked.
#include <algorithm>

#include "railcheck/analysis/fleet_outliers.h"
#include "railcheck/analysis/pair_matrix.h"
#include "railcheck/p2p/pair_plan.h"
#include "railcheck/simulate/localization.h"
#include "simulated_samples.h"

namespace railcheck::simulate {

LocalizationRun run_pairwise(const FabricModel& fabric, const LocalizationOptions& options, std::mt19937_64& rng) {
  using namespace analysis;
  LocalizationRun run;
  const auto rounds = circle_rounds(fabric.nodes());
  std::vector<Finding> findings;
  std::vector<RetestPair> whole_plan;

  // One rail at a time keeps memory to one rail's matrix: rails are analysed independently anyway.
  for (int rail = 0; rail < fabric.rails(); ++rail) {
    std::vector<LinkSample> links;
    links.reserve(static_cast<std::size_t>(fabric.nodes()) * static_cast<std::size_t>(fabric.nodes() - 1) / 2);
    for (std::size_t round = 0; round < rounds.size(); ++round) {
      for (const auto& [a, b] : rounds[round]) {
        links.push_back(link_sample(fabric, a, b, rail, static_cast<int>(round), false, rng));
      }
    }
    const PairMatrixResult first_pass = analyze_pair_matrix(links, options.analysis.pairs);
    const std::vector<RetestPair> plan = plan_retests(first_pass, options.analysis.pairs);
    const std::vector<LinkSample> retests = measure_retests(fabric, retest_rounds(plan), rng);
    run.measurements += static_cast<std::int64_t>(links.size() + retests.size());
    for (Finding& finding : confirm(first_pass, links, retests, options.analysis.pairs)) {
      // Passing links are millions at scale and change no verdict that is scored: leave them out.
      if (finding.component.kind == ComponentKind::kLink && finding.status == VerdictStatus::kPass) continue;
      findings.push_back(std::move(finding));
    }
    whole_plan.insert(whole_plan.end(), plan.begin(), plan.end());
  }

  std::vector<UnitSample> gpu_checks;
  for (int node = 0; node < fabric.nodes(); ++node) {
    for (int gpu = 0; gpu < fabric.rails(); ++gpu) {
      add_gpu_check_samples(fabric, node, gpu, options.gpu_check_samples, rng, gpu_checks);
    }
  }
  run.measurements += static_cast<std::int64_t>(gpu_checks.size());
  for (Finding& finding : fleet_outliers(gpu_checks, options.analysis.fleet)) findings.push_back(std::move(finding));

  run.first_pass_rounds = static_cast<int>(rounds.size()) + 1;
  run.retest_rounds = static_cast<int>(retest_rounds(whole_plan).size());
  run.verdicts = combine(findings);
  return run;
}

}  // namespace railcheck::simulate
