#include "railcheck/fabric/three_tier.h"

#include <algorithm>
#include <stdexcept>
#include <string>

namespace railcheck::fabric {
namespace {

int modulo(int value, int n) { return ((value % n) + n) % n; }

}  // namespace

ThreeTierFabric::ThreeTierFabric(ThreeTierShape shape) : shape_(shape) {
  const int P = shape.pods, L = shape.leaves_per_pod, H = shape.hosts_per_leaf, A = shape.spines_per_pod,
            G = shape.cores_per_group;
  for (const auto& [name, value] :
       {std::pair{"pods", P}, std::pair{"leaves_per_pod", L}, std::pair{"hosts_per_leaf", H},
        std::pair{"spines_per_pod", A}, std::pair{"cores_per_group", G}, std::pair{"rails", shape.rails}}) {
    if (value < 1) throw std::invalid_argument(std::string(name) + " must be at least 1");
  }
  if (A < H)
    throw std::invalid_argument("spines_per_pod must be at least hosts_per_leaf: a leaf needs an uplink per host");
  if (G < L)
    throw std::invalid_argument("cores_per_group must be at least leaves_per_pod: a spine needs an uplink per leaf");
  if (L % shape.rails != 0) throw std::invalid_argument("leaves_per_pod must be a multiple of rails");
  std::vector<int> cores(static_cast<std::size_t>(A * G));
  for (int a = 0; a < A; ++a) {
    for (int g = 0; g < G; ++g) {
      cores[a * G + g] =
          fabric_.add_device({"core-" + std::to_string(a) + "-" + std::to_string(g), Tier::kCore, "", "", -1});
    }
  }
  leaf_up_.resize(static_cast<std::size_t>(P * L * A));
  leaf_down_.resize(leaf_up_.size());
  spine_up_.resize(static_cast<std::size_t>(P * A * G));
  spine_down_.resize(spine_up_.size());
  nics_.resize(static_cast<std::size_t>(P * L * H));
  for (int p = 0; p < P; ++p) {
    std::vector<int> spines;
    for (int a = 0; a < A; ++a) {
      spines.push_back(
          fabric_.add_device({"spine-p" + std::to_string(p) + "-" + std::to_string(a), Tier::kSpine, "", "", -1}));
      for (int g = 0; g < G; ++g) {
        const int cable = fabric_.add_cable(spines.back(), L + 1 + g, cores[a * G + g], p + 1);
        spine_up_[(p * A + a) * G + g] = 2 * cable;
        spine_down_[(p * A + a) * G + g] = 2 * cable + 1;
      }
    }
    for (int l = 0; l < L; ++l) {
      const int rail = l % shape.rails;
      const int leaf =
          fabric_.add_device({"leaf-p" + std::to_string(p) + "-" + std::to_string(l), Tier::kLeaf, "", "", rail});
      leaves_.push_back(leaf);
      for (int a = 0; a < A; ++a) {
        const int cable = fabric_.add_cable(leaf, H + 1 + a, spines[a], l + 1);
        leaf_up_[(p * L + l) * A + a] = 2 * cable;
        leaf_down_[(p * L + l) * A + a] = 2 * cable + 1;
      }
      // The leaves of one scalable unit are consecutive, one per rail: host k has a NIC on each.
      const int su = (p * L + l) / shape.rails;
      for (int j = 0; j < H; ++j) {
        const std::string host = "node" + std::to_string(su * H + j + 1);
        const std::string nic_name = "mlx5_" + std::to_string(rail);
        const int nic = fabric_.add_device({host + "/" + nic_name, Tier::kNic, host, nic_name, rail});
        fabric_.add_cable(nic, 1, leaf, j + 1);
        nics_[static_cast<std::size_t>(endpoint(p, l, j))] = nic;
      }
    }
  }
}

int ThreeTierFabric::endpoint(int pod, int leaf, int place) const {
  return (pod * shape_.leaves_per_pod + leaf) * shape_.hosts_per_leaf + place;
}

int ThreeTierFabric::leaf_link(int pod, int leaf, int spine) const {
  return (pod * shape_.leaves_per_pod + leaf) * shape_.spines_per_pod + spine;
}

int ThreeTierFabric::spine_link(int pod, int spine, int core) const {
  return (pod * shape_.spines_per_pod + spine) * shape_.cores_per_group + core;
}

std::vector<int> ThreeTierFabric::route(int src, int dst) const {
  const int H = shape_.hosts_per_leaf, L = shape_.leaves_per_pod;
  const int src_leaf = src / H, dst_leaf = dst / H;  // global leaf indices
  const int p = src_leaf / L, q = dst_leaf / L, m = dst_leaf % L, j = dst % H;
  std::vector<int> path;
  path.push_back(*fabric_.link_between(nic_device(src), leaves_[src_leaf]));
  if (src_leaf != dst_leaf) {
    const int a = j % shape_.spines_per_pod;
    path.push_back(leaf_up_[leaf_link(p, src_leaf % L, a)]);
    if (p != q) {
      const int g = m % shape_.cores_per_group;
      path.push_back(spine_up_[spine_link(p, a, g)]);
      path.push_back(spine_down_[spine_link(q, a, g)]);
    }
    path.push_back(leaf_down_[leaf_link(q, m, a)]);
  }
  path.push_back(*fabric_.link_between(leaves_[dst_leaf], nic_device(dst)));
  return path;
}

Stage ThreeTierFabric::shift_stage(int pod_shift, int leaf_shift, int place_shift) const {
  const int P = shape_.pods, L = shape_.leaves_per_pod, H = shape_.hosts_per_leaf;
  const int dp = modulo(pod_shift, P), dl = modulo(leaf_shift, L), dj = modulo(place_shift, H);
  Stage stage;
  stage.name = dp != 0   ? "cross-pod +" + std::to_string(dp) + "/+" + std::to_string(dl) + "/+" + std::to_string(dj)
               : dl != 0 ? "intra-pod +" + std::to_string(dl) + "/+" + std::to_string(dj)
                         : "intra-leaf +" + std::to_string(dj);
  if (dp == 0 && dl == 0 && dj == 0) return stage;
  for (int p = 0; p < P; ++p) {
    for (int l = 0; l < L; ++l) {
      for (int j = 0; j < H; ++j) {
        stage.flows.push_back({endpoint(p, l, j), endpoint((p + dp) % P, (l + dl) % L, (j + dj) % H)});
      }
    }
  }
  return stage;
}

std::vector<Stage> ThreeTierFabric::wide_plan(int stages) const {
  std::vector<Stage> plan = tiered_plan();
  // Pod shifts 2, 3, 4, ... cycling over the other pods (never 0 with two pods or more), leaf and place shifts
  // growing; a shift that comes out the same as a stage already planned (small counts) is passed over.
  const int pods = shape_.pods;
  for (int k = 0; static_cast<int>(plan.size()) < stages && k < 256; ++k) {
    const int pod_shift = pods > 1 ? 1 + (k + 1) % (pods - 1) : 0;
    Stage stage = shift_stage(pod_shift, k + 3, 2 * k + 5 + k / shape_.leaves_per_pod);
    const bool repeats = std::any_of(plan.begin(), plan.end(), [&](const Stage& s) { return s.name == stage.name; });
    if (!stage.flows.empty() && !repeats) plan.push_back(std::move(stage));
  }
  return plan;
}

std::vector<Stage> ThreeTierFabric::tiered_plan() const {
  std::vector<Stage> plan = {shift_stage(1, 1, 1), shift_stage(0, 1, 3), shift_stage(0, 0, 1), shift_stage(3, 5, 7)};
  std::erase_if(plan, [](const Stage& s) { return s.flows.empty(); });
  return plan;
}

}  // namespace railcheck::fabric
