#include "railcheck/fleet/drain_plan.h"

#include <algorithm>
#include <map>

namespace railcheck::fleet {

using analysis::ComponentKind;
using analysis::VerdictStatus;

std::string_view key_of(NodeAction action) {
  switch (action) {
    case NodeAction::kDrain:
      return "drain";
    case NodeAction::kKeep:
      return "keep";
    case NodeAction::kNotInSlurm:
      return "not_in_slurm";
    case NodeAction::kOverLimit:
      return "over_limit";
    case NodeAction::kResume:
      return "resume";
  }
  return "?";
}

std::string node_name_of(const std::string& host) { return host.substr(0, host.find('.')); }

std::string drain_reason(const std::vector<analysis::Verdict>& verdicts, const std::string& host,
                         const std::string& run_id) {
  const analysis::Verdict* worst = nullptr;
  for (const analysis::Verdict& v : verdicts) {  // combine() puts failures first
    if (v.status != VerdictStatus::kFail || v.component.host != host) continue;
    if (v.component.kind == ComponentKind::kLink) continue;
    if (worst == nullptr ||
        (worst->component.kind == ComponentKind::kNode && v.component.kind != ComponentKind::kNode)) {
      worst = &v;
    }
  }
  std::string part = "node";
  std::string source;
  if (worst != nullptr) {
    if (worst->component.kind != ComponentKind::kNode) {
      part = analysis::label(worst->component);
      if (part.rfind(host + " ", 0) == 0) part.erase(0, host.size() + 1);  // "node3 NIC eth0" -> "NIC eth0"
    }
    if (!worst->evidence.empty()) source = worst->evidence.front().source;
  }
  std::string reason = std::string(kReasonLeader) + " " + part;
  if (!source.empty()) reason += " " + source;
  if (!run_id.empty()) reason += " run " + run_id;
  return reason;
}

std::vector<NodePlan> plan_drains(const std::vector<analysis::Verdict>& verdicts, const std::vector<SlurmNode>& nodes,
                                  std::size_t hosts, const DrainOptions& options) {
  std::map<std::string, const SlurmNode*> by_name;
  for (const SlurmNode& n : nodes) by_name[n.name] = &n;
  std::vector<std::string> failing;
  for (const analysis::Verdict& v : verdicts) {
    if (v.component.kind == ComponentKind::kNode && v.status == VerdictStatus::kFail)
      failing.push_back(v.component.host);
  }
  const int limit = options.max_nodes.value_or(std::max<int>(1, static_cast<int>(hosts / 4)));
  const bool over = static_cast<int>(failing.size()) > limit;
  std::vector<NodePlan> plan;
  for (const std::string& host : failing) {
    NodePlan p;
    p.node = node_name_of(host);
    p.reason = drain_reason(verdicts, host, options.run_id);
    const auto found = by_name.find(p.node);
    if (found == by_name.end()) {
      p.action = NodeAction::kNotInSlurm;
      p.why = "Slurm has no node " + p.node + "; drain it by hand if it is one of its nodes under another name";
    } else if (over) {
      p.action = NodeAction::kOverLimit;
      p.why = std::to_string(failing.size()) + " nodes fail, more than the " + std::to_string(limit) +
              " one run may drain: a fabric-wide or harness problem is likelier; look first, then give --max-drain";
    } else if (found->second->drained_by_railcheck()) {
      p.action = NodeAction::kKeep;
      p.reason = found->second->reason;
      p.why = "already drained by railcheck";
    } else if (found->second->drained()) {
      p.action = NodeAction::kKeep;
      p.reason = found->second->reason;
      p.why = found->second->reason.empty() ? "drained by someone else (no reason given): left as it is"
                                            : "drained by someone else: their reason stays";
    } else if (found->second->state == "down" || found->second->state == "fail" || !found->second->flags.empty()) {
      p.action = NodeAction::kKeep;
      p.reason = found->second->reason;
      p.why = "Slurm has it " + found->second->state + found->second->flags + ": left to Slurm";
    } else {
      p.action = NodeAction::kDrain;
      p.why = "fails";
    }
    plan.push_back(std::move(p));
  }
  return plan;
}

std::vector<NodePlan> plan_resumes(const std::vector<SlurmNode>& nodes) {
  std::vector<NodePlan> plan;
  for (const SlurmNode& n : nodes) {
    if (!n.drained()) continue;
    NodePlan p;
    p.node = n.name;
    p.reason = n.reason;
    if (n.drained_by_railcheck()) {
      p.action = NodeAction::kResume;
      p.why = "drained by railcheck";
    } else {
      p.action = NodeAction::kKeep;
      p.why = n.reason.empty() ? "drained by someone else (no reason given)" : "drained by someone else";
    }
    plan.push_back(std::move(p));
  }
  return plan;
}

std::vector<std::string> describe(const std::vector<NodePlan>& plan, bool applied) {
  std::vector<std::string> lines;
  for (const NodePlan& p : plan) {
    std::string line = "# " + std::string(key_of(p.action)) + " " + p.node + ": " + p.why;
    if (!p.reason.empty()) line += " (reason \"" + p.reason + "\")";
    if (!applied && (p.action == NodeAction::kDrain || p.action == NodeAction::kResume)) {
      line += " [dry run: --apply to act]";
    }
    lines.push_back(line);
  }
  return lines;
}

}  // namespace railcheck::fleet
