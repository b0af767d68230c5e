#include "railcheck/fabric/two_tier.h"

#include <stdexcept>

#include "railcheck/fabric/stage_plan.h"

namespace railcheck::fabric {

TwoTierFabric::TwoTierFabric(TwoTierShape shape) : shape_(shape) {
  for (const auto& [name, value] :
       {std::pair{"sus", shape.sus}, std::pair{"rails", shape.rails}, std::pair{"nodes_per_su", shape.nodes_per_su},
        std::pair{"spines", shape.spines}, std::pair{"parallel", shape.parallel}}) {
    if (value < 1) throw std::invalid_argument(std::string(name) + " must be at least 1");
  }
  const int uplinks = shape.spines * shape.parallel;
  if (uplinks < shape.nodes_per_su) {
    throw std::invalid_argument("spines x parallel (" + std::to_string(uplinks) + ") must be at least nodes_per_su (" +
                                std::to_string(shape.nodes_per_su) + "): a leaf needs an uplink per host");
  }
  for (int s = 0; s < shape.spines; ++s) {
    spines_.push_back(fabric_.add_device({"spine-" + std::to_string(s), Tier::kSpine, "", "", -1}));
  }
  for (int su = 0; su < shape.sus; ++su) {
    for (int rail = 0; rail < shape.rails; ++rail) {
      const int leaf_index = static_cast<int>(leaves_.size());
      const int leaf =
          fabric_.add_device({"leaf-su" + std::to_string(su) + "-r" + std::to_string(rail), Tier::kLeaf, "", "", rail});
      leaves_.push_back(leaf);
      uplink_.emplace_back();
      downlink_.emplace_back();
      for (int u = 0; u < uplinks; ++u) {
        const int spine = spines_[u % shape.spines];
        const int spine_port = leaf_index * shape.parallel + u / shape.spines + 1;
        const int cable = fabric_.add_cable(leaf, shape.nodes_per_su + 1 + u, spine, spine_port);
        uplink_.back().push_back(2 * cable);
        downlink_.back().push_back(2 * cable + 1);
      }
    }
  }
  nics_.resize(static_cast<std::size_t>(shape.sus * shape.rails * shape.nodes_per_su));
  for (int su = 0; su < shape.sus; ++su) {
    for (int place = 0; place < shape.nodes_per_su; ++place) {
      const std::string host = "node" + std::to_string(su * shape.nodes_per_su + place + 1);
      for (int rail = 0; rail < shape.rails; ++rail) {
        const int leaf_index = su * shape.rails + rail;
        const int nic = fabric_.add_device(
            {host + "/mlx5_" + std::to_string(rail), Tier::kNic, host, "mlx5_" + std::to_string(rail), rail});
        fabric_.add_cable(nic, 1, leaves_[leaf_index], place + 1);
        nics_[static_cast<std::size_t>(endpoint(leaf_index, place))] = nic;
      }
    }
  }
}

std::vector<int> TwoTierFabric::route(int src, int dst) const {
  const int src_nic = nic_device(src), dst_nic = nic_device(dst);
  const int src_leaf = leaf_of(src), dst_leaf = leaf_of(dst);
  std::vector<int> path;
  path.push_back(*fabric_.link_between(src_nic, leaves_[src_leaf]));
  if (src_leaf != dst_leaf) {
    const int u = place_of(dst) % (shape_.spines * shape_.parallel);
    path.push_back(uplink_[src_leaf][u]);
    path.push_back(downlink_[dst_leaf][u]);
  }
  path.push_back(*fabric_.link_between(leaves_[dst_leaf], dst_nic));
  return path;
}

std::vector<Stage> TwoTierFabric::tiered_plan() const { return two_tier_shift_plan(leaves(), shape_.nodes_per_su); }

}  // namespace railcheck::fabric
