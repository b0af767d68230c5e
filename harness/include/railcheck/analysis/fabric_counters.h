// A NIC port or its cable (issue #18): a failing fabric link with a NIC end (NIC -> leaf, leaf -> NIC) is one of
// the two, which flows alone cannot tell apart (a rail-optimized NIC has one cable). The telemetry sampler's
// counters at that NIC over the fabric test split them where they speak: link errors there (symbol errors,
// integrity errors, link recoveries, CRC errors, the link going down) put the fault on the physical link: the
// cable, its transceivers or the leaf's port.
#pragma once

#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "railcheck/analysis/verdict.h"

namespace railcheck::analysis {

/// The counters of a NIC port (rdma) or interface (netdev) that count faults of the physical link, not of
/// traffic: receive errors ("symbol_error", "rx_crc_errors", ...) and link events ("link_downed",
/// "carrier_changes", ...).
bool is_link_error_counter(const std::string& source, const std::string& counter);

/// For each failing fabric link with a NIC end ("node1/mlx5_0"), one more finding on the same link (source
/// "counters") from that NIC's telemetry during the fabric tests `fabric_tests` (their windows):
/// - link errors grew: fail, the counters as evidence ("node1 mlx5_0/1 symbol_error +412 during fabric_rdma"),
///   saying the cable or its transceivers (the playbook then replaces the cable, not the NIC); errors counted on
///   the receive side of the NIC while the named link is NIC -> leaf say the cable's other direction errs too;
/// - the NIC was read and counted none: pass, saying its end of the cable is clean and where the other end's
///   counters are (the leaf port: `perfquery`), which split the NIC from its cable;
/// - nothing read for that NIC (no telemetry, another interface): nothing added.
/// The NIC's telemetry device is matched by name: "mlx5_0" or "mlx5_0/<port>" (rdma), "eth0" (netdev).
/// `records`: a results document's records; its telemetry records (kind "telemetry") are read, the rest skipped.
void add_nic_link_counter_findings(std::vector<Finding>& findings, const nlohmann::json& records,
                                   const std::set<std::string>& fabric_tests);

}  // namespace railcheck::analysis
