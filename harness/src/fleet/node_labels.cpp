#include "railcheck/fleet/node_labels.h"

#include <cctype>
#include <regex>

#include "railcheck/core/error.h"
#include "railcheck/fleet/drain_plan.h"

namespace railcheck::fleet {

using analysis::ComponentKind;
using analysis::VerdictStatus;

void check_label_prefix(const std::string& prefix) {
  static const std::regex dns_prefix("^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/$");
  const std::string domain = prefix.empty() ? prefix : prefix.substr(0, prefix.size() - 1);
  auto under = [&](const std::string& zone) { return domain == zone || domain.ends_with("." + zone); };
  const bool reserved = under("kubernetes.io") || under("k8s.io");
  if (prefix.size() > 254 || !std::regex_match(prefix, dns_prefix) || reserved ||
      domain.find("railcheck") == std::string::npos) {
    throw InputError("--label-prefix '" + prefix +
                     "': railcheck writes only under its own prefix: a DNS name with \"railcheck\" in it, ending in "
                     "'/', never kubernetes.io or k8s.io (e.g. railcheck.io/ or railcheck.example.com/)");
  }
}

std::string label_value(const std::string& text) {
  std::string v;
  for (char c : text) v += std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.' ? c : '-';
  if (v.size() > 63) v.resize(63);
  while (!v.empty() && !std::isalnum(static_cast<unsigned char>(v.front()))) v.erase(v.begin());
  while (!v.empty() && !std::isalnum(static_cast<unsigned char>(v.back()))) v.pop_back();
  return v;
}

std::vector<NodeLabelPlan> plan_labels(const std::vector<analysis::Verdict>& verdicts, const LabelOptions& options) {
  std::vector<NodeLabelPlan> plans;
  for (const analysis::Verdict& v : verdicts) {
    if (v.component.kind != ComponentKind::kNode) continue;
    NodeLabelPlan p;
    p.host = v.component.host;
    p.status = v.status;
    p.labels[options.prefix + "verdict"] = std::string(analysis::key_of(v.status));
    p.labels[options.prefix + "run"] = label_value(options.run_id);
    std::optional<std::string> part;
    if (v.status >= VerdictStatus::kWarn) {
      // "railcheck: NIC eth0 (rail 0) pair_matrix run 7" -> "NIC-eth0--rail-0--pair_matrix"
      std::string reason = drain_reason(verdicts, v.component.host, "");
      reason.erase(0, std::string(kReasonLeader).size() + 1);
      part = label_value(reason);
    }
    p.labels[options.prefix + "part"] = part;
    p.tainted = options.taint && v.status == VerdictStatus::kFail;
    p.taint_value = part.value_or("");
    plans.push_back(std::move(p));
  }
  return plans;
}

nlohmann::json node_patch(const nlohmann::json& node, const NodeLabelPlan& plan, const LabelOptions& options) {
  nlohmann::json labels = nlohmann::json::object();
  for (const auto& [key, value] : plan.labels) labels[key] = value ? nlohmann::json(*value) : nlohmann::json(nullptr);
  nlohmann::json patch = {{"metadata", {{"labels", labels}}}};
  if (!options.taint) return patch;
  nlohmann::json taints = nlohmann::json::array();
  const nlohmann::json* current = nullptr;
  if (node.contains("spec") && node.at("spec").contains("taints")) current = &node.at("spec").at("taints");
  if (current != nullptr && current->is_array()) {
    for (const nlohmann::json& t : *current) {
      if (t.value("key", std::string()).rfind(options.prefix, 0) != 0) taints.push_back(t);  // not ours: kept
    }
  }
  if (plan.tainted) {
    taints.push_back({{"key", options.prefix + "unhealthy"}, {"value", plan.taint_value}, {"effect", "NoSchedule"}});
  }
  patch["spec"] = {{"taints", taints}};
  if (node.contains("metadata") && node.at("metadata").contains("resourceVersion")) {
    patch["metadata"]["resourceVersion"] = node.at("metadata").at("resourceVersion");
  }
  return patch;
}

void label_nodes(const std::vector<NodeLabelPlan>& plans, const LabelOptions& options, bool apply, KubeApi& api,
                 std::ostream& out) {
  for (const NodeLabelPlan& plan : plans) {
    // The host is a node's name (pods on the host network), its name up to the first dot, or a pod's name.
    std::string name = plan.host;
    nlohmann::json node = api.get_node(name);
    if (node.is_null() && node_name_of(plan.host) != plan.host) node = api.get_node(name = node_name_of(plan.host));
    if (node.is_null()) {
      name = api.node_of_pod(node_name_of(plan.host));
      if (!name.empty()) node = api.get_node(name);
    }
    if (node.is_null()) {
      out << "# label " << plan.host << ": Kubernetes has no node of that name, nor a pod of this namespace; skipped\n";
      continue;
    }
    const std::string verdict(analysis::key_of(plan.status));
    std::string what = "label " + name + ": " + options.prefix + "verdict=" + verdict;
    if (options.taint)
      what += plan.tainted ? ", taint " + options.prefix + "unhealthy=" + plan.taint_value + ":NoSchedule"
                           : ", no railcheck taint";
    if (!apply) {
      out << "# " << what << " [dry run: --apply to act]\n";
      continue;
    }
    int status = api.patch_node(name, node_patch(node, plan, options));
    if (status == 409) {  // changed since we read it: read again, once
      status = api.patch_node(name, node_patch(api.get_node(name), plan, options));
      if (status == 409) throw Error("Kubernetes API: node " + name + " kept changing; label it again later");
    }
    out << "# " << what << '\n';
  }
  out.flush();
}

}  // namespace railcheck::fleet
