// `railcheck p2p`: every pair of hosts (per rail) in concurrent rounds, records streamed like the collectives'.
#pragma once

#include <string>

#include "railcheck/bootstrap.h"
#include "railcheck/cli.h"

namespace railcheck {

/// Collective over the world. Returns the exit code (0 all links measured, 1 a link failed, 0 with a printed
/// skip when the transport has no device). Throws InputError for bad options (same on every rank).
int run_p2p(const Command& command, const Bootstrap& bootstrap);

}  // namespace railcheck
