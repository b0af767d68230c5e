// The fabric as `iblinkinfo --line --switches-only` (rdma-core) prints it (issue #18): one line per switch port,
// `0x<GUID> "<description>" <LID> <port>[..] ==( <width> <speed> <state>/<phys>)==> 0x<peer GUID> <LID> <port>[..]
// "<peer description>" ( )`; a port with nothing cabled has no peer. Every GUID that lists ports is a switch, a
// peer that lists none a host channel adapter; ids are written as ibnetdiscover writes them ("S-" / "H-" and 16 hex
// digits), so both importers give the same topology file for the same fabric.
#pragma once

#include <string>
#include <string_view>

#include "railcheck/fabric/fabric.h"

namespace railcheck::fabric {

/// Throws InputError "<source>:<line>: <what>" for a line that is neither a port line nor blank, a port cabled to
/// two peers, a switch too far from every NIC, or no port line at all.
Fabric import_iblinkinfo(std::string_view text, const std::string& source);

}  // namespace railcheck::fabric
