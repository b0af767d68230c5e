// The cuBLAS boundary (RC_CUBLAS_CALL, a handle owner) and the operands of one GEMM check, shared by
// measure_gemm and its plain cuBLAS loop reference so both time exactly the same call.
#pragma once

#include <cublas_v2.h>
#include <cuda_runtime_api.h>

#include <cstdint>
#include <string>

#include "railcheck/collectives/cuda_call.h"
#include "railcheck/collectives/cuda_handles.h"
#include "railcheck/kernels/single_gpu.h"

namespace railcheck {

/// "<cublasGetStatusString> (<code>)".
std::string cublas_status_text(cublasStatus_t status);

}  // namespace railcheck

// RC_CUBLAS_CALL: the boundary where cuBLAS status codes become railcheck::Error.
#define RC_CUBLAS_CALL(call)                                                                                        \
  do {                                                                                                              \
    const cublasStatus_t rc_cublas_status_ = (call);                                                                \
    if (rc_cublas_status_ != CUBLAS_STATUS_SUCCESS) {                                                               \
      throw ::railcheck::Error(::railcheck::format_call_error("cuBLAS", #call, __FILE__, __LINE__,                  \
                                                              ::railcheck::cublas_status_text(rc_cublas_status_))); \
    }                                                                                                               \
  } while (false)

namespace railcheck::kernels {

/// Move-only owner of a cuBLAS handle on the current device, bound to `stream` (nullptr: the legacy default
/// stream). The destructor logs a failure instead of throwing.
class CublasHandle {
 public:
  explicit CublasHandle(cudaStream_t stream);
  CublasHandle(const CublasHandle&) = delete;
  CublasHandle& operator=(const CublasHandle&) = delete;
  ~CublasHandle();
  cublasHandle_t get() const { return handle_; }

 private:
  cublasHandle_t handle_ = nullptr;
};

/// A (m x k) and B (k x n), column-major, filled with gemm_input (salts 1 and 2), and C (m x n) zeroed, on the
/// current device. The constructor blocks until the inputs are written.
class GemmOperands {
 public:
  GemmOperands(GemmType type, int m, int n, int k, cudaStream_t stream);

  /// Enqueues C = A * B through cublasGemmEx on the handle's stream (C in the input type; fp32 for tf32).
  void enqueue(const CublasHandle& cublas) const;

  const Buffer& c() const { return c_; }
  /// Bytes of one element of C.
  std::size_t output_bytes() const;
  /// Unit roundoff of C's type: the check's tolerance is 2 of these, relative.
  double output_roundoff() const;

 private:
  GemmType type_;
  int m_, n_, k_;
  Buffer a_, b_, c_;
};

}  // namespace railcheck::kernels
