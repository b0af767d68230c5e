// GEMM throughput through cuBLAS with exact-input result checks.
#include <cublas_v2.h>
#include <cuda_bf16.h>
#include <cuda_fp16.h>

#include <cmath>
#include <vector>

#include "event_timing.h"
#include "railcheck/kernels/element.h"
#include "railcheck/kernels/gemm_pattern.h"
#include "railcheck/kernels/single_gpu.h"

namespace railcheck {

std::string cublas_status_text(cublasStatus_t status) {
  return std::string(cublasGetStatusString(status)) + " (" + std::to_string(static_cast<int>(status)) + ")";
}

}  // namespace railcheck

// RC_CUBLAS_CALL: the boundary where cuBLAS status codes become railcheck::Error.
#define RC_CUBLAS_CALL(call)                                                                              \
  do {                                                                                                    \
    const cublasStatus_t rc_cublas_status_ = (call);                                                      \
    if (rc_cublas_status_ != CUBLAS_STATUS_SUCCESS) {                                                     \
      throw ::railcheck::Error(::railcheck::format_call_error("cuBLAS", #call, __FILE__, __LINE__,        \
                                                              ::railcheck::cublas_status_text(rc_cublas_status_))); \
    }                                                                                                     \
  } while (false)

namespace railcheck::kernels {
namespace {

// Move-only owner of a cuBLAS handle bound to a stream.
class CublasHandle {
 public:
  explicit CublasHandle(cudaStream_t stream) {
    RC_CUBLAS_CALL(cublasCreate(&handle_));
    RC_CUBLAS_CALL(cublasSetStream(handle_, stream));
  }
  CublasHandle(const CublasHandle&) = delete;
  CublasHandle& operator=(const CublasHandle&) = delete;
  ~CublasHandle() {
    if (handle_ != nullptr && cublasDestroy(handle_) != CUBLAS_STATUS_SUCCESS) {
      std::fprintf(stderr, "railcheck: warning: cublasDestroy failed\n");
    }
  }
  cublasHandle_t get() const { return handle_; }

 private:
  cublasHandle_t handle_ = nullptr;
};

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
    case GemmType::kBf16: return {CUDA_R_16BF, CUDA_R_16BF, CUBLAS_COMPUTE_32F, 2, 2, std::ldexp(1.0, -8)};
    case GemmType::kFp16: return {CUDA_R_16F, CUDA_R_16F, CUBLAS_COMPUTE_32F, 2, 2, std::ldexp(1.0, -11)};
    case GemmType::kTf32: return {CUDA_R_32F, CUDA_R_32F, CUBLAS_COMPUTE_32F_FAST_TF32, 4, 4, std::ldexp(1.0, -24)};
    case GemmType::kFp64: return {CUDA_R_64F, CUDA_R_64F, CUBLAS_COMPUTE_64F, 8, 8, std::ldexp(1.0, -53)};
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
  const unsigned int blocks = static_cast<unsigned int>(std::min<std::uint64_t>((rows * cols + 255) / 256, 65535 * 8));
  switch (type) {
    case GemmType::kBf16: fill_gemm_input<<<blocks, 256, 0, stream>>>(static_cast<BFloat16*>(data), rows, cols, salt); break;
    case GemmType::kFp16: fill_gemm_input<<<blocks, 256, 0, stream>>>(static_cast<Half*>(data), rows, cols, salt); break;
    case GemmType::kTf32: fill_gemm_input<<<blocks, 256, 0, stream>>>(static_cast<float*>(data), rows, cols, salt); break;
    case GemmType::kFp64: fill_gemm_input<<<blocks, 256, 0, stream>>>(static_cast<double*>(data), rows, cols, salt); break;
  }
  RC_CUDA_CALL(cudaGetLastError());
}

double output_value(GemmType type, const std::byte* c, std::uint64_t index) {
  switch (type) {
    case GemmType::kBf16: { BFloat16 v; std::memcpy(&v, c + index * 2, 2); return decode(v); }
    case GemmType::kFp16: { Half v; std::memcpy(&v, c + index * 2, 2); return decode(v); }
    case GemmType::kTf32: { float v; std::memcpy(&v, c + index * 4, 4); return v; }
    case GemmType::kFp64: { double v; std::memcpy(&v, c + index * 8, 8); return v; }
  }
  return 0.0;
}

}  // namespace

