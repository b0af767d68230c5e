// `railcheck p2p`: every pair of hosts (per rail) in concurrent rounds, records streamed like the collectives'.
#pragma once

#include <ostream>
#include <string>
#include <vector>

#include "railcheck/cli.h"
#include "railcheck/record/p2p_record.h"
#include "railcheck/runtime/bootstrap.h"

namespace railcheck {

/// Collective over the world. Returns the exit code (0 all links measured, 1 a link failed, 0 with a printed
/// skip when the transport has no device). Throws InputError for bad options (same on every rank).
int run_p2p(const Command& command, const Bootstrap& bootstrap);

/// The first-pass link matrices of `records`, per rail: bandwidth, and latency when it was measured.
void print_link_matrices(std::ostream& out, const std::vector<P2pRecord>& records,
                         const std::vector<std::string>& hosts, const P2pOptions& options);

}  // namespace railcheck
