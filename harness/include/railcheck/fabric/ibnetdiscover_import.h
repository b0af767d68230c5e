// The fabric as InfiniBand's `ibnetdiscover` (rdma-core) prints it (issue #18): a "Switch" or "Ca" header per
// node (its GUID and NodeDescription) followed by a line per connected port, `[port] "peer GUID"[peer port]`.
// Each cable appears from both ends and is kept once. Tiers are not in the output: a switch cabled to a NIC is a
// leaf, one cabled to a leaf a spine, one cabled to a spine a core. A NIC's host and device come from its
// NodeDescription "<host> <device>" (the mlx5 driver's default), its port from its port line.
#pragma once

#include <string>
#include <string_view>

#include "railcheck/fabric/fabric.h"

namespace railcheck::fabric {

/// Throws InputError "<source>:<line>: <what>" for a port line before any node header, a port cabled to two
/// peers, a node found twice, a switch more than three switch hops from every NIC, or text with no node at all.
Fabric import_ibnetdiscover(std::string_view text, const std::string& source);

}  // namespace railcheck::fabric
