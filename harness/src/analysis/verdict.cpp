// Verdicts: combining findings, the operator's playbook, JSON and the console block.
#include "railcheck/analysis/verdict.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <set>
#include <stdexcept>

#include "field_reader.h"
#include "railcheck/analysis/baseline.h"

namespace railcheck::analysis {

std::string_view key_of(VerdictStatus status) {
  switch (status) {
    case VerdictStatus::kSkip:
      return "skip";
    case VerdictStatus::kPass:
      return "pass";
    case VerdictStatus::kWarn:
      return "warn";
    case VerdictStatus::kFail:
      return "fail";
  }
  return "skip";
}

std::optional<VerdictStatus> parse_verdict_status(std::string_view text) {
  for (VerdictStatus status :
       {VerdictStatus::kSkip, VerdictStatus::kPass, VerdictStatus::kWarn, VerdictStatus::kFail}) {
    if (key_of(status) == text) return status;
  }
  return std::nullopt;
}

std::string format_size_text(std::size_t bytes) {
  constexpr const char* kUnits[] = {"B", "KiB", "MiB", "GiB", "TiB"};
  int unit = 0;
  while (bytes != 0 && bytes % 1024 == 0 && unit < 4) {
    bytes /= 1024;
    ++unit;
  }
  return std::to_string(bytes) + " " + kUnits[unit];
}

namespace {

bool ends_with(std::string_view text, std::string_view suffix) {
  return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

/// The unit of a metric "<test key> <field>" from the field name's suffix ("lat_us.typical" -> "us").
std::string_view unit_of(std::string_view metric) {
  std::string_view field = metric.substr(metric.rfind(' ') == std::string_view::npos ? 0 : metric.rfind(' ') + 1);
  if (const auto dot = field.find('.'); dot != std::string_view::npos) field = field.substr(0, dot);
  if (ends_with(field, "_gbps")) return "GB/s";
  if (ends_with(field, "_us")) return "us";
  if (ends_with(field, "_ms")) return "ms";
  if (ends_with(field, "_s")) return "s";
  if (ends_with(field, "bytes")) return "B";
  return "";
}

}  // namespace

std::string format_value(double value, std::string_view metric) {
  const double magnitude = std::fabs(value);
  // Three significant digits without an exponent: 0.613, 1.03, 12.3, 123, 12345.
  const int decimals = magnitude >= 100.0  ? 0
                       : magnitude >= 10.0 ? 1
                       : magnitude >= 1.0  ? 2
                       : magnitude >= 0.01 ? 3
                                           : 6;
  char text[64];
  std::snprintf(text, sizeof text, "%.*f", decimals, value);
  std::string result = text;
  if (decimals > 0 && magnitude < 1.0) {
    // 0.610 -> 0.61, 0.500 -> 0.5: trailing zeros add nothing below 1.
    while (result.back() == '0') result.pop_back();
    if (result.back() == '.') result.pop_back();
  }
  const std::string_view unit = unit_of(metric);
  if (!unit.empty()) {
    result += ' ';
    result += unit;
  }
  return result;
}

std::string format_at_size(std::size_t bytes) { return bytes == 0 ? std::string() : " at " + format_size_text(bytes); }

std::string format_number(double value) {
  char text[32];
  std::snprintf(text, sizeof text, "%.4g", value);
  return text;
}

std::string format_percent(double fraction, int decimals) {
  char text[48];
  std::snprintf(text, sizeof text, "%.*f%%", decimals, fraction * 100.0);
  return text;
}

std::string format_spreads(double spreads) {
  char text[32];
  std::snprintf(text, sizeof text, "%.1f", spreads);
  return text;
}

std::string format_list(const std::vector<std::string>& names, std::size_t most, std::string_view separator) {
  std::string text;
  for (std::size_t i = 0; i < names.size() && i < most; ++i) {
    if (i > 0) text += separator;
    text += names[i];
  }
  if (names.size() > most) text += std::string(separator) + "... (" + std::to_string(names.size()) + ")";
  return text;
}

std::string describe_direction(const ComponentId& component, std::string_view direction) {
  const std::string a = component.nic.empty() ? component.host : component.host + "(" + component.nic + ")";
  const std::string b =
      component.peer_nic.empty() ? component.peer_host : component.peer_host + "(" + component.peer_nic + ")";
  if (direction == "a_to_b") return a + " -> " + b + " only";
  if (direction == "b_to_a") return b + " -> " + a + " only";
  if (direction == "tx") return "its transmit side (slow sending, not receiving)";
  if (direction == "rx") return "its receive side (slow receiving, not sending)";
  if (direction == "both") return "both directions";
  return "";
}

namespace {

/// The direction of the evidence at `status` (the verdict's worst): the first one given, or "both" when that
/// evidence is slow both ways between its items (tx and rx; a_to_b and b_to_a); "" when none gives one. Re-test
/// evidence with a direction decides alone: the direction slow again is the confirmed one (a first pass slow
/// both ways, one of them a dip, is slow one way).
std::string direction_of(const std::vector<Evidence>& evidence, VerdictStatus status) {
  const bool retested = std::any_of(evidence.begin(), evidence.end(), [&](const Evidence& item) {
    return item.status == status && item.source == "retest" && !item.direction.empty();
  });
  std::string first;
  bool tx = false, rx = false, a_to_b = false, b_to_a = false;
  for (const Evidence& item : evidence) {
    if (item.status != status || item.direction.empty() || (retested && item.source != "retest")) continue;
    if (first.empty()) first = item.direction;
    tx |= item.direction == "tx";
    rx |= item.direction == "rx";
    a_to_b |= item.direction == "a_to_b";
    b_to_a |= item.direction == "b_to_a";
  }
  return (tx && rx) || (a_to_b && b_to_a) ? "both" : first;
}

}  // namespace

namespace {

// Whether the telemetry saw the link go down (carrier changes, link_downed).
bool flapped(const std::vector<Evidence>& evidence) {
  for (const Evidence& item : evidence) {
    if (item.source == "telemetry" && item.status == VerdictStatus::kFail &&
        (item.metric.ends_with("carrier_changes") || item.metric.ends_with("link_downed"))) {
      return true;
    }
  }
  return false;
}

// Whether a fabric link's NIC end counted link errors during the fabric test (fabric_counters.h).
bool counted_link_errors(const std::vector<Evidence>& evidence) {
  return std::any_of(evidence.begin(), evidence.end(), [](const Evidence& item) {
    return item.source == "counters" && item.status == VerdictStatus::kFail;
  });
}

}  // namespace

std::string next_action(const ComponentId& component, VerdictStatus status, const std::vector<Evidence>& evidence) {
  const std::string rail = std::to_string(component.rail);
  const std::string direction = direction_of(evidence, status);
  if (status == VerdictStatus::kFail) {
    switch (component.kind) {
      case ComponentKind::kNic:
        return "drain " + component.host + "; check the cable and transceiver of " + component.nic +
               (component.rail >= 0 ? " (rail " + rail + ")" : std::string()) +
               (flapped(evidence) ? " (its link went down and came back: look at the switch port's log too)" : "") +
               (direction == "tx" || direction == "rx" ? ", slow on " + describe_direction(component, direction) : "") +
               ", look at its port counters (symbol errors, link downshift, discards), re-test with `railcheck p2p`; "
               "replace the NIC if it fails again";
      case ComponentKind::kLink:
        return "check the cable / switch port between " + component.host + "(" + component.nic + ") and " +
               component.peer_host + "(" + component.peer_nic + ") on rail " + rail +
               (direction == "a_to_b" || direction == "b_to_a"
                    ? " (slow " + describe_direction(component, direction) +
                          ": one fibre, lane or transceiver; look at the sending side's transmit and the receiving "
                          "side's receive counters)"
                    : "") +
               ": re-seat or swap the cable, compare both switch ports' counters, re-test the pair with "
               "`railcheck p2p`; both nodes stay in service";
      case ComponentKind::kFabricLink:
        if (counted_link_errors(evidence)) {
          return "replace the cable " + component.host + " -> " + component.peer_host +
                 " and its transceivers (its NIC end counted link errors: the physical link, not the NIC), check "
                 "the switch port's counters and log, then re-run the fabric test; the hosts stay in service";
        }
        return "check the cable " + component.host + " -> " + component.peer_host +
               " (slow this way: one fibre, lane or transceiver; look at " + component.host + "'s transmit and " +
               component.peer_host + "'s receive counters): re-seat or replace the cable and its transceivers, " +
               "check both switch ports (errors, link width and speed), then re-run the fabric test; the hosts "
               "stay in service";
      case ComponentKind::kFabricSwitch:
        return "check the switch " + component.host +
               ": every flow through it was slow, whichever port: its health (temperature, fans, power, the "
               "firmware and system log), all its ports' error counters; reboot or replace it, then re-run the "
               "fabric test; the hosts behind it stay in service but slow";
      case ComponentKind::kGpu:
        return "drain " + component.host + "; run `railcheck gpu-check` on GPU " + std::to_string(component.gpu) +
               "; replace the GPU if it repeats";
      case ComponentKind::kNode: {
        std::string action = "drain " + component.host;
        for (const Evidence& item : evidence) {
          if (item.source == "inventory" && item.status == VerdictStatus::kFail) {
            action +=
                "; it shows fewer GPUs than expected: look for the missing ones in `nvidia-smi -L` and the kernel "
                "log (Xid 79: fallen off the bus), re-seat or replace them, then re-run before it returns";
          }
        }
        std::vector<std::string> parts;
        for (const Evidence& item : evidence) {
          if (item.source == "rollup") parts.insert(parts.end(), item.refs.begin(), item.refs.end());
        }
        if (!parts.empty()) {
          action += "; then act on its failing parts: ";
          for (std::size_t i = 0; i < parts.size(); ++i) action += (i ? ", " : "") + parts[i];
        }
        return action;
      }
    }
  }
  if (status == VerdictStatus::kWarn) {
    bool too_few_hosts = false;
    for (const Evidence& item : evidence) {
      if (item.text.find("too few hosts to localize") != std::string::npos) too_few_hosts = true;
    }
    switch (component.kind) {
      case ComponentKind::kNic:
        if (too_few_hosts) {
          return "re-test: add hosts with known-good NICs on rail " + rail + " (or swap in a known-good node) and " +
                 "run `railcheck p2p` again to tell which end of the slow pair is at fault";
        }
        return "re-test: run `railcheck p2p` with " + component.host + " (" + component.nic +
               (component.rail >= 0 ? ", rail " + rail : std::string()) +
               ") paired with known-good NICs; act if it is slow again";
      case ComponentKind::kLink:
        return "re-test: run `railcheck p2p` on the pair " + component.host + "(" + component.nic + ") <-> " +
               component.peer_host + "(" + component.peer_nic + ") on rail " + rail + "; check the cable if it repeats";
      case ComponentKind::kFabricLink:
        return "re-test: run the fabric test again; check the cable " + component.host + " -> " + component.peer_host +
               " if it is named again";
      case ComponentKind::kFabricSwitch:
        return "re-test: run the fabric test again; check the switch " + component.host + " if it is named again";
      case ComponentKind::kGpu:
        return "re-test: run `railcheck gpu-check` on " + component.host + " GPU " + std::to_string(component.gpu) +
               "; drain the node if it repeats";
      case ComponentKind::kNode:
        for (const Evidence& item : evidence) {
          if (item.text.find(kNotLocalizedText) != std::string::npos) {
            return "localize: run the collective with \"bisect\": true in the suite (or the acceptance suite's "
                   "pairwise tests) to tell which host of the slow group is at fault; act on the one it names";
          }
        }
        return "re-test: include " + component.host + " in the next `railcheck run`; drain it if it degrades again";
    }
  }
  return "";
}

namespace {

std::vector<Evidence> worst_first(std::vector<Finding> findings) {
  std::stable_sort(findings.begin(), findings.end(),
                   [](const Finding& a, const Finding& b) { return a.status > b.status; });
  std::vector<Evidence> evidence;
  evidence.reserve(findings.size());
  for (Finding& finding : findings) {
    finding.evidence.status = finding.status;
    evidence.push_back(std::move(finding.evidence));
  }
  return evidence;
}

/// The node's rollup entry: which of its parts (GPUs, NICs) fail or warn.
Evidence rollup_evidence(const std::string& host, const std::vector<const Verdict*>& parts, VerdictStatus status) {
  Evidence evidence;
  evidence.source = "rollup";
  evidence.status = status;
  evidence.total = static_cast<int>(parts.size());
  for (const Verdict* part : parts) {
    if (part->status == status && status >= VerdictStatus::kWarn) evidence.refs.push_back(label(part->component));
  }
  evidence.slow = static_cast<int>(evidence.refs.size());
  if (evidence.refs.empty()) {
    evidence.text = "all " + std::to_string(parts.size()) + " judged parts of " + host + " pass or were skipped";
  } else {
    evidence.text = std::to_string(evidence.slow) + " of " + std::to_string(parts.size()) + " parts " +
                    std::string(key_of(status)) + ": ";
    for (std::size_t i = 0; i < evidence.refs.size(); ++i) evidence.text += (i ? ", " : "") + evidence.refs[i];
  }
  return evidence;
}

}  // namespace

std::vector<Verdict> combine(const std::vector<Finding>& findings) {
  std::map<ComponentId, std::vector<Finding>> by_component;
  for (const Finding& finding : findings) by_component[finding.component].push_back(finding);

  std::map<ComponentId, Verdict> verdicts;
  for (auto& [component, list] : by_component) {
    Verdict verdict;
    verdict.component = component;
    verdict.status = VerdictStatus::kSkip;
    for (const Finding& finding : list) verdict.status = std::max(verdict.status, finding.status);
    verdict.evidence = worst_first(list);
    verdict.direction = direction_of(verdict.evidence, verdict.status);
    verdicts.emplace(component, std::move(verdict));
  }

  // Node rollup over GPUs and NICs (never links).
  std::map<std::string, std::vector<const Verdict*>> parts_of_host;
  for (const auto& [component, verdict] : verdicts) {
    if (component.kind == ComponentKind::kGpu || component.kind == ComponentKind::kNic) {
      parts_of_host[component.host].push_back(&verdict);
    }
  }
  std::vector<Verdict> node_verdicts;
  for (const auto& [host, parts] : parts_of_host) {
    VerdictStatus rolled = VerdictStatus::kSkip;
    for (const Verdict* part : parts) rolled = std::max(rolled, part->status);
    Evidence evidence = rollup_evidence(host, parts, rolled);
    const ComponentId node = make_node(host);
    if (auto it = verdicts.find(node); it != verdicts.end()) {
      Verdict& own = it->second;
      own.status = std::max(own.status, rolled);
      own.evidence.insert(rolled >= VerdictStatus::kWarn ? own.evidence.begin() : own.evidence.end(), evidence);
    } else {
      Verdict verdict;
      verdict.component = node;
      verdict.status = rolled;
      verdict.evidence.push_back(std::move(evidence));
      node_verdicts.push_back(std::move(verdict));
    }
  }
  for (Verdict& verdict : node_verdicts) verdicts.emplace(verdict.component, std::move(verdict));

  std::vector<Verdict> result;
  result.reserve(verdicts.size());
  for (auto& [component, verdict] : verdicts) {
    verdict.action = next_action(verdict.component, verdict.status, verdict.evidence);
    result.push_back(std::move(verdict));
  }
  std::stable_sort(result.begin(), result.end(), [](const Verdict& a, const Verdict& b) {
    if (a.status != b.status) return a.status > b.status;
    return a.component < b.component;
  });
  return result;
}

int exit_code_of(const std::vector<Verdict>& verdicts) {
  for (const Verdict& verdict : verdicts) {
    if (verdict.status == VerdictStatus::kFail) return kExitDegraded;
  }
  return 0;
}

nlohmann::json to_json(const Evidence& evidence) {
  nlohmann::json json = {
      {"source", evidence.source},        {"metric", evidence.metric},     {"size_bytes", evidence.size_bytes},
      {"measured", evidence.measured},    {"expected", evidence.expected}, {"expected_from", evidence.expected_from},
      {"deviation", evidence.deviation},  {"spreads", evidence.spreads},   {"slow", evidence.slow},
      {"total", evidence.total},          {"refs", evidence.refs},         {"text", evidence.text},
      {"status", key_of(evidence.status)}};
  if (!evidence.direction.empty()) json["direction"] = evidence.direction;
  if (evidence.interval >= 0) json["interval"] = evidence.interval;
  if (!evidence.explanation.empty()) json["explanation"] = evidence.explanation;
  return json;
}

nlohmann::json to_json(const Verdict& verdict) {
  nlohmann::json evidence = nlohmann::json::array();
  for (const Evidence& item : verdict.evidence) evidence.push_back(to_json(item));
  nlohmann::json json = {{"component", to_json(verdict.component)},
                         {"status", key_of(verdict.status)},
                         {"evidence", std::move(evidence)},
                         {"action", verdict.action}};
  if (!verdict.direction.empty()) json["direction"] = verdict.direction;
  return json;
}

namespace {

Evidence evidence_from_json(const nlohmann::json& json, const std::string& path) {
  const FieldReader reader(json, path, "verdict: ");
  Evidence evidence;
  evidence.source = reader.string("source");
  evidence.metric = reader.string("metric");
  evidence.size_bytes = reader.size("size_bytes");
  evidence.measured = reader.number("measured");
  evidence.expected = reader.number("expected");
  evidence.expected_from = reader.string("expected_from");
  evidence.deviation = reader.number("deviation");
  evidence.spreads = reader.number("spreads");
  evidence.slow = reader.integer("slow");
  evidence.total = reader.integer("total");
  const nlohmann::json& refs = reader.array("refs");
  for (std::size_t i = 0; i < refs.size(); ++i) {
    if (!refs[i].is_string()) reader.fail("refs[" + std::to_string(i) + "]", "not a string");
    evidence.refs.push_back(refs[i].get<std::string>());
  }
  evidence.text = reader.string("text");
  const std::string status = reader.string("status");
  const std::optional<VerdictStatus> parsed = parse_verdict_status(status);
  if (!parsed) reader.fail("status", "unknown status \"" + status + "\" (skip, pass, warn or fail)");
  evidence.status = *parsed;
  evidence.direction = reader.optional_string("direction", "");
  evidence.interval = reader.has("interval") ? reader.integer("interval") : -1;
  evidence.explanation = reader.optional_string("explanation", "");
  return evidence;
}

}  // namespace

Verdict verdict_from_json(const nlohmann::json& json) {
  const FieldReader reader(json, "", "verdict: ");
  Verdict verdict;
  try {
    verdict.component = component_from_json(reader.get("component"));
  } catch (const std::invalid_argument& error) {
    reader.fail("component", error.what());
  }
  const std::string status = reader.string("status");
  const std::optional<VerdictStatus> parsed = parse_verdict_status(status);
  if (!parsed) reader.fail("status", "unknown status \"" + status + "\" (skip, pass, warn or fail)");
  verdict.status = *parsed;
  const nlohmann::json& evidence = reader.array("evidence");
  for (std::size_t i = 0; i < evidence.size(); ++i) {
    verdict.evidence.push_back(evidence_from_json(evidence[i], "evidence[" + std::to_string(i) + "]"));
  }
  verdict.action = reader.string("action");
  verdict.direction = reader.optional_string("direction", "");
  return verdict;
}

void print_verdicts(std::ostream& out, const std::vector<Verdict>& verdicts) {
  int counts[4] = {0, 0, 0, 0};
  for (const Verdict& verdict : verdicts) {
    ++counts[static_cast<int>(verdict.status)];
    if (verdict.status != VerdictStatus::kFail && verdict.status != VerdictStatus::kWarn) continue;
    out << "# VERDICT " << (verdict.status == VerdictStatus::kFail ? "FAIL " : "WARN ") << label(verdict.component);
    if (!verdict.direction.empty()) out << " [" << describe_direction(verdict.component, verdict.direction) << "]";
    // The worst evidence in the headline, then the other entries as bad as a warning (a failing NIC's
    // passing sizes are noise to an operator).
    // Evidence sentences start with the component's label; the headline names it already.
    const std::string prefix = label(verdict.component) + ": ";
    auto sentence = [&](const std::string& text) {
      return text.rfind(prefix, 0) == 0 ? std::string_view(text).substr(prefix.size()) : std::string_view(text);
    };
    bool first = true;
    for (const Evidence& item : verdict.evidence) {
      if (item.text.empty()) continue;
      if (first) {
        out << ": " << sentence(item.text) << "\n";
        first = false;
      } else if (item.status >= VerdictStatus::kWarn) {
        out << "#   evidence (" << item.source << "): " << sentence(item.text) << "\n";
      } else {
        continue;
      }
      if (!item.explanation.empty()) out << "#   " << item.explanation << "\n";
    }
    if (first) out << "\n";
    if (!verdict.action.empty()) out << "#   action: " << verdict.action << "\n";
  }
  out << "# verdicts: " << counts[3] << " fail, " << counts[2] << " warn, " << counts[1] << " pass, " << counts[0]
      << " skip\n";
}

}  // namespace railcheck::analysis
