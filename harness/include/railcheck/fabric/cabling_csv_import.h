// A cabling plan as a spreadsheet exports it (issue #18): the fabric as designed, written before anything was
// discovered, so devices are named, not identified by GUID. One row per cable:
//
//   a_device,a_port,b_device,b_port,a_tier,b_tier,a_rail,b_rail
//   leaf-a,1,node1/mlx5_0,1,leaf,,,0
//   leaf-a,21,spine-1,1,leaf,spine,,
//
// The first row (after '#' comment lines and blank lines) is the header; columns may come in any order;
// a_device, a_port, b_device and b_port are required. A device named "host/dev" is a NIC port of that host;
// any other is a switch whose tier (leaf, spine, core) its row's a_tier / b_tier column gives, at least once.
// A field may be double-quoted (a quote inside doubled). Device ids are the names (see name_keyed()).
#pragma once

#include <string>
#include <string_view>

#include "railcheck/fabric/fabric.h"

namespace railcheck::fabric {

/// Throws InputError "<source>:<line>: <what>; <fix>" for a missing header column, a row with another number of
/// fields, a port that is not a positive number, a switch without a tier, a device given two tiers, a port
/// cabled twice.
Fabric import_cabling_csv(std::string_view text, const std::string& source);

/// The same fabric with each device keyed by its name, so a plan written by name can be diffed against a
/// discovery keyed by GUID: a NIC is "host/dev"; a switch its name, or for an NVIDIA / Mellanox NodeDescription
/// "MF0;leaf-a:MQM8700/U1" the host name between ';' and ':' ("leaf-a"); a device without a name keeps its id.
/// Throws InputError naming both devices when two get the same key.
Fabric name_keyed(const Fabric& fabric, const std::string& source);

}  // namespace railcheck::fabric
