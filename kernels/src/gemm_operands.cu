// GEMM operands: the input fill kernel, cuBLAS's types per GemmType, and the one cublasGemmEx call.
#include "gemm_operands.h"

#include <cmath>
#include <cstdio>

#include "railcheck/kernels/element.h"
#include "railcheck/kernels/gemm_pattern.h"

namespace railcheck {

std::string cublas_status_text(cublasStatus_t status) {
  return std::string(cublasGetStatusString(status)) + " (" + std::to_string(static_cast<int>(status)) + ")";
}

}  // namespace railcheck

namespace railcheck::kernels {
namespace {

// Storage per GEMM type: what A, B and C hold, cuBLAS's data and compute types, the output's unit roundoff.
struct GemmTypes {
  cudaDataType_t input;
  cudaDataType_t output;
  cublasComputeType_t compute;
  std::size_t input_bytes;
  std::size_t output_bytes;
  double output_roundoff;
};

GemmTypes gemm_types(GemmType type) {
  switch (type) {
    case GemmType::kBf16:
      return {CUDA_R_16BF, CUDA_R_16BF, CUBLAS_COMPUTE_32F, 2, 2, std::ldexp(1.0, -8)};
    case GemmType::kFp16:
      return {CUDA_R_16F, CUDA_R_16F, CUBLAS_COMPUTE_32F, 2, 2, std::ldexp(1.0, -11)};
    case GemmType::kTf32:
      return {CUDA_R_32F, CUDA_R_32F, CUBLAS_COMPUTE_32F_FAST_TF32, 4, 4, std::ldexp(1.0, -24)};
    case GemmType::kFp64:
      return {CUDA_R_64F, CUDA_R_64F, CUBLAS_COMPUTE_64F, 8, 8, std::ldexp(1.0, -53)};
  }
  return {CUDA_R_32F, CUDA_R_32F, CUBLAS_COMPUTE_32F, 4, 4, 0.0};
}

template <typename T>
__global__ void fill_gemm_input(T* data, std::uint64_t rows, std::uint64_t cols, std::uint32_t salt) {
  const std::uint64_t total = rows * cols;
  for (std::uint64_t i = blockIdx.x * std::uint64_t{blockDim.x} + threadIdx.x; i < total;
       i += std::uint64_t{gridDim.x} * blockDim.x) {
    data[i] = encode<T>(gemm_input(i % rows, i / rows, salt));  // column-major
  }
}

void fill_input(GemmType type, void* data, std::uint64_t rows, std::uint64_t cols, std::uint32_t salt,
                cudaStream_t stream) {
  const auto blocks = static_cast<unsigned int>(std::min<std::uint64_t>((rows * cols + 255) / 256, 65535 * 8));
  switch (type) {
    case GemmType::kBf16:
      fill_gemm_input<<<blocks, 256, 0, stream>>>(static_cast<BFloat16*>(data), rows, cols, salt);
      break;
    case GemmType::kFp16:
      fill_gemm_input<<<blocks, 256, 0, stream>>>(static_cast<Half*>(data), rows, cols, salt);
      break;
    case GemmType::kTf32:
      fill_gemm_input<<<blocks, 256, 0, stream>>>(static_cast<float*>(data), rows, cols, salt);
      break;
    case GemmType::kFp64:
      fill_gemm_input<<<blocks, 256, 0, stream>>>(static_cast<double*>(data), rows, cols, salt);
      break;
  }
  RC_CUDA_CALL(cudaGetLastError());
}

}  // namespace

CublasHandle::CublasHandle(cudaStream_t stream) {
  RC_CUBLAS_CALL(cublasCreate(&handle_));
  try {
    RC_CUBLAS_CALL(cublasSetStream(handle_, stream));
  } catch (...) {
    cublasDestroy(handle_);
    throw;
  }
}

CublasHandle::~CublasHandle() {
  if (handle_ != nullptr && cublasDestroy(handle_) != CUBLAS_STATUS_SUCCESS) {
    std::fprintf(stderr, "railcheck: warning: cublasDestroy failed\n");
  }
}

GemmOperands::GemmOperands(GemmType type, int m, int n, int k, cudaStream_t stream) : type_(type), m_(m), n_(n), k_(k) {
  const GemmTypes t = gemm_types(type);
  const auto um = static_cast<std::uint64_t>(m), un = static_cast<std::uint64_t>(n), uk = static_cast<std::uint64_t>(k);
  a_ = allocate_device_buffer(um * uk * t.input_bytes, stream);
  b_ = allocate_device_buffer(uk * un * t.input_bytes, stream);
  c_ = allocate_device_buffer(um * un * t.output_bytes, stream);
  fill_input(type, a_.data(), um, uk, 1, stream);
  fill_input(type, b_.data(), uk, un, 2, stream);
  RC_CUDA_CALL(cudaStreamSynchronize(stream));
}

void GemmOperands::enqueue(const CublasHandle& cublas) const {
  const GemmTypes t = gemm_types(type_);
  static constexpr float kAlpha32 = 1.0f, kBeta32 = 0.0f;
  static constexpr double kAlpha64 = 1.0, kBeta64 = 0.0;
  const bool fp64 = type_ == GemmType::kFp64;
  const void* alpha = fp64 ? static_cast<const void*>(&kAlpha64) : static_cast<const void*>(&kAlpha32);
  const void* beta = fp64 ? static_cast<const void*>(&kBeta64) : static_cast<const void*>(&kBeta32);
  RC_CUBLAS_CALL(cublasGemmEx(cublas.get(), CUBLAS_OP_N, CUBLAS_OP_N, m_, n_, k_, alpha, a_.data(), t.input, m_,
                              b_.data(), t.input, k_, beta, c_.data(), t.output, m_, t.compute, CUBLAS_GEMM_DEFAULT));
}

std::size_t GemmOperands::output_bytes() const { return gemm_types(type_).output_bytes; }

double GemmOperands::output_roundoff() const { return gemm_types(type_).output_roundoff; }

}  // namespace railcheck::kernels
