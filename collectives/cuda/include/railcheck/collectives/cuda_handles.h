// Move-only owners of CUDA runtime handles (stream, event, graph, graph exec) and device memory. Destructors
// are noexcept and log failures.
#pragma once

#include <cuda_runtime_api.h>

#include <cstddef>
#include <utility>

#include "railcheck/collectives/buffer.h"
#include "railcheck/collectives/cuda_call.h"

namespace railcheck {

/// Owns one handle of the kind `Traits` describes (Handle type, destroy(), kDestroyCall for the log).
template <typename Traits>
class CudaHandle {
 public:
  using Handle = typename Traits::Handle;

  CudaHandle() = default;
  /// Takes ownership of `handle`.
  explicit CudaHandle(Handle handle) : handle_(handle) {}
  CudaHandle(const CudaHandle&) = delete;
  CudaHandle& operator=(const CudaHandle&) = delete;
  CudaHandle(CudaHandle&& other) noexcept : handle_(std::exchange(other.handle_, nullptr)) {}
  CudaHandle& operator=(CudaHandle&& other) noexcept {
    if (this != &other) {
      reset();
      handle_ = std::exchange(other.handle_, nullptr);
    }
    return *this;
  }
  ~CudaHandle() { reset(); }

  Handle get() const { return handle_; }
  explicit operator bool() const { return handle_ != nullptr; }

  /// Destroys the handle now (logging a failure) and leaves this owner empty.
  void reset() noexcept {
    if (handle_ != nullptr) warn_cuda(Traits::destroy(handle_), Traits::kDestroyCall);
    handle_ = nullptr;
  }

 private:
  Handle handle_ = nullptr;
};

struct CudaStreamTraits {
  using Handle = cudaStream_t;
  static cudaError_t destroy(Handle handle) noexcept { return cudaStreamDestroy(handle); }
  static constexpr const char* kDestroyCall = "cudaStreamDestroy";
};
struct CudaEventTraits {
  using Handle = cudaEvent_t;
  static cudaError_t destroy(Handle handle) noexcept { return cudaEventDestroy(handle); }
  static constexpr const char* kDestroyCall = "cudaEventDestroy";
};
struct CudaGraphTraits {
  using Handle = cudaGraph_t;
  static cudaError_t destroy(Handle handle) noexcept { return cudaGraphDestroy(handle); }
  static constexpr const char* kDestroyCall = "cudaGraphDestroy";
};
struct CudaGraphExecTraits {
  using Handle = cudaGraphExec_t;
  static cudaError_t destroy(Handle handle) noexcept { return cudaGraphExecDestroy(handle); }
  static constexpr const char* kDestroyCall = "cudaGraphExecDestroy";
};

using CudaStream = CudaHandle<CudaStreamTraits>;
using CudaEvent = CudaHandle<CudaEventTraits>;
using CudaGraph = CudaHandle<CudaGraphTraits>;
using CudaGraphExec = CudaHandle<CudaGraphExecTraits>;

/// A stream on the current device that does not synchronize with the legacy default stream.
CudaStream make_non_blocking_stream();
/// An event on the current device with timing enabled.
CudaEvent make_timing_event();
/// Instantiates `graph` for launching.
CudaGraphExec instantiate_graph(const CudaGraph& graph);

/// `bytes` of device memory on the current device, zeroed through `stream` (and waited for), freed by
/// cudaFree from the Buffer's destructor.
Buffer allocate_device_buffer(std::size_t bytes, cudaStream_t stream);

/// `bytes` of page-locked host memory (cudaHostAlloc, portable), touched by the calling thread so its pages
/// land on that thread's NUMA node; freed by cudaFreeHost.
Buffer allocate_pinned_buffer(std::size_t bytes);

}  // namespace railcheck