std::string_view name_of(GemmType type) {
  switch (type) {
    case GemmType::kBf16: return "bf16";
    case GemmType::kFp16: return "fp16";
    case GemmType::kTf32: return "tf32";
    case GemmType::kFp64: return "fp64";
  }
  return "?";
}

GemmResult measure_gemm(int device, GemmType type, int m, int n, int k, int iters, int samples) {
  RC_CUDA_CALL(cudaSetDevice(device));
  const GemmTypes t = gemm_types(type);
  CudaStream stream = make_non_blocking_stream();
  CublasHandle cublas(stream.get());
  const auto um = static_cast<std::uint64_t>(m), un = static_cast<std::uint64_t>(n), uk = static_cast<std::uint64_t>(k);
  Buffer a = allocate_device_buffer(um * uk * t.input_bytes, stream.get());
  Buffer b = allocate_device_buffer(uk * un * t.input_bytes, stream.get());
  Buffer c = allocate_device_buffer(um * un * t.output_bytes, stream.get());
  fill_input(type, a.data(), um, uk, 1, stream.get());
  fill_input(type, b.data(), uk, un, 2, stream.get());

  const float alpha32 = 1.0f, beta32 = 0.0f;
  const double alpha64 = 1.0, beta64 = 0.0;
  const bool fp64 = type == GemmType::kFp64;
  const void* alpha = fp64 ? static_cast<const void*>(&alpha64) : static_cast<const void*>(&alpha32);
  const void* beta = fp64 ? static_cast<const void*>(&beta64) : static_cast<const void*>(&beta32);
  auto gemm = [&] {
    RC_CUBLAS_CALL(cublasGemmEx(cublas.get(), CUBLAS_OP_N, CUBLAS_OP_N, m, n, k, alpha, a.data(), t.input, m, b.data(),
                                t.input, k, beta, c.data(), t.output, m, t.compute, CUBLAS_GEMM_DEFAULT));
  };
  GemmResult r;
  r.type = type;
  r.m = m;
  r.n = n;
  r.k = k;
  r.iters = iters;
  r.seconds_per_iter = seconds_per_iter(stream.get(), iters, gemm);
  r.tflops = r.seconds_per_iter > 0 ? 2.0 * m * n * k / r.seconds_per_iter / 1.0e12 : 0.0;

  // Compare sampled elements of C with the exact integer dot product.
  std::vector<std::byte> host(um * un * t.output_bytes);
  RC_CUDA_CALL(cudaMemcpy(host.data(), c.data(), host.size(), cudaMemcpyDeviceToHost));
  const std::uint64_t total = um * un;
  const std::uint64_t step = std::max<std::uint64_t>(1, total / static_cast<std::uint64_t>(std::max(1, samples)));
  for (std::uint64_t index = (total - 1) % step; index < total; index += step) {
    const std::uint64_t row = index % um, col = index / um;
    std::int64_t exact = 0;
    for (std::uint64_t l = 0; l < uk; ++l) exact += std::int64_t{gemm_input(row, l, 1)} * gemm_input(l, col, 2);
    const double got = output_value(type, host.data(), index);
    const double error = std::fabs(got - static_cast<double>(exact)) / std::max(1.0, std::fabs(static_cast<double>(exact)));
    r.max_relative_error = std::max(r.max_relative_error, std::isnan(error) ? INFINITY : error);
    if (!(error <= 2.0 * t.output_roundoff)) ++r.wrong;
    ++r.checked;
  }
  return r;
}

}  // namespace railcheck::kernels
