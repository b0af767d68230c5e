// GPU tests of the kernels against their host twins. Each test skips, with CUDA's reason, where no GPU is
// visible (CI); run them on a GPU machine through tests/gpu/run_gpu_checks.sh.
#include <cuda_runtime_api.h>
#include <gtest/gtest.h>

#include <cstring>
#include <vector>

#include "railcheck/collectives/cuda_call.h"
#include "railcheck/kernels/launchers.h"
#include "railcheck/run/check.h"

namespace {

using railcheck::CheckCase;
using railcheck::CollectiveKind;
using railcheck::DataType;
using railcheck::ReduceOp;

// Skips the current test with CUDA's own words when there is no usable device.
#define RC_REQUIRE_GPU()                                                                                        \
  do {                                                                                                          \
    int devices_ = 0;                                                                                           \
    const cudaError_t status_ = cudaGetDeviceCount(&devices_);                                                  \
    if (status_ != cudaSuccess || devices_ == 0) {                                                              \
      GTEST_SKIP() << "no CUDA device: "                                                                        \
                   << (status_ != cudaSuccess ? cudaGetErrorString(status_) : "cudaGetDeviceCount returned 0"); \
    }                                                                                                           \
  } while (false)

// Device memory for one test.
class DeviceBytes {
 public:
  explicit DeviceBytes(std::size_t bytes) : bytes_(bytes) { RC_CUDA_CALL(cudaMalloc(&data_, bytes == 0 ? 1 : bytes)); }
  DeviceBytes(const DeviceBytes&) = delete;
  DeviceBytes& operator=(const DeviceBytes&) = delete;
  ~DeviceBytes() { railcheck::warn_cuda(cudaFree(data_), "cudaFree"); }
  void* get() const { return data_; }
  std::vector<std::byte> to_host() const {
    std::vector<std::byte> host(bytes_);
    RC_CUDA_CALL(cudaMemcpy(host.data(), data_, bytes_, cudaMemcpyDeviceToHost));
    return host;
  }

