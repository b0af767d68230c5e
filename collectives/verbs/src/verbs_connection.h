// The verbs objects of one open device and of one connection, declared so that members are destroyed in
// reverse order of creation: MRs, then QPs, then the CQ, then the PD, then the context.
#pragma once

#include <memory>
#include <vector>

#include "railcheck/collectives/verbs_transport.h"

namespace railcheck {

/// "fe80::1" / "::ffff:10.0.0.1".
std::string gid_text(const std::array<std::uint8_t, 16>& gid);

struct VerbsDeviceState {
  std::string name;
  VerbsContext context;  // destroyed last
  VerbsPd pd;
  PortAddress port;
};

struct VerbsConnection {
  std::shared_ptr<VerbsDeviceState> device;  // outlives everything below
  VerbsCq cq;
  std::vector<VerbsQp> qps;
  std::vector<std::byte> window_bytes;        // the advertised RDMA window (host memory)
  std::unique_ptr<VerbsMemoryRegion> window;  // its registration, released before the QPs
  std::uint32_t psn = 0;
  VerbsPeerInfo remote;

  /// What to tell the peer (QP numbers, PSN, address, MTU, window).
  VerbsPeerInfo local_info() const;
};

}  // namespace railcheck
