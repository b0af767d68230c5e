// Verdicts: per component pass / warn / fail / skip, each with the evidence that led to it and the next step
// an operator's playbook would take. Analysis stages produce Findings; combine() turns them into Verdicts.
#pragma once

#include <cstddef>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "railcheck/analysis/component.h"
#include "railcheck/core/exit_codes.h"

namespace railcheck::analysis {

/// Ordered by severity: combining findings keeps the worst (kFail > kWarn > kPass > kSkip).
enum class VerdictStatus { kSkip, kPass, kWarn, kFail };
std::string_view key_of(VerdictStatus status);  // "skip", "pass", "warn", "fail"
std::optional<VerdictStatus> parse_verdict_status(std::string_view text);

/// One piece of evidence: a measured number against what was expected of it.
struct Evidence {
  std::string source;          ///< which analysis: "baseline", "fleet", "pair_matrix", "retest", "bisection", "check",
                               ///< "inventory" (a host's GPU count against --expect-gpus);
                               ///< "rollup": a node's verdict made from its parts' (refs = their labels)
  std::string metric;          ///< test key and metric, e.g. "p2p.bw bw_gbps", "all_reduce.float.sum busbw_gbps"
  std::size_t size_bytes = 0;  ///< message size the metric was taken at (0: not size-specific)
  double measured = 0.0;       ///< the component's value (a median when it is several samples)
  double expected = 0.0;       ///< baseline value or fleet centre
  std::string expected_from;   ///< "baseline <file>", "fleet median of 4 NICs on rail 0", ...
  double deviation = 0.0;      ///< (measured - expected) / expected, signed; -0.41 = 41% below
  double spreads = 0.0;        ///< |measured - expected| in robust spreads (1.4826 x MAD); 0 when not used
  int slow = 0;                ///< pair analyses: slow pairs / failing rounds this component was in
  int total = 0;               ///< ... out of this many
  std::vector<std::string> refs;                ///< the pairs, rounds or groups that show it ("round 1: node1<->node3")
  std::string text;                             ///< one sentence for the console
  VerdictStatus status = VerdictStatus::kPass;  ///< in a Verdict: its finding's status (combine() sets it)
  std::string direction;    ///< which way it is slow: NIC "tx" / "rx" / "both"; link "a_to_b" (host ->
                            ///< peer_host), "b_to_a" or "both"; "" when the metric has no direction
  int interval = -1;        ///< a soak's evidence: the interval a drift began in or a dip was worst in (-1: none)
  std::string explanation;  ///< what the telemetry of that interval shows ("" none): "node3 eth0 tx_dropped +120"
};

/// What one analysis stage concluded about one component.
struct Finding {
  ComponentId component;
  VerdictStatus status = VerdictStatus::kPass;
  Evidence evidence;
};

struct Verdict {
  ComponentId component;
  VerdictStatus status = VerdictStatus::kPass;
  std::vector<Evidence> evidence;  ///< every finding about this component, worst first
  std::string action;              ///< the playbook's next step; empty for pass / skip
  std::string direction;           ///< the direction of the worst evidence that has one ("" none)
};

/// The playbook: what to do about `component` found in `status` by the evidence (drain and replace a GPU,
/// re-seat / swap the cable of a link, re-test a warning, ...). Pure.
std::string next_action(const ComponentId& component, VerdictStatus status, const std::vector<Evidence>& evidence);

/// "node2(eth0) -> node5(eth0)" for a link's "a_to_b", "both ways", "transmit", ...: `direction` in words.
std::string describe_direction(const ComponentId& component, std::string_view direction);

/// One verdict per component: the worst status of its findings, all evidence (worst first), next_action().
/// A node gets a verdict of its own too: fail when any of its parts (GPUs, NICs: same host) fails, else warn
/// when any warns, else pass; a "rollup" evidence entry names the parts. Links are not parts of their end
/// nodes: a failing link (cable, switch port) leaves both nodes in service.
/// Output order: fail, warn, pass, skip; then by component.
std::vector<Verdict> combine(const std::vector<Finding>& findings);

/// 1 (kExitDegraded) when any verdict fails, else 0.
int exit_code_of(const std::vector<Verdict>& verdicts);

nlohmann::json to_json(const Evidence& evidence);
nlohmann::json to_json(const Verdict& verdict);
/// Throws std::invalid_argument naming the field that is missing or wrong.
Verdict verdict_from_json(const nlohmann::json& json);

/// The console block: one line per failing / warning component with its evidence and action, then a count
/// of passing components ("# verdicts: 1 fail, 0 warn, 11 pass").
/// Lines start with "# VERDICT FAIL " / "# VERDICT WARN ", then "#   evidence: ..." and "#   action: ...";
/// the summary line is "# verdicts: F fail, W warn, P pass, S skip".
void print_verdicts(std::ostream& out, const std::vector<Verdict>& verdicts);

// Text helpers shared by the analyses' evidence sentences.

/// A size for people, exact: the largest 1024-based unit that divides it ("1 MiB", "256 KiB", "1536 B").
std::string format_size_text(std::size_t bytes);
/// A metric value with the unit its field name implies: "0.61 GB/s" (_gbps), "3.2 us" (_us), "1.5 s" (_s),
/// "4096 B" (bytes); three significant digits, no exponent. Unknown fields: the bare number.
std::string format_value(double value, std::string_view metric);
/// " at 1 MiB" for a size, "" for 0 (not size-specific): appended after a metric in evidence sentences.
std::string format_at_size(std::size_t bytes);
/// A bare number to four significant digits ("%.4g"): "1.597", "2.4e+04".
std::string format_number(double value);
/// A share as a percentage with `decimals` decimals: format_percent(0.123) "12.3%", (0.123, 0) "12%".
std::string format_percent(double fraction, int decimals = 1);
/// A deviation in robust spreads, one decimal: "4.4".
std::string format_spreads(double spreads);
/// Up to `most` names joined by commas, then ",... (N)" with the total when there are more.
std::string format_list(const std::vector<std::string>& names, std::size_t most = 8, std::string_view separator = ",");

}  // namespace railcheck::analysis
