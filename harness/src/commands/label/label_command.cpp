#include "railcheck/commands/label/label_command.h"
#include "railcheck/analysis/analyze.h"

#include "railcheck/analysis/results_document.h"
#include "railcheck/core/exit_codes.h"
#include "railcheck/fleet/node_labels.h"
#include "railcheck/fleet/run_verdicts.h"

namespace railcheck {

int run_label_command(const LabelCommandOptions& options, const CommandEnv& env) {
  fleet::check_label_prefix(options.label_prefix);
  const nlohmann::json document = analysis::read_results_file(options.results_path);
  fleet::LabelOptions label;
  label.prefix = options.label_prefix;
  label.taint = options.taint;
  label.run_id = fleet::run_id_of(manifest_from_json(document.value("manifest", nlohmann::json::object())));
  const auto plans = fleet::plan_labels(analysis::recorded_or_judged_verdicts(document, options.results_path), label);
  const auto api = fleet::make_kube_api(fleet::in_cluster_connection());
  fleet::label_nodes(plans, label, options.apply, *api, env.out);
  return kExitHealthy;
}

}  // namespace railcheck
