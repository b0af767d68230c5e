// --backend auto never mixes or silently downgrades: NCCL when every rank has a usable GPU, the host backend
// (saying why) when none has, and an input error naming the hosts without one when some have and some not.
#include "railcheck/run/backend.h"

#include <gtest/gtest.h>

#include "railcheck/core/error.h"

namespace railcheck {
namespace {

std::vector<RankInfo> two_hosts_two_ranks_each() {
  std::vector<RankInfo> ranks(4);
  for (int r = 0; r < 4; ++r) {
    ranks[r].rank = r;
    ranks[r].host = r < 2 ? "gpu-a" : "gpu-b";
  }
  return ranks;
}

std::string error_of(const std::string& requested, const std::vector<std::string>& problems) {
  try {
    decide_backend(requested, problems, two_hosts_two_ranks_each());
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

TEST(BackendChoice, EveryRankWithAGpuGivesNccl) {
  for (const std::string requested : {"auto", "nccl"}) {
    const BackendChoice choice = decide_backend(requested, {"", "", "", ""}, two_hosts_two_ranks_each());
    EXPECT_EQ(choice.name, "nccl");
    EXPECT_NE(choice.reason.find(requested == "auto" ? "every rank sees a CUDA device" : "--backend nccl"),
              std::string::npos);
  }
}

TEST(BackendChoice, AutoWithNoGpuAnywhereIsTheHostBackendSayingWhy) {
  const BackendChoice choice = decide_backend(
      "auto", {"no CUDA driver", "no CUDA driver", "no CUDA driver", "no CUDA driver"}, two_hosts_two_ranks_each());
  EXPECT_EQ(choice.name, "mpi");
  EXPECT_EQ(choice.reason,
            "auto: no usable CUDA device (ranks 0 (gpu-a), 1 (gpu-a), 2 (gpu-b), 3 (gpu-b): no CUDA driver)");
}

TEST(BackendChoice, AutoWithGpusOnSomeRanksOnlyIsAnInputErrorNamingTheHostsWithout) {
  const std::string text = error_of("auto", {"", "", "cudaGetDeviceCount: no CUDA-capable device", ""});
  EXPECT_NE(text.find("--backend auto"), std::string::npos) << text;
  EXPECT_NE(text.find("3 of 4 ranks have a usable GPU"), std::string::npos) << text;
  EXPECT_NE(text.find("on gpu-b ("), std::string::npos) << text;
  EXPECT_NE(text.find("rank 2 (gpu-b): cudaGetDeviceCount: no CUDA-capable device"), std::string::npos) << text;
  EXPECT_NE(text.find("--backend mpi"), std::string::npos) << text;
  EXPECT_EQ(text.find("gpu-a"), std::string::npos) << "only hosts without a GPU are named: " << text;
}

TEST(BackendChoice, NcclWithAnyRankWithoutAGpuIsAnInputError) {
  const std::string text = error_of("nccl", {"", "x", "", ""});
  EXPECT_NE(text.find("--backend nccl: no usable CUDA device on rank 1 (gpu-a): x"), std::string::npos) << text;
}

TEST(BackendChoice, ManyRanksWithOneReasonAreNamedOnceWithACount) {
  std::vector<RankInfo> ranks(20);
  for (int r = 0; r < 20; ++r) ranks[r].host = "n" + std::to_string(r);
  const BackendChoice choice = decide_backend("auto", std::vector<std::string>(20, "no driver"), ranks);
  EXPECT_NE(choice.reason.find("7 (n7) and 12 more: no driver"), std::string::npos) << choice.reason;
}

}  // namespace
}  // namespace railcheck
