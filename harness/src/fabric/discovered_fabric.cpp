#include "discovered_fabric.h"

#include <algorithm>
#include <map>
#include <queue>

namespace railcheck::fabric {

int port_number(const std::string& digits, std::size_t line, const ImportError& fail) {
  try {
    return std::stoi(digits);
  } catch (const std::exception&) {
    throw fail(line, "port " + digits + " is not a port number");
  }
}

Fabric build_discovered_fabric(std::vector<DiscoveredNode> nodes, const std::vector<DiscoveredPort>& ports,
                               const ImportError& fail, std::size_t last_line) {
  std::map<std::string, std::size_t> node_of;
  for (std::size_t i = 0; i < nodes.size(); ++i) node_of[nodes[i].id] = i;
  // A peer listed only from the other end (a partial dump) still becomes a device.
  for (const DiscoveredPort& p : ports) {
    if (!node_of.contains(p.peer)) {
      node_of[p.peer] = nodes.size();
      nodes.push_back({p.peer, p.peer.rfind("S-", 0) == 0, ""});
    }
  }
  // One cable per pair of (node, port) ends; a port with two different peers is an error.
  using End = std::pair<std::string, int>;
  std::map<End, End> peer_of;
  std::vector<std::pair<End, End>> cables;
  for (const DiscoveredPort& p : ports) {
    const End a{p.id, p.port}, b{p.peer, p.peer_port};
    if (p.peer == p.id) {
      throw fail(p.line, p.id + " port " + std::to_string(p.port) + " is listed as cabled to its own port " +
                             std::to_string(p.peer_port) + " (a loopback plug is not a fabric link)");
    }
    for (const auto& [end, other] : {std::pair{a, b}, std::pair{b, a}}) {
      const auto it = peer_of.find(end);
      if (it != peer_of.end() && it->second != other) {
        throw fail(p.line, end.first + " port " + std::to_string(end.second) + " is cabled to both " +
                               it->second.first + "[" + std::to_string(it->second.second) + "] and " + other.first +
                               "[" + std::to_string(other.second) + "]");
      }
    }
    if (peer_of.contains(a)) continue;  // listed from the other end already
    peer_of[a] = b;
    peer_of[b] = a;
    cables.push_back({a, b});
  }
  // Tiers: hops from the nearest NIC, breadth first over the cables.
  std::map<std::string, std::vector<std::string>> neighbours;
  for (const auto& [a, b] : cables) {
    neighbours[a.first].push_back(b.first);
    neighbours[b.first].push_back(a.first);
  }
  std::map<std::string, int> hops;
  std::queue<std::string> frontier;
  for (const DiscoveredNode& n : nodes) {
    if (!n.is_switch) {
      hops[n.id] = 0;
      frontier.push(n.id);
    }
  }
  while (!frontier.empty()) {
    const std::string id = frontier.front();
    frontier.pop();
    for (const std::string& next : neighbours[id]) {
      if (!hops.contains(next)) {
        hops[next] = hops[id] + 1;
        frontier.push(next);
      }
    }
  }
  Fabric fabric;
  for (const DiscoveredNode& n : nodes) {
    if (!n.is_switch) continue;
    const auto h = hops.find(n.id);
    if (h == hops.end() || h->second > 3) {
      throw fail(last_line, "switch " + n.id +
                                (h == hops.end() ? " reaches no NIC" : " is more than three hops from every NIC") +
                                " (railcheck models leaf, spine and core tiers)");
    }
    fabric.add_device({n.id, static_cast<Tier>(h->second), "", "", -1, n.description});
  }
  for (const DiscoveredNode& n : nodes) {
    if (n.is_switch) continue;
    const auto space = n.description.rfind(' ');
    const std::string host = space == std::string::npos ? n.description : n.description.substr(0, space);
    const std::string device = space == std::string::npos ? std::string() : n.description.substr(space + 1);
    fabric.add_device({n.id, Tier::kNic, host.empty() ? n.id : host, device, -1, n.description});
  }
  for (const auto& [a, b] : cables) fabric.add_cable(*fabric.find(a.first), a.second, *fabric.find(b.first), b.second);
  return fabric;
}

}  // namespace railcheck::fabric
