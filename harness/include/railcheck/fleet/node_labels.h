// What railcheck tells Kubernetes about a run's verdicts: labels on every judged node under railcheck's own
// prefix (verdict, run, the failing part) and, when asked, a NoSchedule taint on each failing node (removed
// again when the node passes). Nothing outside the prefix is ever written: labels go in a merge patch of our
// keys only, and the taint list keeps every other taint as it was read (a patch carrying the node's
// resourceVersion, so a concurrent change is re-read, not overwritten).
#pragma once

#include <map>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "railcheck/analysis/verdict.h"
#include "railcheck/fleet/kube_api.h"

namespace railcheck::fleet {

struct LabelOptions {
  std::string prefix = "railcheck.io/";  ///< every key railcheck writes starts with this
  bool taint = false;                    ///< taint failing nodes NoSchedule (and untaint passing ones)
  std::string run_id;                    ///< the run's id, as a label value
};

/// Throws InputError unless `prefix` is railcheck's own: a DNS-style prefix ending in "/" whose domain names
/// railcheck, never kubernetes.io or k8s.io (reserved for Kubernetes), never another tool's.
void check_label_prefix(const std::string& prefix);

/// A label value Kubernetes accepts: at most 63 characters of [A-Za-z0-9-_.], starting and ending
/// alphanumeric; anything else becomes '-'.
std::string label_value(const std::string& text);

struct NodeLabelPlan {
  std::string host;  ///< as the run named it
  analysis::VerdictStatus status = analysis::VerdictStatus::kPass;
  std::map<std::string, std::optional<std::string>> labels;  ///< key -> value; nullopt removes the label
  bool tainted = false;                                      ///< with LabelOptions::taint: carries our taint
  std::string taint_value;                                   ///< the failing part
};

/// One plan per node verdict.
std::vector<NodeLabelPlan> plan_labels(const std::vector<analysis::Verdict>& verdicts, const LabelOptions& options);

/// The merge patch that brings `node` (as read from the API) to `plan`. Pure.
nlohmann::json node_patch(const nlohmann::json& node, const NodeLabelPlan& plan, const LabelOptions& options);

/// Labels (and taints) every node of `plans` through `api`, or with `apply` false says what it would do.
/// A host with no node of its name (or of its name up to the first dot) is reported and skipped. Throws Error
/// when the API refuses.
void label_nodes(const std::vector<NodeLabelPlan>& plans, const LabelOptions& options, bool apply, KubeApi& api,
                 std::ostream& out);

}  // namespace railcheck::fleet
