// The retry and error counters of one RDMA port, from sysfs: what a verbs connection's loss evidence is made
// of. RC queue pairs retransmit in the HCA, invisibly to the work requests, so the only record of a lossy
// link is the port's counters (mlx5 and most other drivers):
//   <root>/<device>/ports/<port>/counters/port_xmit_packets          packets sent (IB PMA, also on RoCE)
//   <root>/<device>/ports/<port>/hw_counters/local_ack_timeout_err   no ACK in time: the requester resent
//                                           .../packet_seq_err        NAK (sequence error) received: resent
//                                           .../implied_nak_seq_err   a gap implied by a later response: resent
//                                           .../req_cqe_error, resp_cqe_error   completions in error
// They are port-wide: a connection's share is their difference over a span in which the port carries that
// connection alone (a p2p round: every NIC in one pair at a time).
#pragma once

#include <cstdint>
#include <string>

namespace railcheck {

/// Where the kernel lists RDMA devices.
inline constexpr const char* kRdmaSysfsRoot = "/sys/class/infiniband";

/// One reading of a port's counters. Cumulative since the driver loaded.
struct PortRetryCounters {
  bool known = false;              ///< port_xmit_packets and at least one retry counter were readable
  std::uint64_t sent_packets = 0;  ///< port_xmit_packets
  std::uint64_t retries = 0;       ///< local_ack_timeout_err + packet_seq_err + implied_nak_seq_err (those present)
  std::uint64_t errors = 0;        ///< req_cqe_error + resp_cqe_error (those present)
  std::string missing;             ///< when !known: which file could not be read, for messages
};

/// Reads the counters of `device` port `port` under `root` (kRdmaSysfsRoot outside tests). Never throws: an
/// unreadable or malformed file leaves the reading unknown (or that counter out).
PortRetryCounters read_port_retry_counters(const std::string& root, const std::string& device, int port);

}  // namespace railcheck
