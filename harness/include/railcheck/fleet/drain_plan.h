// What railcheck does to the scheduler about a run's verdicts: drain each node that fails (with a reason that
// names the part, the evidence's source and the run), never touch a node someone else drained or Slurm took
// down, and resume only the nodes whose reason railcheck wrote. Pure: decisions from verdicts and node states;
// SlurmNodes carries them out. Links that fail drain nobody (a cable or switch port: both ends stay in
// service, the verdict's action says what to check).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "railcheck/analysis/verdict.h"
#include "railcheck/fleet/slurm_nodes.h"

namespace railcheck::fleet {

enum class NodeAction {
  kDrain,       ///< fails, and nobody has drained it: drain with `reason`
  kKeep,        ///< fails, but already drained, down or drained by someone else: left as it is
  kNotInSlurm,  ///< fails, but Slurm has no node of that name
  kOverLimit,   ///< fails, but more nodes fail than the limit allows: nothing drained
  kResume,      ///< drained with railcheck's reason: resume
};
std::string_view key_of(NodeAction action);  // "drain", "keep", "not_in_slurm", "over_limit", "resume"

struct NodePlan {
  std::string node;  ///< Slurm's node name
  NodeAction action = NodeAction::kKeep;
  std::string reason;  ///< the reason railcheck writes (drain) or found (keep, resume)
  std::string why;     ///< one sentence for the operator
};

struct DrainOptions {
  std::string run_id;  ///< in every reason: the Slurm job id, else the run's start time
  /// Most nodes one run may drain; more failing nodes than this look like a fabric-wide or harness problem,
  /// and none is drained. nullopt: a quarter of the run's hosts, at least 1.
  std::optional<int> max_nodes;
};

/// The Slurm node name of a host: its name up to the first dot.
std::string node_name_of(const std::string& host);

/// "railcheck: <part> <source> run <id>": the node's worst failing part ("NIC eth0 (rail 0)", "GPU 2"; the node
/// itself when no part fails) and the analysis that found it, short enough that `sinfo -R` shows the part.
std::string drain_reason(const std::vector<analysis::Verdict>& verdicts, const std::string& host,
                         const std::string& run_id);

/// One entry per failing node of `verdicts` (`hosts`: the run's hosts, for the default limit), from Slurm's
/// `nodes` (as read before acting).
std::vector<NodePlan> plan_drains(const std::vector<analysis::Verdict>& verdicts, const std::vector<SlurmNode>& nodes,
                                  std::size_t hosts, const DrainOptions& options);

/// One entry per drained node of `nodes`: resume where railcheck's reason stands, keep otherwise.
std::vector<NodePlan> plan_resumes(const std::vector<SlurmNode>& nodes);

/// The console lines of a plan: "# drain node3: railcheck: NIC eth0 ... (dry run: --apply to act)".
std::vector<std::string> describe(const std::vector<NodePlan>& plan, bool applied);

}  // namespace railcheck::fleet
