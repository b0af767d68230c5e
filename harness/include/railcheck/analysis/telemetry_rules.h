// Verdict findings from a run's telemetry records (kind "telemetry"): each device's counters summed over the
// run's windows and judged by the rules of its source (TelemetryOptions in thresholds.h), so a link that
// flapped, a port that went down or an error rate above the fabric's norm names its NIC even when the
// bandwidth it left behind looked fine.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "railcheck/analysis/thresholds.h"
#include "railcheck/analysis/verdict.h"

namespace railcheck::analysis {

/// Whether the counter `name` measures traffic (bytes, packets, segments, requests, energy) rather than trouble:
/// the console and the explanations list only the others.
bool is_traffic_counter(std::string_view name);

/// One finding per (device, rule) whose counter grew beyond the rule, or whose gauge stat (highest reading,
/// longest non-zero run) went above it: a netdev or RDMA port is its host's NIC (the RDMA port's device name,
/// "mlx5_0"; its rail from the run's p2p records, else none), a gpu device its host's GPU (NVML's index), a tcp
/// counter its host. Evidence source "telemetry", metric "<source> <counter>", measured the growth (or rate), expected
/// the rule's limit, refs the windows it grew in. Devices within their rules give nothing. Pure; throws
/// std::invalid_argument naming the record when a telemetry record is malformed.
std::vector<Finding> telemetry_findings(const nlohmann::json& records, const TelemetryOptions& options);

/// Gives each failing or warning soak finding (evidence with an interval) the telemetry of that interval as its
/// explanation: what grew on the part's host besides traffic (link, port and GPU error counters, throttle bits
/// held, a resent share of TCP segments well above the other hosts'), or that nothing did; "every host"
/// when every host of the interval shows the same. Leaves findings without telemetry records alone. Pure.
void explain_soak_findings(std::vector<Finding>& findings, const nlohmann::json& records);

}  // namespace railcheck::analysis
