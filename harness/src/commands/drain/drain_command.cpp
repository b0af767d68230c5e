#include "railcheck/commands/drain/drain_command.h"

#include <algorithm>

#include "railcheck/analysis/analyze.h"
#include "railcheck/analysis/results_document.h"
#include "railcheck/core/error.h"
#include "railcheck/core/exit_codes.h"
#include "railcheck/fleet/node_actions.h"

namespace railcheck {
namespace {

/// The verdicts the run recorded; a document without them (a killed run's stream) is judged again with the
/// thresholds it recorded.
std::vector<analysis::Verdict> verdicts_of(const nlohmann::json& document, const std::string& path) {
  if (document.contains("verdicts") && document.at("verdicts").is_array()) {
    std::vector<analysis::Verdict> verdicts;
    for (std::size_t i = 0; i < document.at("verdicts").size(); ++i) {
      try {
        verdicts.push_back(analysis::verdict_from_json(document.at("verdicts")[i]));
      } catch (const std::exception& e) {
        throw InputError(path + ": verdicts[" + std::to_string(i) + "]: " + e.what() +
                         "; is this a railcheck results file of schema 1.x?");
      }
    }
    return verdicts;
  }
  return analysis::judge_results(document, path, analysis::recorded_thresholds(document, path), nullptr);
}

/// The run's id in a reason: its Slurm job, else its start time.
std::string run_id_of(const nlohmann::json& manifest) {
  const std::string job = manifest.value("slurm_job_id", std::string());
  if (!job.empty()) return job;
  return manifest.value("start_time", std::string());
}

}  // namespace

int run_drain_command(const DrainCommandOptions& options, const CommandEnv& env) {
  const nlohmann::json document = analysis::read_results_file(options.results_path);
  const std::vector<analysis::Verdict> verdicts = verdicts_of(document, options.results_path);
  const nlohmann::json manifest = document.value("manifest", nlohmann::json::object());
  const std::size_t hosts =
      manifest.contains("hosts") && manifest.at("hosts").is_array() ? manifest.at("hosts").size() : 0;
  fleet::DrainOptions drain;
  drain.run_id = run_id_of(manifest);
  drain.max_nodes = options.max_nodes;
  fleet::SystemProgramRunner runner;
  fleet::SlurmNodes slurm(runner);
  const auto plan = fleet::drain_failing_nodes(verdicts, hosts, drain, options.apply, slurm, env.out);
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
