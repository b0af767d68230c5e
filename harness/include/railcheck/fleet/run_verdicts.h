// A saved run, as the fleet actions need it: its id (its verdicts: analysis::recorded_or_judged_verdicts).
#pragma once

#include <string>

#include "railcheck/record/manifest.h"

namespace railcheck::fleet {

/// The run's id in a reason or label: its Slurm job, else its start time.
std::string run_id_of(const RunManifest& manifest);

}  // namespace railcheck::fleet
