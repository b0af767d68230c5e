// The TCP Transport: sockets between IPv4 interfaces, N parallel streams per connection (like NCCL's
// NCCL_NSOCKS_PERTHREAD x NCCL_SOCKET_NTHREADS, in one thread), TCP_NODELAY, optional large buffers.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "railcheck/collectives/transport.h"

namespace railcheck {

/// Which interfaces count as devices. Default: every IPv4 interface that is up and not loopback.
/// Loopback is included only when named in `ifnames` or inside `subnet` (unit tests use "lo").
struct TcpDeviceFilter {
  std::vector<std::string> ifnames;  ///< --ifname eth0,eth1: only these, in this order; empty: any
  std::string subnet;                ///< --subnet 10.77.0.0/24: only addresses inside; empty: any
};

/// An IPv4 network: address and prefix length, host byte order.
struct Ipv4Subnet {
  std::uint32_t network = 0;
  int prefix = 0;
  bool contains(std::uint32_t address) const;
};
/// Parses "a.b.c.d/n"; nullopt when malformed.
std::optional<Ipv4Subnet> parse_subnet(const std::string& text);

/// The host's devices passing `filter` (getifaddrs), in `filter.ifnames` order or else the system's order.
std::vector<NicInfo> tcp_devices(const TcpDeviceFilter& filter);

/// Handle version of this build's TCP wire protocol (bump on any change of handle or handshake).
inline constexpr std::uint8_t kTcpHandleVersion = 1;

/// A TCP transport over the devices `filter` selects. Throws InputError for a malformed subnet.
std::unique_ptr<Transport> make_tcp_transport(const TransportOptions& options, const TcpDeviceFilter& filter);

}  // namespace railcheck
