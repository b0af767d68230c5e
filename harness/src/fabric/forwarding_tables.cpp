#include "railcheck/fabric/forwarding_tables.h"

#include <algorithm>
#include <cctype>
#include <regex>

#include "railcheck/core/error.h"
#include "text_lines.h"

namespace railcheck::fabric {
std::string guid_key(std::string hex) {
  std::transform(hex.begin(), hex.end(), hex.begin(), [](unsigned char c) { return std::tolower(c); });
  return std::string(hex.size() < 16 ? 16 - hex.size() : 0, '0') + hex;
}

ForwardingTables parse_forwarding_tables(std::string_view text, const std::string& source) {
  static const std::regex header(
      R"re(^Unicast lids \[[^\]]*\] of switch .*guid 0x([0-9a-fA-F]{1,16}) \('?(.*?)'?\):\s*$)re");
  static const std::regex entry(R"re(^0x([0-9a-fA-F]{1,4})\s+(\d{1,3})(?:\s+(.*))?$)re");
  static const std::regex adapter(R"re(Channel Adapter portguid 0x[0-9a-fA-F]+: '(.*)'\)?\s*$)re");
  static const std::regex title(R"re(^\s*(Lid\s+Out\s+Destination|Port\s+Info)\s*$)re");
  static const std::regex count(R"re(^\d+ (valid )?lids dumped\s*$)re");
  ForwardingTables tables;
  ForwardingTable* current = nullptr;
  const auto fail = [&](std::size_t line, const std::string& what) {
    return InputError(source + ":" + std::to_string(line) + ": " + what +
                      "; give `dump_lfts.sh` / `ibroute` output with destinations resolved (not -n), or OpenSM's "
                      "opensm-lfts.dump");
  };
  for_each_line(text, [&](std::size_t number, const std::string& line) {
    std::smatch m;
    if (line.find_first_not_of(" \t\r") == std::string::npos || line.starts_with('#') ||
        std::regex_match(line, title) || std::regex_match(line, count)) {
      return;
    }
    if (std::regex_match(line, m, header)) {
      const std::string guid = guid_key(m[1]);
      if (tables.by_guid.contains(guid)) {
        throw fail(number, "switch 0x" + guid + " is dumped twice (first at line " +
                               std::to_string(tables.by_guid.at(guid).line) + ")");
      }
      current = &tables.by_guid[guid];
      current->guid = guid;
      current->name = m[2];
      current->line = number;
      return;
    }
    if (std::regex_match(line, m, entry)) {
      if (current == nullptr) throw fail(number, "a forwarding entry before any \"Unicast lids ... of switch\" header");
      const int lid = std::stoi(m[1].str(), nullptr, 16);
      const long port = std::stol(m[2].str());
      if (lid <= 0 || lid > 0xBFFF || port > 255) throw fail(number, "LID or port out of range");
      current->out_port[lid] = static_cast<int>(port);
      std::smatch a;
      const std::string info = m[3];
      if (std::regex_search(info, a, adapter)) {
        const std::string name = a[1];
        const auto [it, added] = tables.adapter_lid.try_emplace(name, lid);
        if (!added && it->second != lid) {
          throw fail(number, "adapter '" + name + "' answers on LID " + std::to_string(it->second) + " and " +
                                 std::to_string(lid) + " (LMC above 0 is not read; give each adapter one name)");
        }
      }
      return;
    }
    throw fail(number, "not a forwarding table line: \"" + line.substr(0, 80) + "\"");
  });
  if (tables.by_guid.empty()) throw fail(1, "no switch's table found");
  return tables;
}

}  // namespace railcheck::fabric
