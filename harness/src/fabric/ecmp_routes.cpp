#include "railcheck/fabric/ecmp_routes.h"

#include <algorithm>
#include <deque>
#include <optional>
#include <stdexcept>
#include <string>

#include "railcheck/fabric/stage_plan.h"

namespace railcheck::fabric {
namespace {

std::uint64_t mix(std::uint64_t x) {  // splitmix64's finalizer: a well-spread hash of the flow and the switch
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

}  // namespace

EcmpRoutes::EcmpRoutes(const RoutedFabric& fabric) : fabric_(fabric), leaf_of_endpoint_(leaf_of_endpoints(fabric)) {
  const Fabric& f = fabric.fabric();
  leaf_index_.assign(f.devices().size(), -1);
  std::vector<int> leaves;
  for (std::size_t e = 0; e < leaf_of_endpoint_.size(); ++e) {
    const int leaf = leaf_of_endpoint_[e];
    if (leaf < 0) {
      throw std::invalid_argument("ECMP routes: endpoint " + std::to_string(e) + "'s NIC " +
                                  f.device(fabric.nic_device(static_cast<int>(e))).id + " has no cable");
    }
    if (leaf_index_[static_cast<std::size_t>(leaf)] < 0) {
      leaf_index_[static_cast<std::size_t>(leaf)] = static_cast<int>(leaves.size());
      leaves.push_back(leaf);
    }
  }
  // Hops from every switch to each leaf, through switches only (a NIC forwards nothing).
  for (const int leaf : leaves) {
    std::vector<int> distance(f.devices().size(), -1);
    distance[static_cast<std::size_t>(leaf)] = 0;
    std::deque<int> queue{leaf};
    while (!queue.empty()) {
      const int u = queue.front();
      queue.pop_front();
      for (const int link : f.out_links(u)) {
        const int v = f.links()[static_cast<std::size_t>(link)].to;
        if (f.device(v).tier == Tier::kNic || distance[static_cast<std::size_t>(v)] >= 0) continue;
        distance[static_cast<std::size_t>(v)] = distance[static_cast<std::size_t>(u)] + 1;
        queue.push_back(v);
      }
    }
    distance_.push_back(std::move(distance));
  }
}

std::vector<int> EcmpRoutes::next_links(int device, int to_leaf, int dst_nic) const {
  const Fabric& f = fabric_.fabric();
  if (device == to_leaf) {
    const auto last = f.link_between(device, dst_nic);
    return last ? std::vector<int>{*last} : std::vector<int>{};
  }
  const std::vector<int>& distance =
      distance_[static_cast<std::size_t>(leaf_index_[static_cast<std::size_t>(to_leaf)])];
  const int here = distance[static_cast<std::size_t>(device)];
  std::vector<int> out;
  for (const int link : f.out_links(device)) {
    const int v = f.links()[static_cast<std::size_t>(link)].to;
    if (f.device(v).tier != Tier::kNic && distance[static_cast<std::size_t>(v)] == here - 1) out.push_back(link);
  }
  return out;
}

std::optional<EcmpRoutes::Ends> EcmpRoutes::ends(int src, int dst) const {
  Ends e;
  e.dst_nic = fabric_.nic_device(dst);
  e.src_leaf = leaf_of_endpoint_.at(static_cast<std::size_t>(src));
  e.dst_leaf = leaf_of_endpoint_.at(static_cast<std::size_t>(dst));
  const int index = leaf_index_[static_cast<std::size_t>(e.dst_leaf)];
  if (distance_[static_cast<std::size_t>(index)][static_cast<std::size_t>(e.src_leaf)] < 0) return std::nullopt;
  e.first = *fabric_.fabric().link_between(fabric_.nic_device(src), e.src_leaf);
  return e;
}

RouteHops EcmpRoutes::hops(int src, int dst) const {
  const Fabric& f = fabric_.fabric();
  const auto e = ends(src, dst);
  if (!e) return {};
  const int dst_leaf = e->dst_leaf, dst_nic = e->dst_nic;
  RouteHops route{{e->first}};
  std::vector<int> layer{e->src_leaf};
  while (true) {
    std::vector<int> links;
    for (const int device : layer) {
      const std::vector<int> next = next_links(device, dst_leaf, dst_nic);
      links.insert(links.end(), next.begin(), next.end());
    }
    std::sort(links.begin(), links.end());
    links.erase(std::unique(links.begin(), links.end()), links.end());
    if (links.empty()) return {};
    const bool last = layer.front() == dst_leaf;
    route.push_back(links);
    if (last) return route;
    layer.clear();
    for (const int link : links) layer.push_back(f.links()[static_cast<std::size_t>(link)].to);
    std::sort(layer.begin(), layer.end());
    layer.erase(std::unique(layer.begin(), layer.end()), layer.end());
  }
}

std::vector<int> EcmpRoutes::hashed_path(int src, int dst, std::uint64_t entropy) const {
  const Fabric& f = fabric_.fabric();
  const auto e = ends(src, dst);
  if (!e) return {};
  const int dst_leaf = e->dst_leaf, dst_nic = e->dst_nic;
  std::vector<int> path{e->first};
  int device = e->src_leaf;
  while (true) {
    const std::vector<int> next = next_links(device, dst_leaf, dst_nic);
    if (next.empty()) return {};
    const std::uint64_t h = mix(entropy ^ mix(static_cast<std::uint64_t>(device)));
    const int link = next[static_cast<std::size_t>(h % next.size())];
    path.push_back(link);
    if (device == dst_leaf) return path;
    device = f.links()[static_cast<std::size_t>(link)].to;
  }
}

}  // namespace railcheck::fabric
