// The pairwise strategy: every pair on every rail both ways, through the production pipeline
// (plan_second_pass, sample_findings); every GPU checked, through the same pipeline.
#include <algorithm>

#include "railcheck/analysis/analyze.h"
#include "railcheck/analysis/pair_matrix.h"
#include "railcheck/plan/pair_plan.h"
#include "railcheck/simulate/localization.h"
#include "simulated_samples.h"

namespace railcheck::simulate {

LocalizationRun run_pairwise(const FabricModel& fabric, const LocalizationOptions& options, std::mt19937_64& rng) {
  using namespace analysis;
  LocalizationRun run;
  const auto rounds = circle_rounds(fabric.nodes());
  std::vector<Finding> findings;
  std::vector<RetestPair> whole_plan;

  // The production pipeline, one rail at a time (it judges rails independently; this keeps memory to one
  // rail's matrix): the first pass's samples -> plan_second_pass -> re-tests measured -> sample_findings.
  for (int rail = 0; rail < fabric.rails(); ++rail) {
    Samples samples;
    samples.links.reserve(static_cast<std::size_t>(fabric.nodes()) * static_cast<std::size_t>(fabric.nodes() - 1) *
                          (fabric.options().loss_evidence ? 2 : 1));
    for (std::size_t round = 0; round < rounds.size(); ++round) {
      for (const auto& [a, b] : rounds[round]) {
        add_pair_samples(fabric, a, b, rail, static_cast<int>(round), false, rng, samples.links);
      }
    }
    const std::vector<RetestPair> plan = plan_second_pass(samples, options.analysis);
    const std::vector<LinkSample> retests = measure_retests(fabric, retest_rounds(plan, options.analysis.pairs), rng);
    run.measurements += static_cast<std::int64_t>(samples.links.size() + retests.size());
    samples.links.insert(samples.links.end(), retests.begin(), retests.end());
    for (Finding& finding : sample_findings(samples, options.analysis, nullptr)) {
      // Passing links are millions at scale and change no verdict that is scored: leave them out.
      if (finding.component.kind == ComponentKind::kLink && finding.status == VerdictStatus::kPass) continue;
      findings.push_back(std::move(finding));
    }
    whole_plan.insert(whole_plan.end(), plan.begin(), plan.end());
  }

  Samples gpu_checks;
  for (int node = 0; node < fabric.nodes(); ++node) {
    for (int gpu = 0; gpu < fabric.rails(); ++gpu) {
      add_gpu_check_samples(fabric, node, gpu, options.gpu_check_samples, rng, gpu_checks.units);
    }
  }
  run.measurements += static_cast<std::int64_t>(gpu_checks.units.size());
  for (Finding& finding : sample_findings(gpu_checks, options.analysis, nullptr))
    findings.push_back(std::move(finding));

  run.first_pass_rounds = static_cast<int>(rounds.size()) + 1;
  run.retest_rounds = static_cast<int>(retest_rounds(whole_plan, options.analysis.pairs).size());
  run.verdicts = combine(findings);
  return run;
}

}  // namespace railcheck::simulate
