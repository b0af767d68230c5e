#include "railcheck/fabric/ibnetdiscover_import.h"

#include <algorithm>
#include <map>
#include <optional>
#include <regex>
#include <vector>

#include "discovered_fabric.h"

namespace railcheck::fabric {

Fabric import_ibnetdiscover(std::string_view text, const std::string& source) {
  static const std::regex header(R"re(^(Switch|Ca)\s+\d+\s+"([^"]+)"\s*(?:#\s*"([^"]*)")?)re");
  static const std::regex port_line(R"re(^\[(\d+)\](?:\([0-9a-fA-F]+\))?\s+"([^"]+)"\[(\d+)\])re");
  std::vector<DiscoveredNode> nodes;
  std::map<std::string, std::size_t> node_of;
  std::vector<DiscoveredPort> ports;
  std::optional<std::size_t> current;
  const ImportError fail = [&](std::size_t line, const std::string& what) {
    return InputError(source + ":" + std::to_string(line) + ": " + what +
                      "; give the output of `ibnetdiscover` (without -p or -l)");
  };
  const std::size_t line_number = for_each_line(text, [&](std::size_t number, const std::string& line) {
    std::smatch m;
    if (std::regex_search(line, m, header)) {
      const std::string guid = m[2];
      if (node_of.contains(guid)) throw fail(number, "node " + guid + " is listed twice");
      node_of[guid] = nodes.size();
      current = nodes.size();
      nodes.push_back({guid, m[1] == "Switch", m[3]});
    } else if (std::regex_search(line, m, port_line)) {
      if (!current) throw fail(number, "a port line before any Switch or Ca header");
      ports.push_back(
          {nodes[*current].id, port_number(m[1], number, fail), m[2], port_number(m[3], number, fail), number});
    }
  });
  if (nodes.empty()) throw fail(line_number, "no Switch or Ca node found");
  return build_discovered_fabric(std::move(nodes), ports, fail, line_number);
}

}  // namespace railcheck::fabric
