#include "railcheck/commands/drain/drain_command.h"
#include "railcheck/analysis/analyze.h"

#include <algorithm>

#include "railcheck/analysis/results_document.h"
#include "railcheck/core/error.h"
#include "railcheck/core/exit_codes.h"
#include "railcheck/fleet/node_actions.h"
#include "railcheck/fleet/run_verdicts.h"

namespace railcheck {

int run_drain_command(const DrainCommandOptions& options, const CommandEnv& env) {
  const nlohmann::json document = analysis::read_results_file(options.results_path);
  const std::vector<analysis::Verdict> verdicts = analysis::recorded_or_judged_verdicts(document, options.results_path);
  const RunManifest manifest = manifest_from_json(document.value("manifest", nlohmann::json::object()));
  fleet::DrainOptions drain;
  drain.run_id = fleet::run_id_of(manifest);
  drain.max_nodes = options.max_nodes;
  fleet::SystemProgramRunner runner;
  fleet::SlurmNodes slurm(runner);
  const auto plan = fleet::drain_failing_nodes(verdicts, manifest.hosts.size(), drain, options.apply, slurm, env.out);
  const bool over = std::any_of(plan.begin(), plan.end(),
                                [](const fleet::NodePlan& p) { return p.action == fleet::NodeAction::kOverLimit; });
  return over ? kExitDegraded : kExitHealthy;
}

int run_resume_command(const DrainCommandOptions& options, const CommandEnv& env) {
  fleet::SystemProgramRunner runner;
  fleet::SlurmNodes slurm(runner);
  fleet::resume_railcheck_nodes(options.nodes, options.apply, slurm, env.out);
  return kExitHealthy;
}

}  // namespace railcheck
