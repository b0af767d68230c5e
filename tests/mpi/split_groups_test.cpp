// Sub-communicators from Collective::split carry collectives among exactly their members: run under
// mpirun -n 4. Each rank all-reduces (rank + 1) inside its group and compares with the sum over the group.
#include <cstdint>
#include <cstdio>
#include <functional>
#include <string>
#include <vector>

#include "railcheck/collectives/mpi_collective.h"
#include "railcheck/runtime/mpi_bootstrap.h"

namespace {

using railcheck::Bootstrap;
using railcheck::MpiBootstrap;

int check_grouping(const Bootstrap& bootstrap, railcheck::Collective& world, const std::string& name,
                   const std::vector<int>& colors) {
  const int rank = bootstrap.rank();
  auto group = world.split(colors[static_cast<std::size_t>(rank)], rank);
  if (colors[static_cast<std::size_t>(rank)] < 0) {
    if (group != nullptr) {
      std::fprintf(stderr, "FAIL %s: rank %d with a negative color got a group\n", name.c_str(), rank);
      return 1;
    }
    return 0;
  }
  std::int32_t expected = 0;
  int members = 0;
  for (std::size_t r = 0; r < colors.size(); ++r) {
    if (colors[r] == colors[static_cast<std::size_t>(rank)]) {
      expected += static_cast<std::int32_t>(r) + 1;
      ++members;
    }
  }
  auto buffer = group->allocate(sizeof(std::int32_t));
  const std::int32_t mine = rank + 1;
  group->upload(buffer, 0, std::as_bytes(std::span(&mine, 1)));
  group->run({railcheck::CollectiveKind::kAllReduce, buffer.data(), buffer.data(), 1, railcheck::DataType::kInt32,
              railcheck::ReduceOp::kSum, 0});
  group->synchronize();
  std::int32_t got = 0;
  group->download(buffer, 0, std::as_writable_bytes(std::span(&got, 1)));
  if (group->size() != members || got != expected) {
    std::fprintf(stderr, "FAIL %s: rank %d group size %d (want %d) sum %d (want %d)\n", name.c_str(), rank,
                 group->size(), members, got, expected);
    return 1;
  }
  std::printf("ok %s: rank %d in a group of %d, sum %d\n", name.c_str(), rank, members, got);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  railcheck::MpiRuntime mpi(&argc, &argv);
  int failures = 0;
  {
    const MpiBootstrap bootstrap;
    auto world = railcheck::make_mpi_collective(bootstrap.comm());
    const int n = bootstrap.size();
    std::vector<int> halves, pairs, odd_out;
    for (int r = 0; r < n; ++r) {
      halves.push_back(r < (n + 1) / 2 ? 0 : 1);
      pairs.push_back(r / 2);
      odd_out.push_back(r == n - 1 ? -1 : 0);  // the last rank joins no group
    }
    failures += check_grouping(bootstrap, *world, "halves", halves);
    failures += check_grouping(bootstrap, *world, "pairs", pairs);
    failures += check_grouping(bootstrap, *world, "negative_color", odd_out);
    std::vector<int> world_colors, per_rail, per_node;
    for (const railcheck::RankInfo& info : bootstrap.ranks()) {
      world_colors.push_back(0);
      per_rail.push_back(info.local_rank);
      per_node.push_back(info.node_index);
    }
    failures += check_grouping(bootstrap, *world, "world", world_colors);
    failures += check_grouping(bootstrap, *world, "per_rail", per_rail);
    failures += check_grouping(bootstrap, *world, "per_node", per_node);
    failures = bootstrap.max_over_ranks(failures);
  }
  return failures == 0 ? 0 : 1;
}
