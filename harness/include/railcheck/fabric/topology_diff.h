// A discovered fabric against the saved plan (the "master topology" taken at bring-up; issue #18): each
// difference is a finding of its own, named by device and port, before any traffic is judged: a cable moved to
// the wrong port sends flows over links the plan never routed, and a missing one leaves a NIC or a switch with
// less bandwidth than the plan assumes. Devices are matched by id (GUIDs when both came from discovery).
#pragma once

#include <string>
#include <vector>

#include "railcheck/fabric/fabric.h"

namespace railcheck::fabric {

enum class TopologyChange {
  kMissingDevice,  ///< in the plan, not found
  kExtraDevice,    ///< found, not in the plan
  kMissingCable,   ///< a plan cable whose port was found with nothing cabled (or whose device is missing)
  kMiscabled,      ///< a port cabled to another peer (device or port) than the plan says
  kExtraCable,     ///< a cable between ports the plan leaves free
};
std::string_view key_of(TopologyChange change);  // "missing_device", "extra_device", "missing_cable", ...

struct TopologyFinding {
  TopologyChange change = TopologyChange::kMissingCable;
  std::string text;  ///< "S-...:21 should go to S-...:1, goes to S-...:2"
};

/// Every difference, in the plan's order (devices, then cables), then what only `found` has. Pure.
std::vector<TopologyFinding> diff_topology(const Fabric& plan, const Fabric& found);

}  // namespace railcheck::fabric
