#include "railcheck/fabric/dmodk_fabric.h"

#include <algorithm>
#include <map>

#include "railcheck/core/error.h"
#include "railcheck/fabric/stage_plan.h"

namespace railcheck::fabric {
namespace {

/// `device`'s out-links to devices of `tier`, by the port they leave from.
std::vector<int> links_to_tier(const Fabric& fabric, int device, Tier tier) {
  std::vector<int> out;
  for (const int link : fabric.out_links(device)) {
    if (fabric.device(fabric.links()[static_cast<std::size_t>(link)].to).tier == tier) out.push_back(link);
  }
  std::sort(out.begin(), out.end(), [&](int a, int b) {
    return fabric.links()[static_cast<std::size_t>(a)].from_port <
           fabric.links()[static_cast<std::size_t>(b)].from_port;
  });
  return out;
}

}  // namespace

DmodkTwoTierFabric::DmodkTwoTierFabric(Fabric fabric, const std::string& source) : fabric_(std::move(fabric)) {
  auto fail = [&](const std::string& what, const std::string& fix) {
    throw InputError(source + ": " + what + "; " + fix);
  };
  std::map<int, std::size_t> leaf_index;
  for (int d = 0; d < static_cast<int>(fabric_.devices().size()); ++d) {
    const Device& device = fabric_.device(d);
    if (device.tier == Tier::kCore) {
      fail("device " + device.id + " is a core switch",
           "railcheck routes two-tier (leaf-spine) fabrics from a topology file so far; give the leaf-spine part");
    }
    if (device.tier != Tier::kLeaf) continue;
    leaf_index[d] = leaves_.size();
    leaves_.push_back({d, {}, links_to_tier(fabric_, d, Tier::kSpine)});
  }
  for (Leaf& leaf : leaves_) leaf.nic_links = links_to_tier(fabric_, leaf.device, Tier::kNic);
  if (leaves_.empty()) fail("no leaf switch", "declare the switches the NICs plug into with tier=leaf");
  places_ = static_cast<int>(leaves_.front().nic_links.size());
  for (const Leaf& leaf : leaves_) {
    const Device& device = fabric_.device(leaf.device);
    if (static_cast<int>(leaf.nic_links.size()) != places_ || places_ == 0) {
      fail("leaf " + device.id + " has " + std::to_string(leaf.nic_links.size()) + " NICs and leaf " +
               fabric_.device(leaves_.front().device).id + " " + std::to_string(places_),
           "the shift plan needs the same number of NICs (at least one) on every leaf; the greedy planner for "
           "irregular fabrics is not built yet");
    }
    if (leaves_.size() > 1 && leaf.uplinks.empty()) {
      fail("leaf " + device.id + " has no cable to a spine", "cable every leaf to the spines, or fix the file");
    }
    for (const int up : leaf.uplinks) {
      const int spine = fabric_.links()[static_cast<std::size_t>(up)].to;
      for (const Leaf& other : leaves_) {
        if (!fabric_.link_between(spine, other.device)) {
          fail("spine " + fabric_.device(spine).id + " has no cable to leaf " + fabric_.device(other.device).id,
               "destination-mod-k routing needs every spine a leaf uses to reach every leaf");
        }
      }
    }
  }
  for (const Leaf& leaf : leaves_) {
    for (const int down : leaf.nic_links) {
      const int nic = fabric_.links()[static_cast<std::size_t>(down)].to;
      if (fabric_.out_links(nic).size() != 1) {
        fail("NIC " + fabric_.device(nic).id + " has " + std::to_string(fabric_.out_links(nic).size()) + " cables",
             "a NIC port is cabled to exactly one leaf");
      }
      nics_.push_back(nic);
      nic_link_.push_back(fabric_.reverse(down));
    }
  }
  for (int d = 0; d < static_cast<int>(fabric_.devices().size()); ++d) {
    if (fabric_.device(d).tier == Tier::kNic && std::find(nics_.begin(), nics_.end(), d) == nics_.end()) {
      fail("NIC " + fabric_.device(d).id + " is not cabled to a leaf", "cable it to its leaf, or leave it out");
    }
  }
}

std::vector<int> DmodkTwoTierFabric::route(int src, int dst) const {
  const Leaf& from = leaves_.at(static_cast<std::size_t>(src / places_));
  const Leaf& to = leaves_.at(static_cast<std::size_t>(dst / places_));
  const int place = dst % places_;
  std::vector<int> path{nic_link_.at(static_cast<std::size_t>(src))};
  if (&from != &to) {
    const auto u = static_cast<std::size_t>(place) % from.uplinks.size();
    const int up = from.uplinks[u];
    const int spine = fabric_.links()[static_cast<std::size_t>(up)].to;
    // Which of the leaf's cables to this spine the flow took: its ordinal among them picks the cable down.
    const auto ordinal = std::count_if(from.uplinks.begin(), from.uplinks.begin() + static_cast<std::ptrdiff_t>(u),
                                       [&](int l) { return fabric_.links()[static_cast<std::size_t>(l)].to == spine; });
    std::vector<int> downs;
    for (const int l : links_to_tier(fabric_, spine, Tier::kLeaf)) {
      if (fabric_.links()[static_cast<std::size_t>(l)].to == to.device) downs.push_back(l);
    }
    path.push_back(up);
    path.push_back(downs[static_cast<std::size_t>(ordinal) % downs.size()]);
  }
  path.push_back(to.nic_links[static_cast<std::size_t>(place)]);
  return path;
}

std::vector<Stage> DmodkTwoTierFabric::tiered_plan() const {
  // A leaf with fewer uplinks than NICs (oversubscribed) cannot send every NIC's cross-leaf flow at once.
  return split_overloaded(two_tier_shift_plan(leaves(), places_), routes_of(*this));
}

}  // namespace railcheck::fabric
