// Switches' unicast forwarding tables as InfiniBand tools dump them (issue #18's route oracle): `ibroute`'s
// output, one switch after another as `dump_lfts.sh` prints it ("Unicast lids [0x0-0x8] of switch Lid 2 guid
// 0x0002c90200000001 (MF0;leaf-a:MQM8700/U1):", then "0x0005 001 : (Channel Adapter portguid 0x...: 'node1
// mlx5_0')" per destination LID), or OpenSM's own dump (opensm-lfts.dump: "... of switch Lid 2 guid 0x...
// ('MF0;leaf-a'):", then "0x0005 001 # Channel Adapter portguid 0x...: 'node1 mlx5_0'"). Destinations must be
// resolved (not `ibroute -n`): a NIC is found by the NodeDescription its LID answers with.
#pragma once

#include <map>
#include <string>
#include <string_view>

namespace railcheck::fabric {

struct ForwardingTable {
  std::string guid;             ///< the switch's node GUID, 16 lower-case hex digits
  std::string name;             ///< its NodeDescription as the header gives it
  std::map<int, int> out_port;  ///< destination LID -> the port a packet for it leaves by
  std::size_t line = 0;         ///< where its header is (for errors)
};

struct ForwardingTables {
  std::map<std::string, ForwardingTable> by_guid;  ///< switch GUID -> its table
  std::map<std::string, int> adapter_lid;          ///< a Channel Adapter's NodeDescription -> its LID
};

/// A GUID as the tables are keyed by it: 16 lower-case hex digits, leading zeros added ("2C90200000001" ->
/// "0002c90200000001").
std::string guid_key(std::string hex);

/// Throws InputError "<source>:<line>: <what>; <fix>" for a line that is neither a header, a column title, an
/// entry nor a count; an entry before any header; a switch dumped twice; one adapter description on two LIDs.
ForwardingTables parse_forwarding_tables(std::string_view text, const std::string& source);

}  // namespace railcheck::fabric
