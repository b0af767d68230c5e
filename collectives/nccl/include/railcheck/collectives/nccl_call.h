// RC_NCCL_CALL: the boundary where NCCL status codes become railcheck::Error (keeping the call text, file,
// line, host and rank, plus ncclGetLastError's message); RC_CUDA_CALL comes with it.
#pragma once

#include <nccl.h>

#include <string>

#include "railcheck/collectives/cuda_call.h"

namespace railcheck {

/// "<ncclGetErrorString> (<code>)" followed by ": <ncclGetLastError>" when NCCL recorded a message.
std::string nccl_error_text(ncclResult_t result);

[[noreturn]] void throw_nccl_error(ncclResult_t result, const char* call, const char* file, int line);

/// Log a failed call to stderr (for destructors). Silent for success.
void warn_nccl(ncclResult_t result, const char* call) noexcept;

}  // namespace railcheck

#define RC_NCCL_CALL(call)                                                       \
  do {                                                                           \
    const ncclResult_t rc_nccl_status_ = (call);                                 \
    if (rc_nccl_status_ != ncclSuccess) {                                        \
      ::railcheck::throw_nccl_error(rc_nccl_status_, #call, __FILE__, __LINE__); \
    }                                                                            \
  } while (false)
