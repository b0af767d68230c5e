#include "railcheck/fabric/iblinkinfo_import.h"

#include <algorithm>
#include <map>
#include <regex>
#include <set>

#include "discovered_fabric.h"

namespace railcheck::fabric {
namespace {

// "0x2c90200000001" -> "2c90200000001" padded to 16 lower-case hex digits.
std::string guid(std::string hex) {
  std::transform(hex.begin(), hex.end(), hex.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return std::string(hex.size() < 16 ? 16 - hex.size() : 0, '0') + hex;
}

}  // namespace

Fabric import_iblinkinfo(std::string_view text, const std::string& source) {
  static const std::regex row(
      R"re(^\s*0x([0-9a-fA-F]+)\s+"([^"]*)"\s+\d+\s+(\d+)\[[^\]]*\]\s+==\(.*\)==>\s*(?:0x([0-9a-fA-F]+)\s+\d+\s+(\d+)\[[^\]]*\]\s+"([^"]*)")?)re");
  const ImportError fail = [&](std::size_t line, const std::string& what) {
    return InputError(source + ":" + std::to_string(line) + ": " + what +
                      "; give the output of `iblinkinfo --line --switches-only`");
  };
  struct Row {
    std::string node, description, peer, peer_description;
    int port = 0, peer_port = 0;
    std::size_t line = 0;
  };
  std::vector<Row> rows;
  const std::size_t line_number = for_each_line(text, [&](std::size_t number, const std::string& line) {
    if (line.find_first_not_of(" \t\r") == std::string::npos || line.front() == '#') return;
    std::smatch m;
    if (!std::regex_search(line, m, row)) throw fail(number, "not a port line: '" + line.substr(0, 60) + "'");
    rows.push_back({guid(m[1]), m[2], m[4].matched ? guid(m[4]) : "", m[6], port_number(m[3], number, fail),
                    m[5].matched ? port_number(m[5], number, fail) : 0, number});
  });
  if (rows.empty()) throw fail(line_number, "no port line found");
  std::set<std::string> switches;
  for (const Row& r : rows) switches.insert(r.node);
  std::vector<DiscoveredNode> nodes;
  std::set<std::string> listed;
  auto id_of = [&](const std::string& g) { return (switches.contains(g) ? "S-" : "H-") + g; };
  for (const Row& r : rows) {  // switches in the order they list ports, then the adapters in the order they appear
    if (listed.insert(r.node).second) nodes.push_back({id_of(r.node), true, r.description});
  }
  std::vector<DiscoveredPort> ports;
  for (const Row& r : rows) {
    if (r.peer.empty()) continue;  // nothing cabled
    if (!switches.contains(r.peer) && listed.insert(r.peer).second) {
      nodes.push_back({id_of(r.peer), false, r.peer_description});
    }
    ports.push_back({id_of(r.node), r.port, id_of(r.peer), r.peer_port, r.line});
  }
  return build_discovered_fabric(std::move(nodes), ports, fail, line_number);
}

}  // namespace railcheck::fabric
