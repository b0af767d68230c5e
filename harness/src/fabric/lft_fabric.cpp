#include "railcheck/fabric/lft_fabric.h"

#include <map>

#include "railcheck/core/error.h"
#include "railcheck/fabric/greedy_plan.h"

namespace railcheck::fabric {
namespace {

/// The table of a switch: by its GUID when its id is one ("S-0002c90200000001"), else by its name (or an id that
/// is a name, as a hand-written topology has).
const ForwardingTable* table_of(const Device& sw, const ForwardingTables& tables) {
  if (const auto it = tables.by_guid.find(guid_key(sw.id.starts_with("S-") ? sw.id.substr(2) : sw.id));
      it != tables.by_guid.end()) {
    return &it->second;
  }
  for (const auto& [guid, table] : tables.by_guid) {
    if ((!sw.name.empty() && table.name == sw.name) || table.name == sw.id) return &table;
  }
  return nullptr;
}

}  // namespace

LftFabric::LftFabric(Fabric fabric, const ForwardingTables& tables, const std::string& source, int max_stages)
    : fabric_(std::move(fabric)), max_stages_(max_stages) {
  const auto fail = [&](const std::string& what, const std::string& fix) {
    return InputError(source + ": " + what + "; " + fix);
  };
  std::vector<int> lid_of;
  for (std::size_t d = 0; d < fabric_.devices().size(); ++d) {
    const Device& dev = fabric_.devices()[d];
    if (dev.tier != Tier::kNic) continue;
    const std::string label = dev.host + "/" + dev.nic;
    if (fabric_.out_links(static_cast<int>(d)).size() != 1) {
      throw fail("NIC " + label + " has " + std::to_string(fabric_.out_links(static_cast<int>(d)).size()) +
                     " cables; a NIC port has one",
                 "give one nic line per port");
    }
    const std::string description = dev.name.empty() ? dev.host + " " + dev.nic : dev.name;
    const auto lid = tables.adapter_lid.find(description);
    if (lid == tables.adapter_lid.end()) {
      throw fail("no forwarding entry names NIC " + label + " ('" + description + "')",
                 "dump every switch's table with destinations resolved, from the same fabric as the topology");
    }
    nics_.push_back(static_cast<int>(d));
    uplink_.push_back(fabric_.out_links(static_cast<int>(d)).front());
    lid_of.push_back(lid->second);
  }
  if (nics_.empty()) throw fail("the topology has no NIC", "give one nic line per NIC port");
  // (switch, port) -> the link leaving it.
  std::map<std::pair<int, int>, int> link_at;
  for (std::size_t l = 0; l < fabric_.links().size(); ++l) {
    link_at[{fabric_.links()[l].from, fabric_.links()[l].from_port}] = static_cast<int>(l);
  }
  next_.assign(fabric_.devices().size(), {});
  for (std::size_t d = 0; d < fabric_.devices().size(); ++d) {
    const Device& sw = fabric_.devices()[d];
    if (sw.tier == Tier::kNic) continue;
    const ForwardingTable* table = table_of(sw, tables);
    if (table == nullptr) continue;  // an error only if a route reaches it (below)
    next_[d].assign(nics_.size(), -1);
    for (std::size_t e = 0; e < nics_.size(); ++e) {
      const auto port = table->out_port.find(lid_of[e]);
      if (port == table->out_port.end()) continue;
      const auto link = link_at.find({static_cast<int>(d), port->second});
      if (link == link_at.end()) {
        throw fail("switch " + sw.id + " forwards LID " + std::to_string(lid_of[e]) + " (" +
                       fabric_.device(nics_[e]).host + "/" + fabric_.device(nics_[e]).nic + ") out of port " +
                       std::to_string(port->second) + ", which the topology has no cable on",
                   "dump the tables and discover the topology from the same fabric at the same time");
      }
      next_[d][e] = link->second;
    }
  }
  // Walk every route once, from every switch a NIC hangs off: a lost destination or a loop is an input error.
  std::vector<char> walked(fabric_.devices().size(), 0);
  for (std::size_t s = 0; s < nics_.size(); ++s) {
    const int leaf = fabric_.links()[static_cast<std::size_t>(uplink_[s])].to;
    if (walked[static_cast<std::size_t>(leaf)] != 0) continue;
    walked[static_cast<std::size_t>(leaf)] = 1;
    for (std::size_t e = 0; e < nics_.size(); ++e) {
      int at = leaf;
      for (std::size_t hops = 0; at != nics_[e]; ++hops) {
        const Device& sw = fabric_.device(at);
        if (hops > fabric_.devices().size()) {
          throw fail("the route to " + fabric_.device(nics_[e]).host + "/" + fabric_.device(nics_[e]).nic + " (LID " +
                         std::to_string(lid_of[e]) + ") loops through switch " + sw.id,
                     "dump the tables again once the subnet manager has settled");
        }
        if (sw.tier == Tier::kNic) {
          throw fail(
              "the route to LID " + std::to_string(lid_of[e]) + " ends at another NIC, " + sw.host + "/" + sw.nic,
              "dump the tables and discover the topology from the same fabric at the same time");
        }
        const std::vector<int>& next = next_[static_cast<std::size_t>(at)];
        if (next.empty()) {
          throw fail("switch " + sw.id + (sw.name.empty() ? "" : " ('" + sw.name + "')") +
                         " is on a route but has no forwarding table in the dump",
                     "dump every switch (dump_lfts.sh)");
        }
        const int link = next[e];
        if (link < 0) {
          throw fail("switch " + sw.id + " has no entry for LID " + std::to_string(lid_of[e]) + " (" +
                         fabric_.device(nics_[e]).host + "/" + fabric_.device(nics_[e]).nic + ")",
                     "dump with destinations of every LID (ibroute without a LID range)");
        }
        at = fabric_.links()[static_cast<std::size_t>(link)].to;
      }
    }
  }
}

std::vector<int> LftFabric::route(int src, int dst) const {
  std::vector<int> path;
  if (src == dst) return path;
  int link = uplink_.at(static_cast<std::size_t>(src));
  const int target = nics_.at(static_cast<std::size_t>(dst));
  path.push_back(link);
  for (int at = fabric_.links()[static_cast<std::size_t>(link)].to; at != target;
       at = fabric_.links()[static_cast<std::size_t>(link)].to) {
    link = next_[static_cast<std::size_t>(at)][static_cast<std::size_t>(dst)];
    path.push_back(link);
  }
  return path;
}

std::vector<Stage> LftFabric::tiered_plan() const { return greedy_plan(*this, max_stages_); }

}  // namespace railcheck::fabric
