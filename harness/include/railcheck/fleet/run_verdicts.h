// A saved run, as the fleet actions need it: its verdicts and its id.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "railcheck/analysis/verdict.h"
#include "railcheck/record/manifest.h"

namespace railcheck::fleet {

/// The verdicts the run recorded; a document without them (a killed run's stream) is judged again with the
/// thresholds it recorded. Throws InputError naming `path` and the verdict that cannot be read.
std::vector<analysis::Verdict> verdicts_of(const nlohmann::json& document, const std::string& path);

/// The run's id in a reason or label: its Slurm job, else its start time.
std::string run_id_of(const RunManifest& manifest);

}  // namespace railcheck::fleet
