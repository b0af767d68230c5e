#include "railcheck/fabric/cabling_csv_import.h"

#include <charconv>
#include <map>
#include <optional>
#include <stdexcept>
#include <vector>

#include "railcheck/core/error.h"
#include "text_lines.h"

namespace railcheck::fabric {
namespace {

/// The fields of one CSV line; nullopt for an unterminated quote.
std::optional<std::vector<std::string>> split_fields(std::string_view line) {
  std::vector<std::string> fields(1);
  bool quoted = false;
  for (std::size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (quoted) {
      if (c == '"' && i + 1 < line.size() && line[i + 1] == '"') {
        fields.back() += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        fields.back() += c;
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      fields.emplace_back();
    } else if (c != '\r') {
      fields.back() += c;
    }
  }
  if (quoted) return std::nullopt;
  for (std::string& f : fields) {
    const auto begin = f.find_first_not_of(" \t"), end = f.find_last_not_of(" \t");
    f = begin == std::string::npos ? "" : f.substr(begin, end - begin + 1);
  }
  return fields;
}

std::optional<Tier> tier_of(const std::string& text) {
  if (text == "leaf") return Tier::kLeaf;
  if (text == "spine") return Tier::kSpine;
  if (text == "core") return Tier::kCore;
  if (text == "nic") return Tier::kNic;
  return std::nullopt;
}

struct PlannedDevice {
  std::optional<Tier> tier;
  int rail = -1;
  std::size_t line = 0;  ///< where it was first named
};

}  // namespace

Fabric import_cabling_csv(std::string_view text, const std::string& source) {
  std::map<std::string, std::size_t> column;
  struct Row {
    std::size_t line;
    std::string a, b;
    int a_port, b_port;
  };
  std::vector<Row> rows;
  std::map<std::string, PlannedDevice> devices;
  std::vector<std::string> order;  // devices in the order first named
  bool header = false;
  std::string failure;
  for_each_line(text, [&](std::size_t line, const std::string& raw) {
    if (!failure.empty()) return;
    auto fail = [&](const std::string& what) { failure = source + ":" + std::to_string(line) + ": " + what; };
    const auto first = raw.find_first_not_of(" \t\r");
    if (first == std::string_view::npos || raw[first] == '#') return;
    const auto fields = split_fields(raw);
    if (!fields) return fail("unterminated quote; close it or remove it");
    if (!header) {
      for (std::size_t i = 0; i < fields->size(); ++i) column[(*fields)[i]] = i;
      for (const char* need : {"a_device", "a_port", "b_device", "b_port"}) {
        if (!column.contains(need)) {
          return fail(std::string("the header has no column ") + need +
                      "; the first row names the columns: a_device,a_port,b_device,b_port[,a_tier,b_tier,a_rail,"
                      "b_rail]");
        }
      }
      header = true;
      return;
    }
    if (fields->size() != column.size()) {
      return fail(std::to_string(fields->size()) + " fields, the header has " + std::to_string(column.size()) +
                  "; one row per cable, every column in every row (empty is fine)");
    }
    auto field = [&](const std::string& name) -> std::string {
      const auto it = column.find(name);
      return it == column.end() ? std::string() : (*fields)[it->second];
    };
    Row row{line, field("a_device"), field("b_device"), 0, 0};
    for (const auto& [end, port] : {std::pair{"a", &row.a_port}, std::pair{"b", &row.b_port}}) {
      const std::string name = field(std::string(end) + "_device");
      const std::string port_text = field(std::string(end) + "_port");
      if (name.empty()) return fail(std::string(end) + "_device is empty; name the device");
      const auto parsed = std::from_chars(port_text.data(), port_text.data() + port_text.size(), *port);
      if (parsed.ec != std::errc() || parsed.ptr != port_text.data() + port_text.size() || *port < 1) {
        return fail(std::string(end) + "_port '" + port_text + "' is not a port number (1, 2, ...)");
      }
      const bool nic = name.find('/') != std::string::npos;
      const std::string tier_text = field(std::string(end) + "_tier");
      std::optional<Tier> tier =
          tier_text.empty() ? (nic ? std::optional(Tier::kNic) : std::nullopt) : tier_of(tier_text);
      if (!tier_text.empty() && !tier) {
        return fail(std::string(end) + "_tier '" + tier_text + "' is not leaf, spine, core or nic");
      }
      if (tier && (*tier == Tier::kNic) != nic) {
        return fail(name + ": a NIC port is named host/dev and only a NIC is; fix the name or the tier");
      }
      auto [it, added] = devices.try_emplace(name, PlannedDevice{tier, -1, line});
      if (added) order.push_back(name);
      if (tier && it->second.tier && *it->second.tier != *tier) {
        return fail(name + " is given tier " + std::string(name_of(*tier)) + " here and " +
                    std::string(name_of(*it->second.tier)) + " on line " + std::to_string(it->second.line) +
                    "; one tier per device");
      }
      if (tier) it->second.tier = tier;
      const std::string rail_text = field(std::string(end) + "_rail");
      if (!rail_text.empty()) {
        int rail = -1;
        const auto r = std::from_chars(rail_text.data(), rail_text.data() + rail_text.size(), rail);
        if (r.ec != std::errc() || r.ptr != rail_text.data() + rail_text.size() || rail < 0) {
          return fail(std::string(end) + "_rail '" + rail_text + "' is not a rail number (0, 1, ...)");
        }
        it->second.rail = rail;
      }
    }
    rows.push_back(row);
  });
  if (!failure.empty()) throw InputError(failure);
  if (!header)
    throw InputError(source + ": no header row; the first row names the columns: a_device,a_port,b_device,b_port");
  Fabric fabric;
  std::map<std::string, int> index;
  for (const std::string& name : order) {
    const PlannedDevice& d = devices.at(name);
    if (!d.tier) {
      throw InputError(source + ":" + std::to_string(d.line) + ": switch " + name +
                       " has no tier in any row; give it in a_tier / b_tier (leaf, spine or core)");
    }
    Device device{name, *d.tier, "", "", d.rail, ""};
    if (*d.tier == Tier::kNic) {
      device.host = name.substr(0, name.find('/'));
      device.nic = name.substr(name.find('/') + 1);
    }
    index[name] = fabric.add_device(device);
  }
  for (const Row& row : rows) {
    try {
      fabric.add_cable(index.at(row.a), row.a_port, index.at(row.b), row.b_port);
    } catch (const std::invalid_argument& e) {
      throw InputError(source + ":" + std::to_string(row.line) + ": " + e.what() +
                       "; one row per cable, each port once");
    }
  }
  return fabric;
}

Fabric name_keyed(const Fabric& fabric, const std::string& source) {
  auto key_of_device = [](const Device& d) {
    if (d.tier == Tier::kNic && !d.host.empty() && !d.nic.empty()) return d.host + "/" + d.nic;
    if (d.name.empty()) return d.id;
    const auto semicolon = d.name.find(';'), colon = d.name.find(':', semicolon == std::string::npos ? 0 : semicolon);
    if (semicolon != std::string::npos && colon != std::string::npos && colon > semicolon + 1) {
      return d.name.substr(semicolon + 1, colon - semicolon - 1);
    }
    return d.name;
  };
  Fabric out;
  std::map<std::string, std::string> taken;  // key -> the id that took it
  for (const Device& d : fabric.devices()) {
    Device copy = d;
    copy.id = key_of_device(d);
    if (const auto it = taken.find(copy.id); it != taken.end()) {
      throw InputError(source + ": devices " + it->second + " and " + d.id + " are both named " + copy.id +
                       "; names must be unique to match a plan by name");
    }
    taken[copy.id] = d.id;
    out.add_device(copy);
  }
  for (std::size_t l = 0; l < fabric.links().size(); l += 2) {
    const DirectedLink& link = fabric.links()[l];
    out.add_cable(link.from, link.from_port, link.to, link.to_port);
  }
  return out;
}

}  // namespace railcheck::fabric
