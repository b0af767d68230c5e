// The kernel's per-socket TCP counters (TCP_INFO), read apart from the rest of the transport because
// <linux/tcp.h>'s struct tcp_info (which has the segment counts) cannot share a file with <netinet/tcp.h>.
#pragma once

#include <cstdint>
#include <optional>

namespace railcheck {

struct TcpSocketCounters {
  std::uint64_t data_segments_out = 0;  ///< tcpi_data_segs_out: segments that carried data
  std::uint64_t retransmits = 0;        ///< tcpi_total_retrans: segments retransmitted over the connection's life
  std::uint64_t spurious = 0;           ///< tcpi_dsack_dups: of those, reported by the peer as duplicates (DSACK):
                                        ///< sent again without having been lost (a tail-loss probe or an early
                                        ///< timeout while the receiver was descheduled); 0 on kernels before 5.6
};

/// The counters of connected TCP socket `fd`, or nullopt when the kernel does not give them.
std::optional<TcpSocketCounters> read_tcp_counters(int fd) noexcept;

}  // namespace railcheck
