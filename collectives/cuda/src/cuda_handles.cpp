#include "railcheck/collectives/cuda_handles.h"

#include <cstring>

#include "railcheck/collectives/cuda_call.h"

namespace railcheck {

CudaStream make_non_blocking_stream() {
  cudaStream_t stream = nullptr;
  RC_CUDA_CALL(cudaStreamCreateWithFlags(&stream, cudaStreamNonBlocking));
  return CudaStream(stream);
}

CudaEvent make_timing_event() {
  cudaEvent_t event = nullptr;
  RC_CUDA_CALL(cudaEventCreateWithFlags(&event, cudaEventDefault));
  return CudaEvent(event);
}

CudaGraphExec instantiate_graph(const CudaGraph& graph) {
  cudaGraphExec_t exec = nullptr;
  RC_CUDA_CALL(cudaGraphInstantiate(&exec, graph.get(), 0));
  return CudaGraphExec(exec);
}

Buffer allocate_device_buffer(std::size_t bytes, cudaStream_t stream) {
  void* data = nullptr;
  RC_CUDA_CALL(cudaMalloc(&data, bytes));
  Buffer buffer(data, bytes, MemoryKind::kDevice,
                [](void* pointer) noexcept { warn_cuda(cudaFree(pointer), "cudaFree"); });
  if (bytes > 0) {
    // On the backend's stream: it does not synchronize with the legacy stream a plain cudaMemset would use.
    RC_CUDA_CALL(cudaMemsetAsync(buffer.data(), 0, bytes, stream));
    RC_CUDA_CALL(cudaStreamSynchronize(stream));
  }
  return buffer;
}

Buffer allocate_pinned_buffer(std::size_t bytes) {
  void* data = nullptr;
  RC_CUDA_CALL(cudaHostAlloc(&data, bytes == 0 ? 1 : bytes, cudaHostAllocPortable));
  Buffer buffer(data, bytes, MemoryKind::kHost,
                [](void* pointer) noexcept { warn_cuda(cudaFreeHost(pointer), "cudaFreeHost"); });
  std::memset(data, 0, bytes);  // first touch from this thread: NUMA placement follows the caller's binding
  return buffer;
}

}  // namespace railcheck
