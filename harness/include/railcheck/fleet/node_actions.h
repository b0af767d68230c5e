// Drain and resume carried out: Slurm's nodes read, the plan made (fleet/drain_plan.h), applied when asked, and
// each decision printed. Shared by `railcheck drain` / `resume` and a run's `--act drain`.
#pragma once

#include <ostream>
#include <string>
#include <vector>

#include "railcheck/fleet/drain_plan.h"

namespace railcheck::fleet {

/// Drains the failing nodes of `verdicts` (a run of `hosts` hosts) that nobody else has drained; with `apply`
/// false only says what it would do. Throws Error when Slurm cannot be read or a drain fails.
std::vector<NodePlan> drain_failing_nodes(const std::vector<analysis::Verdict>& verdicts, std::size_t hosts,
                                          const DrainOptions& options, bool apply, SlurmNodes& slurm,
                                          std::ostream& out);

/// Resumes the drained nodes (of `names`; empty: every node) whose reason railcheck wrote; with `apply` false
/// only says what it would do. Throws Error when Slurm cannot be read or a resume fails.
std::vector<NodePlan> resume_railcheck_nodes(const std::vector<std::string>& names, bool apply, SlurmNodes& slurm,
                                             std::ostream& out);

/// Every reason a health check writes starts with this (after kReasonLeader's words): only a health check
/// resumes what a health check drained; a run's drain waits for `railcheck resume`.
inline constexpr const char* kHealthReasonLeader = "railcheck: health-check";

/// A node-local health check's action on `node` (HealthCheckProgram, Prolog, Epilog): with a `problem` ("" when
/// healthy) drain it with reason "railcheck: health-check <problem>" unless it is drained already (anyone's
/// drain stands); healthy, resume it if an earlier health check drained it. Returns the line that says what
/// was done. Throws Error when Slurm cannot be read or changed.
std::string act_on_health(const std::string& node, const std::string& problem, SlurmNodes& slurm);

}  // namespace railcheck::fleet
