#include "railcheck/fabric/ibnetdiscover_import.h"

#include <algorithm>
#include <map>
#include <optional>
#include <queue>
#include <regex>
#include <set>
#include <vector>

#include "railcheck/core/error.h"

namespace railcheck::fabric {
namespace {

struct Node {
  std::string guid;  ///< "S-0002c90200000001" / "H-0002c90300000011", as ibnetdiscover quotes it
  bool is_switch = false;
  std::string description;
};

struct PortLink {
  std::string guid;
  int port = 0;
  std::string peer;
  int peer_port = 0;
  std::size_t line = 0;
};

}  // namespace

Fabric import_ibnetdiscover(std::string_view text, const std::string& source) {
  static const std::regex header(R"re(^(Switch|Ca)\s+\d+\s+"([^"]+)"\s*(?:#\s*"([^"]*)")?)re");
  static const std::regex port_line(R"re(^\[(\d+)\](?:\([0-9a-fA-F]+\))?\s+"([^"]+)"\[(\d+)\])re");
  std::vector<Node> nodes;
  std::map<std::string, std::size_t> node_of;
  std::vector<PortLink> ports;
  std::optional<std::size_t> current;
  auto fail = [&](std::size_t line, const std::string& what) -> InputError {
    return InputError(source + ":" + std::to_string(line) + ": " + what +
                      "; give the output of `ibnetdiscover` (without -p or -l)");
  };
  std::size_t line_number = 0, start = 0;
  while (start < text.size()) {
    const std::size_t end = std::min(text.find('\n', start), text.size());
    const std::string line(text.substr(start, end - start));
    start = end + 1;
    ++line_number;
    std::smatch m;
    if (std::regex_search(line, m, header)) {
      const std::string guid = m[2];
      if (node_of.contains(guid)) throw fail(line_number, "node " + guid + " is listed twice");
      node_of[guid] = nodes.size();
      current = nodes.size();
      nodes.push_back({guid, m[1] == "Switch", m[3]});
    } else if (std::regex_search(line, m, port_line)) {
      if (!current) throw fail(line_number, "a port line before any Switch or Ca header");
      ports.push_back({nodes[*current].guid, std::stoi(m[1]), m[2], std::stoi(m[3]), line_number});
    }
  }
  if (nodes.empty()) throw fail(line_number, "no Switch or Ca node found");
  // A peer listed only from the other end (a partial dump) still becomes a device.
  for (const PortLink& p : ports) {
    if (!node_of.contains(p.peer)) {
      node_of[p.peer] = nodes.size();
      nodes.push_back({p.peer, p.peer.rfind("S-", 0) == 0, ""});
    }
  }
  // One cable per pair of (node, port) ends; a port with two different peers is an error.
  std::map<std::pair<std::string, int>, std::pair<std::string, int>> peer_of;
  std::vector<std::pair<std::pair<std::string, int>, std::pair<std::string, int>>> cables;
  for (const PortLink& p : ports) {
    const std::pair a{p.guid, p.port}, b{p.peer, p.peer_port};
    for (const auto& [end, other] : {std::pair{a, b}, std::pair{b, a}}) {
      const auto it = peer_of.find(end);
      if (it != peer_of.end() && it->second != other) {
        throw fail(p.line, end.first + " port " + std::to_string(end.second) + " is cabled to both " +
                               it->second.first + "[" + std::to_string(it->second.second) + "] and " + other.first +
                               "[" + std::to_string(other.second) + "]");
      }
    }
    if (peer_of.contains(a)) continue;  // seen from the other end already
    peer_of[a] = b;
    peer_of[b] = a;
    cables.push_back({a, b});
  }
  // Tiers: hops from the nearest NIC (breadth first over the cables).
  std::map<std::string, std::vector<std::string>> neighbours;
  for (const auto& [a, b] : cables) {
    neighbours[a.first].push_back(b.first);
    neighbours[b.first].push_back(a.first);
  }
  std::map<std::string, int> hops;
  std::queue<std::string> frontier;
  for (const Node& n : nodes) {
    if (!n.is_switch) {
      hops[n.guid] = 0;
      frontier.push(n.guid);
    }
  }
  while (!frontier.empty()) {
    const std::string guid = frontier.front();
    frontier.pop();
    for (const std::string& next : neighbours[guid]) {
      if (!hops.contains(next)) {
        hops[next] = hops[guid] + 1;
        frontier.push(next);
      }
    }
  }
  Fabric fabric;
  for (const Node& n : nodes) {  // switches first, as tiers, then NICs, each in the order listed
    if (!n.is_switch) continue;
    const auto h = hops.find(n.guid);
    if (h == hops.end() || h->second > 3) {
      throw fail(line_number, "switch " + n.guid +
                                  (h == hops.end() ? " reaches no NIC" : " is more than three hops from every NIC") +
                                  " (railcheck models leaf, spine and core tiers)");
    }
    fabric.add_device({n.guid, static_cast<Tier>(h->second), "", "", -1, n.description});
  }
  for (const Node& n : nodes) {
    if (n.is_switch) continue;
    const auto space = n.description.rfind(' ');
    const std::string host = space == std::string::npos ? n.description : n.description.substr(0, space);
    const std::string device = space == std::string::npos ? std::string() : n.description.substr(space + 1);
    fabric.add_device({n.guid, Tier::kNic, host.empty() ? n.guid : host, device, -1, n.description});
  }
  for (const auto& [a, b] : cables) fabric.add_cable(*fabric.find(a.first), a.second, *fabric.find(b.first), b.second);
  return fabric;
}

}  // namespace railcheck::fabric