 private:
  void* data_ = nullptr;
  std::size_t bytes_;
};

CheckCase broadcast_case(DataType type, std::size_t count, int root) {
  return CheckCase{CollectiveKind::kBroadcast,
                   type,
                   ReduceOp::kSum,
                   root,
                   4,
                   railcheck::coll_counts(CollectiveKind::kBroadcast, count * railcheck::size_of(type), type, 4)};
}

class PatternKernels : public ::testing::TestWithParam<DataType> {};

TEST_P(PatternKernels, DeviceFillMatchesHostInputByteForByte) {
  RC_REQUIRE_GPU();
  const DataType type = GetParam();
  const std::size_t count = 100003;
  const CheckCase c = broadcast_case(type, count, 2);
  DeviceBytes data(count * railcheck::size_of(type));
  railcheck::kernels::launch_fill_pattern(data.get(), count, type, 2, 77, railcheck::kernels::PatternUse::kData, 4,
                                          nullptr);
  RC_CUDA_CALL(cudaDeviceSynchronize());
  EXPECT_EQ(data.to_host(), railcheck::make_check_input(c, 2, 77));
}

TEST_P(PatternKernels, DeviceVerifyCountsExactlyTheCorruptedElements) {
  RC_REQUIRE_GPU();
  const DataType type = GetParam();
  const std::size_t count = 65536;
  const CheckCase c = broadcast_case(type, count, 1);
  DeviceBytes data(count * railcheck::size_of(type));
  DeviceBytes wrong(sizeof(unsigned long long));
  railcheck::kernels::launch_fill_pattern(data.get(), count, type, 1, 5, railcheck::kernels::PatternUse::kData, 4,
                                          nullptr);
  RC_CUDA_CALL(cudaMemset(wrong.get(), 0, sizeof(unsigned long long)));
  const auto params = railcheck::expected_params(c, 0, 5);  // broadcast from root 1: everyone holds rank 1's data
  const int max_ulps = railcheck::check_max_ulps(type, c.op, c.kind);
  auto* counter = static_cast<unsigned long long*>(wrong.get());
  railcheck::kernels::launch_verify_pattern(data.get(), count, type, params, max_ulps, counter, nullptr);
  std::vector<std::byte> host = data.to_host();
  unsigned long long clean = 0;
  RC_CUDA_CALL(cudaMemcpy(&clean, counter, sizeof clean, cudaMemcpyDeviceToHost));
  EXPECT_EQ(clean, 0u);
  const std::size_t corrupted = railcheck::corrupt_elements(host, type, 8);
  RC_CUDA_CALL(cudaMemcpy(data.get(), host.data(), host.size(), cudaMemcpyHostToDevice));
  railcheck::kernels::launch_verify_pattern(data.get(), count, type, params, max_ulps, counter, nullptr);
  unsigned long long found = 0;
  RC_CUDA_CALL(cudaMemcpy(&found, counter, sizeof found, cudaMemcpyDeviceToHost));
  EXPECT_EQ(found, corrupted);
  EXPECT_EQ(found, railcheck::count_wrong_elements(c, 0, 5, host)) << "device and host checks agree";
}

INSTANTIATE_TEST_SUITE_P(AllTypes, PatternKernels,
                         ::testing::Values(DataType::kInt8, DataType::kUint8, DataType::kInt32, DataType::kUint32,
                                           DataType::kInt64, DataType::kUint64, DataType::kFloat16, DataType::kBfloat16,
                                           DataType::kFloat32, DataType::kFloat64),
                         [](const ::testing::TestParamInfo<DataType>& info) {
                           return std::string(railcheck::name_of(info.param));
                         });

TEST(HbmKernels, WriteThenCopyMovesEveryWord) {
  RC_REQUIRE_GPU();
  const std::size_t bytes = 64 << 20;
  DeviceBytes src(bytes), dst(bytes);
  RC_CUDA_CALL(cudaMemset(dst.get(), 0, bytes));
  railcheck::kernels::launch_hbm_write(src.get(), bytes, 0xA5A5A5A5u, nullptr);
  railcheck::kernels::launch_hbm_copy(dst.get(), src.get(), bytes, nullptr);
  RC_CUDA_CALL(cudaDeviceSynchronize());
  const std::vector<std::byte> host = dst.to_host();
  for (std::size_t i = 0; i < host.size(); i += 4093) ASSERT_EQ(host[i], std::byte{0xA5}) << "byte " << i;
}

TEST(StreamLatch, HoldsQueuedWorkUntilReleased) {
  RC_REQUIRE_GPU();
  cudaStream_t stream = nullptr;
  RC_CUDA_CALL(cudaStreamCreateWithFlags(&stream, cudaStreamNonBlocking));
  {
    railcheck::kernels::StreamLatch latch(stream, 10.0);
    DeviceBytes marker(4);
    RC_CUDA_CALL(cudaMemsetAsync(marker.get(), 1, 4, stream));
    EXPECT_EQ(cudaStreamQuery(stream), cudaErrorNotReady) << "work behind the latch must wait";
    latch.release();
    RC_CUDA_CALL(cudaStreamSynchronize(stream));
    EXPECT_FALSE(latch.timed_out());
  }
  RC_CUDA_CALL(cudaStreamDestroy(stream));
}

TEST(StreamLatch, GivesUpByItselfAfterTheTimeout) {
  RC_REQUIRE_GPU();
  cudaStream_t stream = nullptr;
  RC_CUDA_CALL(cudaStreamCreateWithFlags(&stream, cudaStreamNonBlocking));
  {
    railcheck::kernels::StreamLatch latch(stream, 0.2);
    RC_CUDA_CALL(cudaStreamSynchronize(stream));  // returns after about 0.2 s without a release
    EXPECT_TRUE(latch.timed_out());
  }
  RC_CUDA_CALL(cudaStreamDestroy(stream));
}

}  // namespace
