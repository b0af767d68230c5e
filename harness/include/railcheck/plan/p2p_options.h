// Options of `railcheck p2p`: perftest's flags where they mean the same thing, plus device choice for TCP.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace railcheck {

struct P2pOptions {
  std::string transport = "tcp";        ///< --transport tcp | verbs
  std::size_t size_bytes = 1 << 20;     ///< -s: bandwidth message size
  std::size_t lat_size_bytes = 8;       ///< --lat_size: ping-pong message size
  int iters = 200;                      ///< -n: bandwidth messages per direction (ignored with -D)
  int lat_iters = 200;                  ///< --lat_iters: timed ping-pongs per pair (0: no latency test)
  double duration_s = 0.0;              ///< -D: seconds per bandwidth test instead of -n (0: use -n)
  int streams = 1;                      ///< -q: sockets (TCP) or QPs (verbs) per connection
  int tx_depth = 16;                    ///< -t: messages in flight per direction
  bool report_gbits = false;            ///< --report_gbits: console in Gb/s (records keep both)
  bool bidirectional = false;           ///< --bidirectional: both directions at once, one record (sum)
  bool within_node = false;             ///< --within_node: also pair the rails inside each node
  std::vector<std::string> ifnames;     ///< --ifname: TCP devices by interface name (comma list)
  std::string subnet;                   ///< --subnet: TCP devices by IPv4 subnet, e.g. 10.77.0.0/24
  std::size_t socket_buffer_bytes = 0;  ///< --sock_buf: TCP SO_SNDBUF/SO_RCVBUF (0: kernel autotuning)
};

}  // namespace railcheck
