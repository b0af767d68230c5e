// Colors for splitting the world into groups (MPI_Comm_split / ncclCommSplit semantics: same color, same
// group; key orders ranks inside it). Pure functions of the rank table, so every rank computes the same.
#pragma once

#include <optional>
#include <string_view>
#include <vector>

#include "railcheck/bootstrap.h"

namespace railcheck {

enum class GroupScheme {
  kWorld,    ///< everyone together
  kPerRail,  ///< rail i = the ranks with local rank i on every node (GPU i + NIC i)
  kPerNode,  ///< the ranks of one host
  kHalves,   ///< first and second half of the nodes (for bisection)
  kPairs,    ///< nodes 2k and 2k+1 (an odd node out is alone)
};

std::string_view name_of(GroupScheme scheme);
std::optional<GroupScheme> parse_group_scheme(std::string_view text);

/// The color of `info` under `scheme` given `num_nodes` nodes.
int group_color(GroupScheme scheme, const RankInfo& info, int num_nodes);

/// Every rank's color, indexed by rank.
std::vector<int> group_colors(GroupScheme scheme, const std::vector<RankInfo>& ranks);

}  // namespace railcheck
