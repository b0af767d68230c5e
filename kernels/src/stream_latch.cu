// The latch kernel: one thread spins on a host-mapped flag until the host releases it or the timeout passes.
#include <utility>

#include "railcheck/collectives/cuda_call.h"
#include "railcheck/kernels/launchers.h"

namespace railcheck::kernels {
namespace {

__device__ std::uint64_t global_time_ns() {
  std::uint64_t now;
  asm volatile("mov.u64 %0, %%globaltimer;" : "=l"(now));
  return now;
}

__global__ void latch_kernel(volatile int* flags, std::uint64_t timeout_ns) {
  const std::uint64_t start = global_time_ns();
  while (flags[0] == 0) {
    if (global_time_ns() - start > timeout_ns) {
      flags[1] = 1;
      return;
    }
    __nanosleep(256);
  }
}

}  // namespace

StreamLatch::StreamLatch(cudaStream_t stream, double timeout_s) : stream_(stream) {
  void* flags = nullptr;
  RC_CUDA_CALL(cudaHostAlloc(&flags, 2 * sizeof(int), cudaHostAllocMapped | cudaHostAllocPortable));
  host_flags_ = static_cast<volatile int*>(flags);
  host_flags_[0] = 0;
  host_flags_[1] = 0;
  void* device_flags = nullptr;
  try {
    RC_CUDA_CALL(cudaHostGetDevicePointer(&device_flags, flags, 0));
    latch_kernel<<<1, 1, 0, stream_>>>(static_cast<volatile int*>(device_flags),
                                       static_cast<std::uint64_t>(timeout_s * 1.0e9));
    RC_CUDA_CALL(cudaGetLastError());
  } catch (...) {
    warn_cuda(cudaFreeHost(flags), "cudaFreeHost");
    throw;
  }
}

StreamLatch::StreamLatch(StreamLatch&& other) noexcept
    : host_flags_(std::exchange(other.host_flags_, nullptr)), stream_(other.stream_) {}

StreamLatch::~StreamLatch() {
  if (host_flags_ == nullptr) return;
  release();
  warn_cuda(cudaStreamSynchronize(stream_), "cudaStreamSynchronize (latch)");  // the kernel must let go first
  warn_cuda(cudaFreeHost(const_cast<int*>(host_flags_)), "cudaFreeHost (latch)");
}

void StreamLatch::release() {
  if (host_flags_ != nullptr) host_flags_[0] = 1;
}

bool StreamLatch::timed_out() const { return host_flags_ != nullptr && host_flags_[1] != 0; }

}  // namespace railcheck::kernels
