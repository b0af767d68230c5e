#include "railcheck/fabric/stage_plan.h"

#include <algorithm>
#include <map>
#include <set>

namespace railcheck::fabric {
namespace {

int modulo(int value, int n) { return ((value % n) + n) % n; }

}  // namespace

Stage shift_stage(int leaves, int places, int leaf_shift, int place_shift) {
  Stage stage;
  const int dl = modulo(leaf_shift, leaves), dp = modulo(place_shift, places);
  stage.name =
      (dl == 0 ? "intra-leaf +" + std::to_string(dp) : "cross-leaf +" + std::to_string(dl) + "/+" + std::to_string(dp));
  if (dl == 0 && dp == 0) return stage;
  for (int leaf = 0; leaf < leaves; ++leaf) {
    for (int place = 0; place < places; ++place) {
      stage.flows.push_back({leaf * places + place, ((leaf + dl) % leaves) * places + (place + dp) % places});
    }
  }
  return stage;
}

std::vector<Stage> two_tier_shift_plan(int leaves, int places) {
  std::vector<Stage> plan;
  const bool several_leaves = leaves > 1;
  if (several_leaves) plan.push_back(shift_stage(leaves, places, 1, 1));
  plan.push_back(shift_stage(leaves, places, 0, 1));
  if (several_leaves) plan.push_back(shift_stage(leaves, places, leaves > 2 ? 2 : 1, 3));
  std::erase_if(plan, [](const Stage& s) { return s.flows.empty(); });
  return plan;
}

std::vector<Stage> tiered_plan(const RoutedFabric& fabric) { return fabric.tiered_plan(); }

std::vector<Stage> thin_plan(const std::vector<Stage>& plan, int thin) {
  if (thin <= 1) return plan;
  std::vector<Stage> out;
  for (const Stage& stage : plan) {
    for (int part = 0; part < thin; ++part) {
      Stage piece{stage.name + " (" + std::to_string(part + 1) + "/" + std::to_string(thin) + ")", {}};
      for (const Flow& flow : stage.flows) {
        if (flow.src % thin == part) piece.flows.push_back(flow);
      }
      if (!piece.flows.empty()) out.push_back(std::move(piece));
    }
  }
  return out;
}

std::vector<Stage> split_overloaded(const std::vector<Stage>& plan, const RouteOracle& route) {
  std::vector<Stage> out;
  for (const Stage& stage : plan) {
    std::vector<Stage> parts;
    std::vector<std::set<int>> used;  // per part: the directed links its flows load
    for (const Flow& flow : stage.flows) {
      const std::vector<int> links = route(flow.src, flow.dst);
      std::size_t p = 0;
      for (; p < parts.size(); ++p) {
        if (std::none_of(links.begin(), links.end(), [&](int l) { return used[p].contains(l); })) break;
      }
      if (p == parts.size()) {
        parts.push_back({stage.name, {}});
        used.emplace_back();
      }
      parts[p].flows.push_back(flow);
      used[p].insert(links.begin(), links.end());
    }
    if (parts.size() > 1) {
      for (std::size_t p = 0; p < parts.size(); ++p) parts[p].name += " (part " + std::to_string(p + 1) + ")";
    }
    for (Stage& part : parts) out.push_back(std::move(part));
    if (stage.flows.empty()) out.push_back(stage);
  }
  return out;
}

RouteOracle routes_of(const RoutedFabric& fabric) {
  return [&fabric](int src, int dst) { return fabric.route(src, dst); };
}

std::vector<int> leaf_of_endpoints(const RoutedFabric& fabric) {
  std::vector<int> leaf;
  for (int e = 0; e < fabric.endpoints(); ++e) {
    const std::vector<int>& out = fabric.fabric().out_links(fabric.nic_device(e));
    leaf.push_back(out.empty() ? -1 : fabric.fabric().links()[static_cast<std::size_t>(out.front())].to);
  }
  return leaf;
}

std::vector<int> link_loads(const Fabric& fabric, const Stage& stage, const RouteOracle& route) {
  std::vector<int> loads(fabric.links().size(), 0);
  for (const Flow& flow : stage.flows) {
    for (const int link : route(flow.src, flow.dst)) ++loads.at(static_cast<std::size_t>(link));
  }
  return loads;
}

std::size_t Identifiability::singletons() const {
  return static_cast<std::size_t>(
      std::count_if(classes.begin(), classes.end(), [](const std::vector<int>& c) { return c.size() == 1; }));
}

std::size_t Identifiability::largest() const {
  std::size_t most = 0;
  for (const std::vector<int>& c : classes) most = std::max(most, c.size());
  return most;
}

Identifiability identifiability(const Fabric& fabric, const std::vector<Stage>& plan, const RouteOracle& route) {
  // A link's signature: the (stage, flow) pairs that cross it, in plan order.
  std::vector<std::vector<std::pair<int, int>>> signature(fabric.links().size());
  for (std::size_t s = 0; s < plan.size(); ++s) {
    for (std::size_t f = 0; f < plan[s].flows.size(); ++f) {
      for (const int link : route(plan[s].flows[f].src, plan[s].flows[f].dst)) {
        signature.at(static_cast<std::size_t>(link)).emplace_back(static_cast<int>(s), static_cast<int>(f));
      }
    }
  }
  Identifiability out;
  std::map<std::vector<std::pair<int, int>>, std::size_t> class_of;
  for (std::size_t link = 0; link < signature.size(); ++link) {
    if (signature[link].empty()) {
      out.uncovered.push_back(static_cast<int>(link));
      continue;
    }
    const auto [it, added] = class_of.try_emplace(signature[link], out.classes.size());
    if (added) out.classes.emplace_back();
    out.classes[it->second].push_back(static_cast<int>(link));
  }
  return out;
}

}  // namespace railcheck::fabric
