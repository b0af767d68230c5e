#include "railcheck/fabric/topology_diff.h"

#include <map>
#include <optional>
#include <set>

namespace railcheck::fabric {
namespace {

using End = std::pair<std::string, int>;  // device id, port

std::map<End, End> peers(const Fabric& f) {
  std::map<End, End> out;
  for (const DirectedLink& l : f.links()) {
    out[{f.device(l.from).id, l.from_port}] = {f.device(l.to).id, l.to_port};
  }
  return out;
}

std::string name(const End& end) { return end.first + ":" + std::to_string(end.second); }

}  // namespace

std::string_view key_of(TopologyChange change) {
  switch (change) {
    case TopologyChange::kMissingDevice:
      return "missing_device";
    case TopologyChange::kExtraDevice:
      return "extra_device";
    case TopologyChange::kMissingCable:
      return "missing_cable";
    case TopologyChange::kMiscabled:
      return "miscabled";
    case TopologyChange::kExtraCable:
      return "extra_cable";
  }
  return "?";
}

std::vector<TopologyFinding> diff_topology(const Fabric& plan, const Fabric& found) {
  std::vector<TopologyFinding> out;
  for (const Device& d : plan.devices()) {
    if (!found.find(d.id)) {
      out.push_back({TopologyChange::kMissingDevice, std::string(name_of(d.tier)) + " " + d.id +
                                                         (d.name.empty() ? "" : " (" + d.name + ")") +
                                                         " is in the plan and was not found"});
    }
  }
  for (const Device& d : found.devices()) {
    if (!plan.find(d.id)) {
      out.push_back({TopologyChange::kExtraDevice, std::string(name_of(d.tier)) + " " + d.id +
                                                       (d.name.empty() ? "" : " (" + d.name + ")") +
                                                       " was found and is not in the plan"});
    }
  }
  const std::map<End, End> planned = peers(plan), seen = peers(found);
  std::set<std::pair<End, End>> reported;  // each cable once, from its first end
  for (std::size_t l = 0; l < plan.links().size(); l += 2) {
    const DirectedLink& link = plan.links()[l];
    const End a{plan.device(link.from).id, link.from_port}, b{plan.device(link.to).id, link.to_port};
    const auto at_a = seen.find(a), at_b = seen.find(b);
    if (at_a != seen.end() && at_a->second == b) continue;  // as planned
    if (!found.find(a.first) || !found.find(b.first)) {
      out.push_back({TopologyChange::kMissingCable, "cable " + name(a) + " - " + name(b) + ": " +
                                                        (!found.find(a.first) ? a.first : b.first) + " was not found"});
      continue;
    }
    if (at_a == seen.end() && at_b == seen.end()) {
      out.push_back({TopologyChange::kMissingCable, "cable " + name(a) + " - " + name(b) +
                                                        " is in the plan; both ports were found with nothing cabled"});
      continue;
    }
    for (const auto& [end, want, got] : {std::tuple{a, b, at_a}, std::tuple{b, a, at_b}}) {
      if (got == seen.end()) {
        out.push_back(
            {TopologyChange::kMissingCable, name(end) + " should go to " + name(want) + "; nothing is cabled to it"});
      } else if (got->second != want && reported.insert({end, got->second}).second) {
        reported.insert({got->second, end});
        out.push_back(
            {TopologyChange::kMiscabled, name(end) + " should go to " + name(want) + ", goes to " + name(got->second)});
      }
    }
  }
  for (std::size_t l = 0; l < found.links().size(); l += 2) {
    const DirectedLink& link = found.links()[l];
    const End a{found.device(link.from).id, link.from_port}, b{found.device(link.to).id, link.to_port};
    if (!planned.contains(a) && !planned.contains(b) && plan.find(a.first) && plan.find(b.first)) {
      out.push_back({TopologyChange::kExtraCable,
                     "cable " + name(a) + " - " + name(b) + " was found; the plan leaves both ports free"});
    }
  }
  return out;
}

}  // namespace railcheck::fabric
