// Options of `railcheck p2p`: perftest's flags where they mean the same thing, plus device choice for TCP.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "railcheck/collectives/transport.h"

namespace railcheck {

/// The unit the console shows p2p bandwidth in; records keep GB/s and Gb/s whatever it is.
enum class BandwidthUnit {
  kGBps,  ///< GB/s, 1e9 bytes/s: railcheck's and nccl-tests' unit (default)
  kGbps,  ///< Gb/s, 1e9 bits/s: --report_gbits, as perftest's
  kMiBps  ///< MiB/s, 2^20 bytes/s: --report_mib, perftest's default unit
};
std::string_view unit_name(BandwidthUnit unit);
/// `gbps` (GB/s) in `unit`.
double in_unit(double gbps, BandwidthUnit unit);

struct P2pOptions {
  std::string transport = "tcp";              ///< --transport tcp | verbs
  std::size_t size_bytes = 1 << 20;           ///< -s: bandwidth message size
  std::size_t lat_size_bytes = 8;             ///< --lat_size: ping-pong message size
  std::optional<TransferOp> transfer;         ///< --op write | send | read; unset: transfer_of(*this)
  int iters = 200;                            ///< -n: bandwidth messages per direction (verbs: per QP, as perftest;
                                              ///< TCP stripes each message over its sockets); ignored with -D
  int lat_iters = 200;                        ///< --lat_iters: timed ping-pongs per pair (0: no latency test)
  double duration_s = 0.0;                    ///< -D: seconds per bandwidth test instead of -n (0: use -n)
  int streams = 1;                            ///< -q: sockets (TCP) or QPs (verbs) per connection
  int tx_depth = 16;                          ///< -t: messages in flight per direction (verbs: per QP, as perftest)
  std::optional<int> cq_mod;                  ///< -Q, --cq-mod: verbs write/read, one signalled completion in
                                              ///< every N per QP; unset: cq_mod_of(*this)
  BandwidthUnit unit = BandwidthUnit::kGBps;  ///< --report_gbits, --report_mib: the console's unit
  bool bidirectional = false;                 ///< --bidirectional: both directions at once, one record (sum)
  bool within_node = false;                   ///< --within_node: also pair the rails inside each node
  std::vector<std::string> ifnames;           ///< --ifname: TCP devices by interface name (comma list)
  std::string subnet;                         ///< --subnet: TCP devices by IPv4 subnet, e.g. 10.77.0.0/24
  std::size_t socket_buffer_bytes = 0;        ///< --sock_buf: TCP SO_SNDBUF/SO_RCVBUF (0: kernel autotuning)
};

/// The transfer `options` measure bandwidth with: the one named, else RDMA WRITE on verbs (ib_write_bw, what
/// operators compare with) and send on TCP (its only one).
TransferOp transfer_of(const P2pOptions& options);
/// Throws InputError naming `what` (the flag or suite field) when `options`' transfer is not available on its
/// transport: TCP has send only.
void check_transfer(const P2pOptions& options, std::string_view what);
/// The completion moderation `options` measure with (perftest's -Q): verbs write and read only (SENDs are
/// each signalled; TCP has no completions to moderate), the one named or perftest's 100, at most -t.
std::optional<int> cq_mod_of(const P2pOptions& options);
/// Throws InputError naming `what` when a cq_mod was given where cq_mod_of has none (TCP, or send).
void check_cq_mod(const P2pOptions& options, std::string_view what);
/// How many of -n and -t one connection carries: -q on verbs (perftest counts both per QP), 1 on TCP (whose
/// sockets share each message).
int per_connection_lanes(const P2pOptions& options);

}  // namespace railcheck
