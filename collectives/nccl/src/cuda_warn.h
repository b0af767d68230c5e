// Logging for CUDA and NCCL calls made where throwing is not allowed (destructors, deleters).
#pragma once

#include <cuda_runtime_api.h>
#include <nccl.h>

namespace railcheck {

/// Writes "railcheck: warning: <call> failed: <text>" to stderr unless `status` is success (or CUDA is
/// already unloading at process exit, which is not worth a warning).
void warn_cuda(cudaError_t status, const char* call) noexcept;
void warn_nccl(ncclResult_t result, const char* call) noexcept;

}  // namespace railcheck
