#include "railcheck/analysis/inventory.h"

#include <algorithm>
#include <map>
#include <string>

namespace railcheck::analysis {
namespace {

Finding host_finding(const std::string& host, VerdictStatus status, const std::string& text, double measured,
                     double expected) {
  Finding finding;
  finding.component = make_node(host);
  finding.status = status;
  Evidence& evidence = finding.evidence;
  evidence.source = "inventory";
  evidence.metric = "gpus";
  evidence.measured = measured;
  evidence.expected = expected;
  evidence.expected_from = "--expect-gpus (analysis.inventory.expect_gpus)";
  evidence.deviation = expected > 0 ? (measured - expected) / expected : 0.0;
  evidence.text = text;
  return finding;
}

}  // namespace

std::vector<Finding> inventory_findings(const nlohmann::json& manifest, const InventoryOptions& options) {
  std::vector<Finding> findings;
  if (options.expect_gpus <= 0 || !manifest.is_object()) return findings;
  const int expected = options.expect_gpus;
  std::map<std::string, const nlohmann::json*> counted;
  if (const auto it = manifest.find("host_gpus"); it != manifest.end() && it->is_array()) {
    for (const nlohmann::json& entry : *it) {
      if (entry.is_object() && entry.contains("host") && entry["host"].is_string()) {
        counted[entry["host"].get<std::string>()] = &entry;
      }
    }
  }
  std::vector<std::string> hosts;
  if (const auto it = manifest.find("hosts"); it != manifest.end() && it->is_array()) {
    for (const nlohmann::json& host : *it) {
      if (host.is_string()) hosts.push_back(host.get<std::string>());
    }
  }
  for (const auto& [host, entry] : counted) {
    if (std::find(hosts.begin(), hosts.end(), host) == hosts.end()) hosts.push_back(host);
  }
  const std::string wanted = std::to_string(expected) + " GPU" + (expected == 1 ? "" : "s");
  for (const std::string& host : hosts) {
    const auto it = counted.find(host);
    if (it == counted.end()) {
      findings.push_back(host_finding(host, VerdictStatus::kWarn,
                                      host + ": its GPU count is not in the results (expected " + wanted +
                                          "); re-run with this railcheck to count them",
                                      0, expected));
      continue;
    }
    const nlohmann::json& entry = *it->second;
    const int gpus = entry.value("gpus", 0);
    const std::string source = entry.value("source", std::string("none"));
    std::string text = host + " shows " + std::to_string(gpus) + " GPU" + (gpus == 1 ? "" : "s");
    if (gpus < expected) {
      text += ", expected " + wanted;
      const std::string note = entry.value("note", std::string());
      text += note.empty() ? " (counted by " + source + ")" : " (" + note + ")";
      findings.push_back(host_finding(host, VerdictStatus::kFail, text, gpus, expected));
    } else {
      findings.push_back(host_finding(host, VerdictStatus::kPass, text + " (" + wanted + " expected)", gpus, expected));
    }
  }
  return findings;
}

}  // namespace railcheck::analysis
