#include "railcheck/fleet/node_actions.h"

namespace railcheck::fleet {

std::vector<NodePlan> drain_failing_nodes(const std::vector<analysis::Verdict>& verdicts, std::size_t hosts,
                                          const DrainOptions& options, bool apply, SlurmNodes& slurm,
                                          std::ostream& out) {
  std::vector<std::string> names;
  for (const analysis::Verdict& v : verdicts) {
    if (v.component.kind == analysis::ComponentKind::kNode && v.status == analysis::VerdictStatus::kFail) {
      names.push_back(node_name_of(v.component.host));
    }
  }
  if (names.empty()) {
    out << "# drain: no node fails; nothing to drain\n";
    return {};
  }
  const std::vector<NodePlan> plan = plan_drains(verdicts, slurm.read(names), hosts, options);
  for (const NodePlan& p : plan) {
    if (apply && p.action == NodeAction::kDrain) slurm.drain(p.node, p.reason);
  }
  for (const std::string& line : describe(plan, apply)) out << line << '\n';
  out.flush();
  return plan;
}

std::vector<NodePlan> resume_railcheck_nodes(const std::vector<std::string>& names, bool apply, SlurmNodes& slurm,
                                             std::ostream& out) {
  const std::vector<NodePlan> plan = plan_resumes(slurm.read(names));
  if (plan.empty()) out << "# resume: no drained node" << (names.empty() ? "" : " among those named") << '\n';
  for (const NodePlan& p : plan) {
    if (apply && p.action == NodeAction::kResume) slurm.resume(p.node);
  }
  for (const std::string& line : describe(plan, apply)) out << line << '\n';
  out.flush();
  return plan;
}

std::string act_on_health(const std::string& node, const std::string& problem, SlurmNodes& slurm) {
  const std::vector<SlurmNode> found = slurm.read({node});
  if (found.empty()) return "# health-check: Slurm has no node " + node + "; nothing done";
  const SlurmNode& n = found.front();
  const bool ours = n.drained() && n.reason.rfind(kHealthReasonLeader, 0) == 0;
  if (!problem.empty()) {
    if (n.drained()) return "# keep " + node + ": already drained (reason \"" + n.reason + "\")";
    std::string reason = std::string(kHealthReasonLeader) + " " + problem;
    if (reason.size() > 200) reason = reason.substr(0, 197) + "...";
    slurm.drain(node, reason);
    return "# drain " + node + ": reason \"" + reason + "\"";
  }
  if (ours) {
    slurm.resume(node);
    return "# resume " + node + ": healthy again (was \"" + n.reason + "\")";
  }
  return "# health-check: " + node + " healthy; nothing to do";
}

}  // namespace railcheck::fleet
