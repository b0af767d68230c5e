#include "railcheck/rank_groups.h"

#include <algorithm>

namespace railcheck {

std::string_view name_of(GroupScheme scheme) {
  switch (scheme) {
    case GroupScheme::kWorld:
      return "world";
    case GroupScheme::kPerRail:
      return "per_rail";
    case GroupScheme::kPerNode:
      return "per_node";
    case GroupScheme::kHalves:
      return "halves";
    case GroupScheme::kPairs:
      return "pairs";
  }
  return "?";
}

std::optional<GroupScheme> parse_group_scheme(std::string_view text) {
  for (GroupScheme scheme :
       {GroupScheme::kWorld, GroupScheme::kPerRail, GroupScheme::kPerNode, GroupScheme::kHalves, GroupScheme::kPairs}) {
    if (name_of(scheme) == text) return scheme;
  }
  return std::nullopt;
}

int group_color(GroupScheme scheme, const RankInfo& info, int num_nodes) {
  switch (scheme) {
    case GroupScheme::kWorld:
      return 0;
    case GroupScheme::kPerRail:
      return info.local_rank;
    case GroupScheme::kPerNode:
      return info.node_index;
    case GroupScheme::kHalves:
      return info.node_index < (num_nodes + 1) / 2 ? 0 : 1;
    case GroupScheme::kPairs:
      return info.node_index / 2;
  }
  return 0;
}

std::vector<int> group_colors(GroupScheme scheme, const std::vector<RankInfo>& ranks) {
  int num_nodes = 0;
  for (const RankInfo& info : ranks) num_nodes = std::max(num_nodes, info.node_index + 1);
  std::vector<int> colors;
  colors.reserve(ranks.size());
  for (const RankInfo& info : ranks) colors.push_back(group_color(scheme, info, num_nodes));
  return colors;
}

}  // namespace railcheck
