// RC_CUDA_CALL and RC_NCCL_CALL: the boundary where CUDA runtime and NCCL status codes become
// railcheck::Error (keeping the call text, file, line, host and rank).
#pragma once

#include <cuda_runtime_api.h>
#include <nccl.h>

#include <string>

#include "railcheck/collectives/error.h"

namespace railcheck {

/// "<cudaGetErrorString> (<code>)", e.g. "out of memory (2)".
std::string cuda_error_text(cudaError_t status);
/// "<ncclGetErrorString> (<code>)" followed by ": <ncclGetLastError>" when NCCL recorded a message.
std::string nccl_error_text(ncclResult_t result);

/// Throw Error for a failed call; `call` is its source text. Clears CUDA's per-thread last error so that a
/// later unrelated check does not see this one again.
[[noreturn]] void throw_cuda_error(cudaError_t status, const char* call, const char* file, int line);
[[noreturn]] void throw_nccl_error(ncclResult_t result, const char* call, const char* file, int line);

}  // namespace railcheck

#define RC_CUDA_CALL(call)                                                           \
  do {                                                                               \
    const cudaError_t rc_cuda_status_ = (call);                                      \
    if (rc_cuda_status_ != cudaSuccess) {                                            \
      ::railcheck::throw_cuda_error(rc_cuda_status_, #call, __FILE__, __LINE__);     \
    }                                                                                \
  } while (false)

#define RC_NCCL_CALL(call)                                                           \
  do {                                                                               \
    const ncclResult_t rc_nccl_status_ = (call);                                     \
    if (rc_nccl_status_ != ncclSuccess) {                                            \
      ::railcheck::throw_nccl_error(rc_nccl_status_, #call, __FILE__, __LINE__);     \
    }                                                                                \
  } while (false)
