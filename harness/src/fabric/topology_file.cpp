#include "railcheck/fabric/topology_file.h"

#include <algorithm>
#include <map>
#include <sstream>
#include <stdexcept>
#include <vector>

#include "railcheck/core/error.h"
#include "text_lines.h"

namespace railcheck::fabric {
namespace {

struct Line {
  std::string keyword;
  std::map<std::string, std::string> fields;
};

// "keyword k=v k="v w" ... # comment" -> keyword and fields; throws std::invalid_argument describing the problem.
Line tokenize(std::string_view text) {
  Line line;
  std::size_t i = 0;
  auto skip_space = [&] {
    while (i < text.size() && (text[i] == ' ' || text[i] == '\t' || text[i] == '\r')) ++i;
  };
  skip_space();
  while (i < text.size() && text[i] != ' ' && text[i] != '\t' && text[i] != '#') line.keyword += text[i++];
  for (;;) {
    skip_space();
    if (i >= text.size() || text[i] == '#') break;
    std::string key;
    while (i < text.size() && text[i] != '=' && text[i] != ' ' && text[i] != '\t') key += text[i++];
    if (i >= text.size() || text[i] != '=') throw std::invalid_argument("'" + key + "' has no value (write key=value)");
    ++i;
    std::string value;
    if (i < text.size() && text[i] == '"') {
      ++i;
      bool closed = false;
      while (i < text.size()) {
        if (text[i] == '\\' && i + 1 < text.size()) {
          value += text[i + 1];
          i += 2;
        } else if (text[i] == '"') {
          ++i;
          closed = true;
          break;
        } else {
          value += text[i++];
        }
      }
      if (!closed) throw std::invalid_argument("the value of '" + key + "' has no closing quote");
    } else {
      while (i < text.size() && text[i] != ' ' && text[i] != '\t' && text[i] != '\r') value += text[i++];
    }
    if (!line.fields.emplace(key, value).second) throw std::invalid_argument("'" + key + "' is given twice");
  }
  return line;
}

std::string take(Line& line, const std::string& key, bool required) {
  const auto it = line.fields.find(key);
  if (it == line.fields.end()) {
    if (required) throw std::invalid_argument(line.keyword + " needs " + key + "=");
    return "";
  }
  std::string value = it->second;
  line.fields.erase(it);
  return value;
}

int number(const std::string& text, const std::string& what) {
  try {
    std::size_t used = 0;
    const int value = std::stoi(text, &used);
    if (used == text.size() && value >= 0) return value;
  } catch (const std::exception&) {
  }
  throw std::invalid_argument(what + " '" + text + "' is not a number >= 0");
}

// "<id>:<port>" -> device index and port.
std::pair<int, int> endpoint(const Fabric& fabric, const std::string& text, const std::string& field) {
  const auto colon = text.rfind(':');
  if (colon == std::string::npos) throw std::invalid_argument(field + "=" + text + " must be <device id>:<port>");
  const std::string id = text.substr(0, colon);
  const auto device = fabric.find(id);
  if (!device) throw std::invalid_argument(field + "=" + text + ": no device '" + id + "' declared above");
  return {*device, number(text.substr(colon + 1), field + " port")};
}

// `value` as the file writes it: in double quotes when it must be (or `always`: a description).
std::string quoted(const std::string& value, bool always = false) {
  const bool plain =
      !always && !value.empty() && value.find_first_of(" \t#=\"\\") == std::string::npos &&
      std::none_of(value.begin(), value.end(), [](char c) { return static_cast<unsigned char>(c) < 0x20; });
  if (plain) return value;
  std::string out = "\"";
  for (const char c : value) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

}  // namespace

Fabric parse_topology(std::string_view text, const std::string& source) {
  Fabric fabric;
  for_each_line(text, [&](std::size_t line_number, const std::string& raw) {
    try {
      Line line = tokenize(raw);
      if (line.keyword.empty()) return;
      if (line.keyword == "switch" || line.keyword == "nic") {
        Device d;
        d.id = take(line, "id", true);
        d.name = take(line, "name", false);
        const std::string rail = take(line, "rail", false);
        d.rail = rail.empty() ? -1 : number(rail, "rail");
        if (line.keyword == "nic") {
          d.tier = Tier::kNic;
          d.host = take(line, "host", true);
          d.nic = take(line, "dev", true);
        } else {
          const std::string tier = take(line, "tier", true);
          if (tier == "leaf")
            d.tier = Tier::kLeaf;
          else if (tier == "spine")
            d.tier = Tier::kSpine;
          else if (tier == "core")
            d.tier = Tier::kCore;
          else
            throw std::invalid_argument("tier=" + tier + " must be leaf, spine or core");
        }
        if (!line.fields.empty()) throw std::invalid_argument("unknown field '" + line.fields.begin()->first + "'");
        fabric.add_device(std::move(d));
      } else if (line.keyword == "cable") {
        const auto a = endpoint(fabric, take(line, "a", true), "a");
        const auto b = endpoint(fabric, take(line, "b", true), "b");
        take(line, "serial", false);  // kept by a cabling plan, not by the model (yet)
        take(line, "speed", false);
        if (!line.fields.empty()) throw std::invalid_argument("unknown field '" + line.fields.begin()->first + "'");
        fabric.add_cable(a.first, a.second, b.first, b.second);
      } else {
        throw std::invalid_argument("unknown keyword '" + line.keyword + "' (switch, nic or cable)");
      }
    } catch (const std::invalid_argument& e) {
      throw InputError(source + ":" + std::to_string(line_number) + ": " + e.what() +
                       "; see docs/fabric.md for the topology format");
    }
  });
  return fabric;
}

std::string write_topology(const Fabric& fabric) {
  std::ostringstream out;
  out << "# railcheck-topo v1\n";
  for (const Device& d : fabric.devices()) {
    if (d.tier == Tier::kNic) {
      out << "nic id=" << quoted(d.id) << " host=" << quoted(d.host) << " dev=" << quoted(d.nic);
    } else {
      out << "switch id=" << quoted(d.id) << " tier=" << name_of(d.tier);
    }
    if (d.rail >= 0) out << " rail=" << d.rail;
    if (!d.name.empty()) out << " name=" << quoted(d.name, true);
    out << "\n";
  }
  for (std::size_t link = 0; link < fabric.links().size(); link += 2) {
    const DirectedLink& l = fabric.links()[link];
    out << "cable a=" << quoted(fabric.device(l.from).id + ":" + std::to_string(l.from_port))
        << " b=" << quoted(fabric.device(l.to).id + ":" + std::to_string(l.to_port)) << "\n";
  }
  return out.str();
}

}  // namespace railcheck::fabric
