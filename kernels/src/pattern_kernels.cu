// Fill and verify kernels of the correctness check: the same pattern and expected values as the host check.
#include "dispatch.cuh"
#include "railcheck/collectives/cuda_call.h"
#include "railcheck/kernels/launchers.h"

namespace railcheck::kernels {
namespace {

constexpr unsigned int kBlock = 256;

template <typename T>
__global__ void fill_pattern_kernel(T* data, std::uint64_t count, int rank, std::uint32_t seed, PatternUse use,
                                    int nranks) {
  for (std::uint64_t i = blockIdx.x * std::uint64_t{blockDim.x} + threadIdx.x; i < count;
       i += std::uint64_t{gridDim.x} * blockDim.x) {
    data[i] = encode<T>(pattern_value<T>(rank, i, seed, use, nranks));
  }
}

template <typename T>
__global__ void verify_pattern_kernel(const T* data, std::uint64_t count, ExpectedParams params, int max_ulps,
                                      unsigned long long* wrong_count) {
  unsigned long long wrong = 0;
  for (std::uint64_t i = blockIdx.x * std::uint64_t{blockDim.x} + threadIdx.x; i < count;
       i += std::uint64_t{gridDim.x} * blockDim.x) {
    if (!element_matches(data[i], expected_value<T>(params, i), max_ulps)) ++wrong;
  }
  if (wrong != 0) atomicAdd(wrong_count, wrong);
}

}  // namespace

void launch_fill_pattern(void* data, std::uint64_t count, DataType type, int rank, std::uint32_t seed, PatternUse use,
                         int nranks, cudaStream_t stream) {
  dispatch_type(type, [&](auto tag) {
    using T = decltype(tag);
    fill_pattern_kernel<T>
        <<<grid_for(count, kBlock), kBlock, 0, stream>>>(static_cast<T*>(data), count, rank, seed, use, nranks);
  });
  RC_CUDA_CALL(cudaGetLastError());
}

void launch_verify_pattern(const void* data, std::uint64_t count, DataType type, const ExpectedParams& params,
                           int max_ulps, unsigned long long* wrong_count, cudaStream_t stream) {
  dispatch_type(type, [&](auto tag) {
    using T = decltype(tag);
    verify_pattern_kernel<T><<<grid_for(count, kBlock), kBlock, 0, stream>>>(static_cast<const T*>(data), count, params,
                                                                             max_ulps, wrong_count);
  });
  RC_CUDA_CALL(cudaGetLastError());
}

}  // namespace railcheck::kernels
