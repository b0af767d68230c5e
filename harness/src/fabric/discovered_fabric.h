// What the importers of discovered fabrics share (ibnetdiscover, iblinkinfo): nodes and the cabled ports as the
// tool listed them, turned into a Fabric: each cable once although it is listed from both ends, tiers by hops
// from the nearest NIC, a NIC's host and device from its NodeDescription "<host> <device>".
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <vector>

#include "railcheck/core/error.h"
#include "railcheck/fabric/fabric.h"
#include "text_lines.h"

namespace railcheck::fabric {

struct DiscoveredNode {
  std::string id;  ///< "S-<GUID>" for a switch, "H-<GUID>" for a host channel adapter
  bool is_switch = false;
  std::string description;
};

struct DiscoveredPort {
  std::string id;
  int port = 0;
  std::string peer;
  int peer_port = 0;
  std::size_t line = 0;  ///< where it was listed, for errors
};

/// The error an importer throws: "<source>:<line>: <what>; <how to produce the right input>".
using ImportError = std::function<InputError(std::size_t line, const std::string& what)>;

/// A port number as listed (digits), or fail(line, ...) when it does not fit an int.
int port_number(const std::string& digits, std::size_t line, const ImportError& fail);

/// Switches first, then NICs, each in the order of `nodes`; cables in the order first listed. A peer not in
/// `nodes` becomes a device of the kind its "S-" / "H-" prefix says. Throws fail(...) for a port cabled to two
/// peers, or a switch reaching no NIC or more than three switch hops from every NIC.
Fabric build_discovered_fabric(std::vector<DiscoveredNode> nodes, const std::vector<DiscoveredPort>& ports,
                               const ImportError& fail, std::size_t last_line);

}  // namespace railcheck::fabric
