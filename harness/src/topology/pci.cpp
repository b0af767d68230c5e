#include "railcheck/topology/pci.h"

#include <cctype>
#include <charconv>
#include <cstdio>

namespace railcheck {
namespace {

bool all_hex(std::string_view text) {
  if (text.empty()) return false;
  for (char c : text) {
    if (!std::isxdigit(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

// "pci0000:15" (also a VMD domain such as "pci10000:e0").
bool is_host_bridge(std::string_view text) {
  if (text.substr(0, 3) != "pci") return false;
  text.remove_prefix(3);
  const auto colon = text.find(':');
  return colon != std::string_view::npos && all_hex(text.substr(0, colon)) && text.size() - colon - 1 == 2 &&
         all_hex(text.substr(colon + 1));
}

std::vector<std::string_view> split_path(std::string_view path) {
  std::vector<std::string_view> parts;
  while (!path.empty()) {
    const auto slash = path.find('/');
    const std::string_view part = path.substr(0, slash);
    if (!part.empty()) parts.push_back(part);
    if (slash == std::string_view::npos) break;
    path.remove_prefix(slash + 1);
  }
  return parts;
}

int parse_int(const std::optional<std::string>& text, int fallback) {
  if (!text) return fallback;
  int value = fallback;
  const char* begin = text->data();
  const auto [end, ec] = std::from_chars(begin, begin + text->size(), value);
  return ec == std::errc() && end == begin + text->size() ? value : fallback;
}

}  // namespace

bool is_pci_bus_id(std::string_view text) {
  // domain (4+ hex) ':' bus (2) ':' device (2) '.' function (1)
  if (text.size() < 12) return false;
  const std::size_t n = text.size();
  return text[n - 2] == '.' && text[n - 5] == ':' && text[n - 8] == ':' && all_hex(text.substr(0, n - 8)) &&
         all_hex(text.substr(n - 7, 2)) && all_hex(text.substr(n - 4, 2)) && all_hex(text.substr(n - 1));
}

std::optional<std::string> normalize_pci_bus_id(std::string_view text) {
  if (!is_pci_bus_id(text)) return std::nullopt;
  std::string domain(text.substr(0, text.size() - 8));
  while (domain.size() > 4 && domain.front() == '0') domain.erase(domain.begin());
  std::string result = domain + std::string(text.substr(text.size() - 8));
  for (char& c : result) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return result;
}

std::optional<int> pcie_gen_from_speed(std::string_view text) {
  double gts = 0.0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), gts);
  if (ec != std::errc() || std::string_view(end, text.data() + text.size()).substr(0, 5) != " GT/s") {
    return std::nullopt;
  }
  struct Step {
    double gts;
    int gen;
  };
  for (const Step step :
       {Step{2.5, 1}, Step{5.0, 2}, Step{8.0, 3}, Step{16.0, 4}, Step{32.0, 5}, Step{64.0, 6}, Step{128.0, 7}}) {
    if (gts > step.gts - 0.01 && gts < step.gts + 0.01) return step.gen;
  }
  return std::nullopt;
}

std::optional<PciPlacement> placement_from_device_path(const SysfsRoot& sysfs, const std::string& device_path) {
  const std::vector<std::string_view> parts = split_path(device_path);
  PciPlacement placement;
  std::string device_dir;
  bool in_tree = false;
  std::vector<std::string> chain;
  for (std::string_view part : parts) {
    if (!in_tree) {
      device_dir += "/" + std::string(part);
      if (is_host_bridge(part)) {
        in_tree = true;
        placement.host_bridge = std::string(part);
      }
      continue;
    }
    if (is_host_bridge(part)) {  // a nested domain (Intel VMD): keep walking down its chain
      device_dir += "/" + std::string(part);
      continue;
    }
    if (!is_pci_bus_id(part)) break;
    device_dir += "/" + std::string(part);
    chain.emplace_back(part);
  }
  if (chain.empty()) return std::nullopt;
  placement.bus_id = normalize_pci_bus_id(chain.back()).value_or(chain.back());
  chain.pop_back();
  for (const std::string& bridge : chain) placement.bridges.push_back(normalize_pci_bus_id(bridge).value_or(bridge));
  placement.numa_node = parse_int(sysfs.read_line(device_dir + "/numa_node"), -1);
  return placement;
}

std::optional<PciPlacement> pci_placement(const SysfsRoot& sysfs, const std::string& bus_id) {
  const auto real = sysfs.resolve("/sys/bus/pci/devices/" + bus_id);
  if (!real) return std::nullopt;
  return placement_from_device_path(sysfs, *real);
}

PcieLink read_pcie_link(const SysfsRoot& sysfs, const std::string& bus_id) {
  const std::string dir = "/sys/bus/pci/devices/" + bus_id + "/";
  PcieLink link;
  link.current_gen = pcie_gen_from_speed(sysfs.read_line(dir + "current_link_speed").value_or("")).value_or(0);
  link.max_gen = pcie_gen_from_speed(sysfs.read_line(dir + "max_link_speed").value_or("")).value_or(0);
  link.current_width = parse_int(sysfs.read_line(dir + "current_link_width"), 0);
  link.max_width = parse_int(sysfs.read_line(dir + "max_link_width"), 0);
  return link;
}

std::string format_link(int gen, int width) {
  return "gen" + (gen > 0 ? std::to_string(gen) : std::string("?")) + " x" +
         (width > 0 ? std::to_string(width) : std::string("?"));
}

}  // namespace railcheck
