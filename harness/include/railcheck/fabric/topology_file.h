// railcheck's fabric topology file (issue #18, docs/fabric.md): one line per device and per cable, readable and
// diffable, written by the importers and read by the planner.
//
//   # railcheck-topo v1
//   switch id=S-0002c90200000001 tier=leaf name="MF0;leaf-a:MQM8700/U1" [rail=0]
//   nic id=H-0002c90300000011 host=node1 dev=mlx5_0 [rail=0] [name="node1 mlx5_0"]
//   cable a=S-0002c90200000001:1 b=H-0002c90300000011:1
//
// tier is leaf, spine or core; a device is declared before a cable names it; a port is cabled once; '#' starts a
// comment; a name, and any value with spaces, '#', '=' or quotes, is written in double quotes, with a quote or a
// backslash inside escaped by a backslash.
#pragma once

#include <string>
#include <string_view>

#include "railcheck/fabric/fabric.h"

namespace railcheck::fabric {

/// Throws InputError "<source>:<line>: <what>; <fix>" for anything else (an unknown keyword or field, a missing
/// id, a cable naming an unknown device or a port cabled twice, an unterminated quote).
Fabric parse_topology(std::string_view text, const std::string& source);

/// The file of `fabric`: devices in their order, then cables in theirs; parse_topology reads it back to the same
/// fabric.
std::string write_topology(const Fabric& fabric);

}  // namespace railcheck::fabric
