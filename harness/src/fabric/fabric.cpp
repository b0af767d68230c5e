#include "railcheck/fabric/fabric.h"

#include <stdexcept>

namespace railcheck::fabric {

std::string_view name_of(Tier tier) {
  switch (tier) {
    case Tier::kNic:
      return "nic";
    case Tier::kLeaf:
      return "leaf";
    case Tier::kSpine:
      return "spine";
    case Tier::kCore:
      return "core";
  }
  return "?";
}

int Fabric::add_device(Device device) {
  if (by_id_.contains(device.id)) throw std::invalid_argument("device '" + device.id + "' is given twice");
  const int index = static_cast<int>(devices_.size());
  by_id_[device.id] = index;
  devices_.push_back(std::move(device));
  out_.emplace_back();
  return index;
}

int Fabric::add_cable(int a, int a_port, int b, int b_port) {
  const int n = static_cast<int>(devices_.size());
  if (a < 0 || a >= n || b < 0 || b >= n) throw std::invalid_argument("a cable names a device that does not exist");
  if (a == b) throw std::invalid_argument("a cable from " + devices_[a].id + " to itself");
  for (const auto& [device, port] : {std::pair{a, a_port}, std::pair{b, b_port}}) {
    if (cabled_ports_.contains({device, port})) {
      throw std::invalid_argument(devices_[device].id + " port " + std::to_string(port) + " has two cables");
    }
  }
  const int cable = static_cast<int>(links_.size() / 2);
  cabled_ports_[{a, a_port}] = cable;
  cabled_ports_[{b, b_port}] = cable;
  out_[a].push_back(static_cast<int>(links_.size()));
  links_.push_back({a, b, a_port, b_port, cable});
  out_[b].push_back(static_cast<int>(links_.size()));
  links_.push_back({b, a, b_port, a_port, cable});
  return cable;
}

std::optional<int> Fabric::find(const std::string& id) const {
  const auto it = by_id_.find(id);
  if (it == by_id_.end()) return std::nullopt;
  return it->second;
}

std::optional<int> Fabric::link_between(int from, int to) const {
  for (const int link : out_.at(static_cast<std::size_t>(from))) {
    if (links_[link].to == to) return link;
  }
  return std::nullopt;
}

std::string Fabric::describe(int link) const {
  const DirectedLink& l = links_.at(static_cast<std::size_t>(link));
  auto end = [&](int device, int port) {
    const Device& d = devices_[device];
    if (d.tier == Tier::kNic) return d.host + "/" + d.nic;
    return d.id + ":" + std::to_string(port);
  };
  return end(l.from, l.from_port) + " -> " + end(l.to, l.to_port);
}

}  // namespace railcheck::fabric
