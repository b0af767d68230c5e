// The memory guard: MemAvailable read from a meminfo file, the bytes a test's largest size needs per rank,
// and the one-line refusal naming the test, the size and the limit with the rank that has it.
#include "railcheck/run/memory_guard.h"

#include <gtest/gtest.h>

#include <fstream>

#include "in_process.h"
#include "railcheck/core/error.h"
#include "railcheck/runtime/host_memory.h"

namespace railcheck {
namespace {

std::filesystem::path write_file(const test::ScratchDir& dir, const std::string& text) {
  const auto path = dir.path() / "meminfo";
  std::ofstream(path) << text;
  return path;
}

TEST(HostMemory, ReadsMemAvailableInBytes) {
  test::ScratchDir dir("meminfo");
  const auto path = write_file(dir,
                               "MemTotal:       24000000 kB\n"
                               "MemFree:         1000000 kB\n"
                               "MemAvailable:   20000000 kB\n"
                               "Buffers:           10000 kB\n");
  EXPECT_EQ(available_host_memory_bytes(path), std::size_t{20000000} * 1024);
}

TEST(HostMemory, MissingOrMalformedGivesNothing) {
  test::ScratchDir dir("meminfo-bad");
  EXPECT_EQ(available_host_memory_bytes(dir.path() / "absent"), std::nullopt);
  EXPECT_EQ(available_host_memory_bytes(write_file(dir, "MemTotal: 1 kB\n")), std::nullopt);
  EXPECT_EQ(available_host_memory_bytes(write_file(dir, "MemAvailable: lots\n")), std::nullopt);
  EXPECT_EQ(available_host_memory_bytes(write_file(dir, "MemAvailable: 12 MB\n")), std::nullopt);
}

TEST(HostMemory, ThisMachineHasSome) {
  const auto bytes = available_host_memory_bytes();
  if (!std::filesystem::exists("/proc/meminfo")) GTEST_SKIP() << "no /proc/meminfo here";
  ASSERT_TRUE(bytes.has_value());
  EXPECT_GT(*bytes, 0u);
}

CollectiveTestSpec spec_of(CollectiveKind kind, std::size_t max_bytes, int check_iters) {
  CollectiveTestSpec spec;
  spec.name = std::string(key_of(kind));
  spec.kind = kind;
  spec.type = DataType::kFloat32;
  spec.min_bytes = 8;
  spec.max_bytes = max_bytes;
  spec.check_iters = check_iters;
  return spec;
}

TEST(MemoryGuard, NeedsBothBuffersAndOnTheHostTheCheckCopiesToo) {
  const std::size_t mib = 1 << 20;
  // all_reduce: send and receive of max_bytes each.
  EXPECT_EQ(buffer_bytes_needed(spec_of(CollectiveKind::kAllReduce, mib, 1), 4, true), 2 * mib);
  EXPECT_EQ(buffer_bytes_needed(spec_of(CollectiveKind::kAllReduce, mib, 1), 4, false), 4 * mib);
  EXPECT_EQ(buffer_bytes_needed(spec_of(CollectiveKind::kAllReduce, mib, 0), 4, false), 2 * mib);
  // all_gather at 4 ranks: a quarter sent, the whole received.
  EXPECT_EQ(buffer_bytes_needed(spec_of(CollectiveKind::kAllGather, mib, 0), 4, true), mib / 4 + mib);
}

TEST(MemoryGuard, RefusesOneLineNamingTestSizeNeedAndWhoseLimit) {
  BufferBudget budget;
  budget.known = true;
  budget.bytes = std::size_t{6} << 30;
  budget.rank = 3;
  budget.host = "node7";
  budget.source = "MemAvailable 24.0 GiB shared by 4 ranks";
  const CollectiveTestSpec big = spec_of(CollectiveKind::kAllReduce, std::size_t{1} << 40, 1);
  try {
    require_buffers_fit(big, 4, budget);
    FAIL() << "1 TiB on a 6 GiB budget was accepted";
  } catch (const InputError& e) {
    const std::string text = e.what();
    for (const char* needle : {"test 'all_reduce'", "max_bytes 1099511627776", "4096.0 GiB of host memory per rank",
                               "6.0 GiB", "rank 3 (node7)", "MemAvailable 24.0 GiB shared by 4 ranks", "lower -e"}) {
      EXPECT_NE(text.find(needle), std::string::npos) << needle << " in: " << text;
    }
    EXPECT_EQ(text.find('\n'), std::string::npos);
  }
  EXPECT_NO_THROW(require_buffers_fit(spec_of(CollectiveKind::kAllReduce, 1 << 20, 1), 4, budget));
  budget.known = false;  // nobody could tell: nothing is refused
  EXPECT_NO_THROW(require_buffers_fit(big, 4, budget));
}

}  // namespace
}  // namespace railcheck
