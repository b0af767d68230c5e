// `railcheck label RESULTS.json [--taint] [--apply]`: a run's verdicts on its Kubernetes nodes: railcheck.io/
// labels on every judged node and, with --taint, a NoSchedule taint on each failing one (fleet/node_labels.h),
// through the API with the pod's service account. A dry run unless --apply.
#pragma once

#include <string>

#include "railcheck/commands/command.h"

namespace railcheck {

struct LabelCommandOptions {
  std::string results_path;                    ///< the run's results.json (or results.jsonl)
  bool taint = false;                          ///< --taint
  bool apply = false;                          ///< --apply
  std::string label_prefix = "railcheck.io/";  ///< --label-prefix
};

/// 0 done (or planned); InputError (2) for a results file that cannot be read, a foreign prefix, or no API to
/// reach; Error (2) when the API refuses.
int run_label_command(const LabelCommandOptions& options, const CommandEnv& env);

CommandSpec label_command_spec();

}  // namespace railcheck
