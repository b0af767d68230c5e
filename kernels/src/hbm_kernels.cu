// HBM bandwidth kernels: grid-stride loops of 16-byte loads and stores.
#include "dispatch.cuh"
#include "railcheck/collectives/cuda_call.h"
#include "railcheck/kernels/launchers.h"

namespace railcheck::kernels {
namespace {

constexpr unsigned int kBlock = 512;

__global__ void hbm_read_kernel(const uint4* data, std::uint64_t words, unsigned long long* sink) {
  unsigned int acc = 0;
  for (std::uint64_t i = blockIdx.x * std::uint64_t{blockDim.x} + threadIdx.x; i < words;
       i += std::uint64_t{gridDim.x} * blockDim.x) {
    const uint4 v = data[i];
    acc ^= v.x ^ v.y ^ v.z ^ v.w;
  }
  if (acc == 0x9e3779b9u) atomicAdd(sink, 1ull);  // data-dependent, so the loads stay
}

__global__ void hbm_write_kernel(uint4* data, std::uint64_t words, unsigned int value) {
  const uint4 v = make_uint4(value, value, value, value);
  for (std::uint64_t i = blockIdx.x * std::uint64_t{blockDim.x} + threadIdx.x; i < words;
       i += std::uint64_t{gridDim.x} * blockDim.x) {
    data[i] = v;
  }
}

__global__ void hbm_copy_kernel(uint4* dst, const uint4* src, std::uint64_t words) {
  for (std::uint64_t i = blockIdx.x * std::uint64_t{blockDim.x} + threadIdx.x; i < words;
       i += std::uint64_t{gridDim.x} * blockDim.x) {
    dst[i] = src[i];
  }
}

}  // namespace

void launch_hbm_read(const void* data, std::uint64_t bytes, unsigned long long* sink, cudaStream_t stream) {
  const std::uint64_t words = bytes / sizeof(uint4);
  hbm_read_kernel<<<grid_for(words, kBlock), kBlock, 0, stream>>>(static_cast<const uint4*>(data), words, sink);
  RC_CUDA_CALL(cudaGetLastError());
}

void launch_hbm_write(void* data, std::uint64_t bytes, std::uint32_t value, cudaStream_t stream) {
  const std::uint64_t words = bytes / sizeof(uint4);
  hbm_write_kernel<<<grid_for(words, kBlock), kBlock, 0, stream>>>(static_cast<uint4*>(data), words, value);
  RC_CUDA_CALL(cudaGetLastError());
}

void launch_hbm_copy(void* dst, const void* src, std::uint64_t bytes, cudaStream_t stream) {
  const std::uint64_t words = bytes / sizeof(uint4);
  hbm_copy_kernel<<<grid_for(words, kBlock), kBlock, 0, stream>>>(static_cast<uint4*>(dst),
                                                                  static_cast<const uint4*>(src), words);
  RC_CUDA_CALL(cudaGetLastError());
}

}  // namespace railcheck::kernels
