// The CPU affinity in the manifest: cpu-list formatting and the single-CPU console note.
#include <gtest/gtest.h>

#include "railcheck/record/manifest.h"
#include "railcheck/runtime/cpu_affinity.h"

namespace railcheck {
namespace {

TEST(CpuAffinity, ListFormatJoinsRunsOfThreeOrMore) {
  EXPECT_EQ(format_cpu_list({}), "");
  EXPECT_EQ(format_cpu_list({0}), "0");
  EXPECT_EQ(format_cpu_list({0, 1}), "0,1");
  EXPECT_EQ(format_cpu_list({0, 1, 2, 5, 7, 8, 9}), "0-2,5,7-9");
  EXPECT_EQ(format_cpu_list({3, 4, 5, 6, 64, 65, 66, 67}), "3-6,64-67");
}

TEST(CpuAffinity, ThisProcessHasAtLeastOneCpuAndItsListAgrees) {
  const CpuAffinity affinity = current_cpu_affinity();
  ASSERT_GE(affinity.count, 1);
  EXPECT_FALSE(affinity.list.empty());
}

RankEntry rank_on(int rank, const std::string& host, const std::string& cpus, int count) {
  RankEntry entry;
  entry.info.rank = rank;
  entry.info.host = host;
  entry.info.cpus = cpus;
  entry.info.cpu_count = count;
  return entry;
}

TEST(CpuAffinity, NoteNamesOnlyRanksConfinedToOneCpu) {
  RunManifest manifest;
  manifest.ranks = {rank_on(0, "node1", "0-15", 16), rank_on(1, "node2", "", 0)};
  EXPECT_EQ(single_cpu_note(manifest), "") << "wide and unknown affinities are not named";

  manifest.ranks.push_back(rank_on(2, "node3", "0", 1));
  std::string note = single_cpu_note(manifest);
  EXPECT_NE(note.find("rank 2 (node3, CPU 0) is bound to a single CPU"), std::string::npos) << note;
  EXPECT_EQ(note.find("node1"), std::string::npos) << note;
  EXPECT_NE(note.find("--bind-to none"), std::string::npos) << "says what to do: " << note;

  manifest.ranks.push_back(rank_on(3, "node4", "0", 1));
  note = single_cpu_note(manifest);
  EXPECT_NE(note.find("ranks 2 (node3, CPU 0), 3 (node4, CPU 0) are bound"), std::string::npos) << note;
}

}  // namespace
}  // namespace railcheck
