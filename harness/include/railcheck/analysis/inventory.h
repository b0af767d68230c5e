// Inventory verdicts: what every host must have, from the run manifest's "host_gpus" (one rank per host
// counted the GPUs its host shows). A host short of GPUs fails its node before any number is looked at: a GPU
// that fell off the bus leaves no slow measurement behind, only a missing rank or a host backend.
#pragma once

#include <vector>

#include <nlohmann/json.hpp>

#include "railcheck/analysis/thresholds.h"
#include "railcheck/analysis/verdict.h"

namespace railcheck::analysis {

/// One finding per host of `manifest` when options.expect_gpus > 0 (none otherwise): kFail when it shows
/// fewer GPUs than expected (evidence source "inventory", what discovery said when it found none), kPass
/// when it shows enough, kWarn when the manifest has no count for it (written by a railcheck without
/// inventories, or a host whose count did not arrive). `manifest` may be null (no findings). Pure.
std::vector<Finding> inventory_findings(const nlohmann::json& manifest, const InventoryOptions& options);

}  // namespace railcheck::analysis
