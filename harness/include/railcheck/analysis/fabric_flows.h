// A fabric test's verdicts (issue #18): its flows, each a path of directed fabric links, judged bad or healthy,
// then boolean tomography (fabric/tomography.h) names the directed links that explain the bad ones.
#pragma once

#include <string>
#include <vector>

#include "railcheck/analysis/samples.h"
#include "railcheck/analysis/thresholds.h"
#include "railcheck/analysis/verdict.h"

namespace railcheck::analysis {

/// Per fabric test (flows of one test, all stages): a flow is bad when it failed, ran below `slow_ratio` x the
/// test's median flow, or its sender retransmitted more than `loss_floor` of what it sent. The solver then names
/// classes of directed links:
/// - a named class fails its fabric link (component fabric_link, direction a_to_b: from host to peer_host) with
///   source "fabric" evidence: every flow over it with its stage, ends and rate (or loss), the test's median;
///   a class of several links fails its first and says which others the plan cannot tell it from;
/// - a bad flow no named class explains warns the p2p link of its two ends (re-test the pair): noise, or a part
///   the topology does not show.
/// Nothing is said about links no flow was bad on. Deterministic: the same flows give the same findings.
std::vector<Finding> fabric_findings(const std::vector<FabricFlowSample>& flows, const FabricOptions& options);

/// Why a flow is bad ("" healthy): failed, below `slow_ratio` x `median_gbps` (the test's median flow), or
/// retransmitted above `loss_floor`. The rule fabric_findings judges by.
std::string badness(const FabricFlowSample& flow, double median_gbps, const FabricOptions& options);

/// Whether each of one test's flows is bad, the median taken over them: what a run's confirmation stage is
/// planned from (fabric/confirm_stage.h), by the same rule as the verdicts.
std::vector<bool> bad_fabric_flows(const std::vector<FabricFlowSample>& flows, const FabricOptions& options);

}  // namespace railcheck::analysis
