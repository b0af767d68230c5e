#include "railcheck/topology/affinity.h"

#include <algorithm>
#include <array>
#include <utility>

namespace railcheck {
namespace {

constexpr std::array<std::pair<Affinity, std::string_view>, 5> kNames{{
    {Affinity::kPix, "PIX"},
    {Affinity::kPxb, "PXB"},
    {Affinity::kPhb, "PHB"},
    {Affinity::kNode, "NODE"},
    {Affinity::kSys, "SYS"},
}};

}  // namespace

std::string_view name_of(Affinity affinity) {
  for (const auto& [value, name] : kNames) {
    if (value == affinity) return name;
  }
  return "SYS";
}

std::optional<Affinity> parse_affinity(std::string_view text) {
  for (const auto& [value, name] : kNames) {
    if (name == text) return value;
  }
  return std::nullopt;
}

Affinity classify_affinity(const PciPlacement& a, const PciPlacement& b) {
  if (a.host_bridge.empty() || b.host_bridge.empty()) return Affinity::kSys;
  if (a.host_bridge != b.host_bridge) return a.numa_node == b.numa_node ? Affinity::kNode : Affinity::kSys;
  const auto [end_a, end_b] = std::mismatch(a.bridges.begin(), a.bridges.end(), b.bridges.begin(), b.bridges.end());
  const auto shared = end_a - a.bridges.begin();
  if (shared == 0) return Affinity::kPhb;
  const auto below_a = a.bridges.end() - end_a;
  const auto below_b = b.bridges.end() - end_b;
  return below_a <= 1 && below_b <= 1 ? Affinity::kPix : Affinity::kPxb;
}

}  // namespace railcheck
