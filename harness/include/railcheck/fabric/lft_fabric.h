// A fabric of any shape routed by its switches' own forwarding tables (issue #18's route oracle for
// InfiniBand): the topology (a railcheck-topo file or an import) and the tables dumped from the same fabric
// (forwarding_tables.h). A flow's route is walked as the packets go: from the source NIC to its switch, then at
// each switch out of the port its table gives for the destination NIC's LID, to the destination NIC. Every
// route is walked once when the fabric is built, so a table that loses a destination or loops is an input
// error before any traffic. Its plan is the greedy one (greedy_plan.h): the routes need not be
// destination-mod-k.
#pragma once

#include <string>
#include <vector>

#include "railcheck/fabric/forwarding_tables.h"
#include "railcheck/fabric/routed_fabric.h"

namespace railcheck::fabric {

class LftFabric final : public RoutedFabric {
 public:
  /// `source` names the tables in errors. Throws InputError naming the switch, the NIC and the LID: a NIC with no
  /// LID in the tables (matched by its NodeDescription, else "host dev"), a NIC not cabled to exactly one switch, a
  /// switch on a route without a table (matched by its GUID id "S-<guid>", else its name or id), a table entry for a
  /// port nothing is cabled to, a route that loops.
  LftFabric(Fabric fabric, const ForwardingTables& tables, const std::string& source, int max_stages = 8);

  const Fabric& fabric() const override { return fabric_; }
  int endpoints() const override { return static_cast<int>(nics_.size()); }
  int nic_device(int endpoint) const override { return nics_.at(static_cast<std::size_t>(endpoint)); }
  std::vector<int> route(int src, int dst) const override;
  /// greedy_plan(*this, max_stages).
  std::vector<Stage> tiered_plan() const override;

 private:
  Fabric fabric_;
  int max_stages_;
  std::vector<int> nics_;               ///< endpoint -> NIC device, in device order
  std::vector<int> uplink_;             ///< endpoint -> its NIC's link to its switch
  std::vector<std::vector<int>> next_;  ///< [device][endpoint]: the link a switch forwards it on; -1 none
};

}  // namespace railcheck::fabric
