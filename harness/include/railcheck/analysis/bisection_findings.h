// Verdict findings from a run's "bisection" records (the in-job bisection of a slow collective group).
#pragma once

#include <vector>

#include <nlohmann/json.hpp>

#include "railcheck/analysis/verdict.h"

namespace railcheck::analysis {

/// From the "kind": "bisection" records of `records` (other kinds are ignored), per test:
/// - every member of a group that was isolated (slow and not split further, or slow with both halves fine:
///   the fault sits between them) is a suspect, its evidence the group's bus bandwidth against the expected
///   value and every round it was measured in;
/// - a suspect group is confirmed when `others` (the run's other findings: pairwise pass, re-tests, checks)
///   fail a GPU, NIC or node of one of its hosts (GPU units: that GPU; a failing link confirms neither end):
///   those members fail, the others pass as explained
///   by it; an unconfirmed group's members warn (re-test: the pairwise pass did not find it);
/// - members of a first-round group that was not slow pass.
/// Units are nodes ({"host"}) or GPUs ({"host", "local_rank"}). Throws std::invalid_argument naming the record
/// index and field when a bisection record is malformed.
std::vector<Finding> bisection_findings(const nlohmann::json& records, const std::vector<Finding>& others);

}  // namespace railcheck::analysis
