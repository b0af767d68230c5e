#include "railcheck/collectives/cuda_call.h"

#include <cstdio>

namespace railcheck {

std::string cuda_error_text(cudaError_t status) {
  return std::string(cudaGetErrorString(status)) + " (" + std::to_string(static_cast<int>(status)) + ")";
}

void throw_cuda_error(cudaError_t status, const char* call, const char* file, int line) {
  (void)cudaGetLastError();
  throw Error(format_call_error("CUDA", call, file, line, cuda_error_text(status)));
}

void warn_cuda(cudaError_t status, const char* call) noexcept {
  if (status == cudaSuccess || status == cudaErrorCudartUnloading) return;
  (void)cudaGetLastError();
  std::fprintf(stderr, "railcheck: warning: %s failed: %s (%d)\n", call, cudaGetErrorString(status),
               static_cast<int>(status));
}

}  // namespace railcheck
