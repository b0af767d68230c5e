#include "railcheck/fabric/switch_rule.h"

#include <algorithm>
#include <map>
#include <set>

namespace railcheck::fabric {

std::vector<NamedSwitch> name_switches(const Fabric& fabric, const std::vector<std::vector<std::vector<int>>>& routes,
                                       const std::vector<std::vector<bool>>& slow, TomographyResult& result,
                                       const SwitchRuleOptions& options) {
  std::vector<LinkEnds> ends;
  for (const DirectedLink& link : fabric.links()) ends.push_back({link.from, link.to});
  std::vector<bool> is_switch;
  for (const Device& device : fabric.devices()) is_switch.push_back(device.tier != Tier::kNic);
  return name_switches(ends, is_switch, routes, slow, result, options);
}

std::vector<NamedSwitch> name_switches(const std::vector<LinkEnds>& ends, const std::vector<bool>& is_switch,
                                       const std::vector<std::vector<std::vector<int>>>& routes,
                                       const std::vector<std::vector<bool>>& slow, TomographyResult& result,
                                       const SwitchRuleOptions& options) {
  // Named links by the switches they touch.
  std::map<int, std::set<std::size_t>> faults_at;  // switch -> indices into result.faults
  for (std::size_t i = 0; i < result.faults.size(); ++i) {
    for (const int l : result.faults[i].links) {
      const LinkEnds& link = ends.at(static_cast<std::size_t>(l));
      for (const int end : {link.from, link.to}) {
        if (is_switch.at(static_cast<std::size_t>(end))) faults_at[end].insert(i);
      }
    }
  }
  std::vector<NamedSwitch> named;
  std::set<std::size_t> taken;
  for (const auto& [device, faults] : faults_at) {
    if (static_cast<int>(faults.size()) < options.min_links) continue;
    NamedSwitch sw{device, {}, {}, 0};
    for (std::size_t s = 0; s < routes.size(); ++s) {
      for (std::size_t f = 0; f < routes[s].size(); ++f) {
        bool through = false;
        for (const int l : routes[s][f]) {
          const LinkEnds& link = ends.at(static_cast<std::size_t>(l));
          through |= link.from == device || link.to == device;
        }
        if (!through) continue;
        ++sw.total;
        if (slow[s][f]) sw.flows.push_back({static_cast<int>(s), static_cast<int>(f)});
      }
    }
    if (sw.total == 0 || static_cast<double>(sw.flows.size()) < options.slow_share * sw.total) continue;
    for (const std::size_t i : faults) {
      if (!taken.insert(i).second) continue;
      sw.links.insert(sw.links.end(), result.faults[i].links.begin(), result.faults[i].links.end());
    }
    named.push_back(std::move(sw));
  }
  // A named link whose slow flows all cross a named switch is that switch's too (the solver met it first).
  std::set<int> named_devices;
  for (const NamedSwitch& sw : named) named_devices.insert(sw.device);
  const auto crosses_named_switch = [&](const FlowRef& r) {
    for (const int l : routes[static_cast<std::size_t>(r.stage)][static_cast<std::size_t>(r.flow)]) {
      const LinkEnds& link = ends.at(static_cast<std::size_t>(l));
      if (named_devices.contains(link.from) || named_devices.contains(link.to)) return true;
    }
    return false;
  };
  std::vector<NamedFault> kept;
  for (std::size_t i = 0; i < result.faults.size(); ++i) {
    if (taken.contains(i)) continue;
    const std::vector<FlowRef>& flows = result.faults[i].flows;
    if (!named.empty() && !flows.empty() && std::all_of(flows.begin(), flows.end(), crosses_named_switch)) continue;
    kept.push_back(std::move(result.faults[i]));
  }
  result.faults = std::move(kept);
  return named;
}

}  // namespace railcheck::fabric
