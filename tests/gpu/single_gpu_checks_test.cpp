// GPU tests of the single-GPU checks: results are sane and the GEMM check really compares. Skip without a GPU.
#include <cuda_runtime_api.h>
#include <gtest/gtest.h>

#include "railcheck/kernels/single_gpu.h"

namespace {

using railcheck::kernels::GemmType;

#define RC_REQUIRE_GPUS(n)                                                                           \
  do {                                                                                               \
    int devices_ = 0;                                                                                \
    const cudaError_t status_ = cudaGetDeviceCount(&devices_);                                       \
    if (status_ != cudaSuccess || devices_ < (n)) {                                                  \
      GTEST_SKIP() << "needs " << (n) << " CUDA device(s): "                                         \
                   << (status_ != cudaSuccess ? cudaGetErrorString(status_) : "not enough visible"); \
    }                                                                                                \
  } while (false)

TEST(SingleGpuChecks, HbmFiguresArePositiveAndNamed) {
  RC_REQUIRE_GPUS(1);
  const auto results = railcheck::kernels::measure_hbm(0, 256u << 20, 5);
  ASSERT_EQ(results.size(), 4u);
  for (const auto& r : results) EXPECT_GT(r.gbps, 0.0) << r.name;
}

TEST(SingleGpuChecks, FillVerifyChecksEveryElementAndFindsNothingWrongOnAHealthyGpu) {
  RC_REQUIRE_GPUS(1);
  const auto r = railcheck::kernels::measure_fill_verify(0, 256u << 20, 5);
  EXPECT_GT(r.bandwidth.gbps, 0.0);
  EXPECT_EQ(r.checked, (256u << 20) / sizeof(float) * 6) << "5 timed iterations and the warm-up";
  EXPECT_EQ(r.wrong, 0u);
}

TEST(SingleGpuChecks, PinnedHostDeviceCopiesBothWays) {
  RC_REQUIRE_GPUS(1);
  const auto r = railcheck::kernels::measure_host_device(0, 64u << 20, 5);
  ASSERT_EQ(r.copies.size(), 2u);
  EXPECT_EQ(r.copies[0].name, "h2d_pinned");
  EXPECT_EQ(r.copies[1].name, "d2h_pinned");
  EXPECT_GT(r.copies[0].gbps, 0.0);
  EXPECT_GT(r.copies[1].gbps, 0.0);
}

class GemmCheck : public ::testing::TestWithParam<GemmType> {};

TEST_P(GemmCheck, ProductMatchesTheExactIntegerResult) {
  RC_REQUIRE_GPUS(1);
  const auto r = railcheck::kernels::measure_gemm(0, GetParam(), 1024, 512, 768, 3, 2048);
  EXPECT_GE(r.checked, 2048u);
  EXPECT_EQ(r.wrong, 0u) << "max relative error " << r.max_relative_error;
  EXPECT_GT(r.tflops, 0.0);
}

TEST_P(GemmCheck, PlainCublasLoopReferenceRunsTheSameShape) {
  RC_REQUIRE_GPUS(1);
  const auto r = railcheck::kernels::measure_gemm_cublas_loop(0, GetParam(), 1024, 512, 768, 3);
  EXPECT_EQ(r.m, 1024);
  EXPECT_EQ(r.checked, 0u) << "the reference only times";
  EXPECT_GT(r.tflops, 0.0);
}

INSTANTIATE_TEST_SUITE_P(AllTypes, GemmCheck,
                         ::testing::Values(GemmType::kBf16, GemmType::kFp16, GemmType::kTf32, GemmType::kFp64),
                         [](const ::testing::TestParamInfo<GemmType>& info) {
                           return std::string(railcheck::kernels::name_of(info.param));
                         });

TEST(SingleGpuChecks, PeerCopyBetweenTwoGpus) {
  RC_REQUIRE_GPUS(2);
  EXPECT_GT(railcheck::kernels::measure_peer_copy(0, 1, 64u << 20, 5).gbps, 0.0);
}

}  // namespace
