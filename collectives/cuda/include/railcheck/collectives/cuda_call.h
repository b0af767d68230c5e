// RC_CUDA_CALL: the boundary where CUDA runtime status codes become railcheck::Error (keeping the call text,
// file, line, host and rank); warn_cuda for destructors, which log instead of throwing.
#pragma once

#include <cuda_runtime_api.h>

#include <string>

#include "railcheck/core/error.h"

namespace railcheck {

/// "<cudaGetErrorString> (<code>)", e.g. "out of memory (2)".
std::string cuda_error_text(cudaError_t status);

/// Throw Error for a failed call; `call` is its source text. Clears CUDA's per-thread last error so that a
/// later unrelated check does not see this one again.
[[noreturn]] void throw_cuda_error(cudaError_t status, const char* call, const char* file, int line);

/// Log a failed call to stderr (for destructors). Silent for success and for cudaErrorCudartUnloading.
void warn_cuda(cudaError_t status, const char* call) noexcept;

}  // namespace railcheck

#define RC_CUDA_CALL(call)                                                       \
  do {                                                                           \
    const cudaError_t rc_cuda_status_ = (call);                                  \
    if (rc_cuda_status_ != cudaSuccess) {                                        \
      ::railcheck::throw_cuda_error(rc_cuda_status_, #call, __FILE__, __LINE__); \
    }                                                                            \
  } while (false)
