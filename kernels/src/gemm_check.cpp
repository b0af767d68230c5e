// GEMM throughput through cuBLAS with exact-input result checks, and the plain cuBLAS loop it is compared with.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstring>
#include <vector>

#include "event_timing.h"
#include "gemm_operands.h"
#include "railcheck/kernels/element.h"
#include "railcheck/kernels/gemm_pattern.h"
#include "railcheck/kernels/single_gpu.h"

namespace railcheck::kernels {
namespace {

double output_value(GemmType type, const std::byte* c, std::uint64_t index) {
  switch (type) {
    case GemmType::kBf16: {
      BFloat16 v;
      std::memcpy(&v, c + index * 2, 2);
      return decode(v);
    }
    case GemmType::kFp16: {
      Half v;
      std::memcpy(&v, c + index * 2, 2);
      return decode(v);
    }
    case GemmType::kTf32: {
      float v;
      std::memcpy(&v, c + index * 4, 4);
      return v;
    }
    case GemmType::kFp64: {
      double v;
      std::memcpy(&v, c + index * 8, 8);
      return v;
    }
  }
  return 0.0;
}

double tflops_of(int m, int n, int k, double seconds) { return seconds > 0 ? 2.0 * m * n * k / seconds / 1.0e12 : 0.0; }

GemmResult result_shell(GemmType type, int m, int n, int k, int iters) {
  GemmResult r;
  r.type = type;
  r.m = m;
  r.n = n;
  r.k = k;
  r.iters = iters;
  return r;
}

}  // namespace

std::string_view name_of(GemmType type) {
  switch (type) {
    case GemmType::kBf16:
      return "bf16";
    case GemmType::kFp16:
      return "fp16";
    case GemmType::kTf32:
      return "tf32";
    case GemmType::kFp64:
      return "fp64";
  }
  return "?";
}

GemmResult measure_gemm(int device, GemmType type, int m, int n, int k, int iters, int samples) {
  RC_CUDA_CALL(cudaSetDevice(device));
  CudaStream stream = make_non_blocking_stream();
  const CublasHandle cublas(stream.get());
  const GemmOperands operands(type, m, n, k, stream.get());
  GemmResult r = result_shell(type, m, n, k, iters);
  r.seconds_per_iter = seconds_per_iter(stream.get(), iters, [&] { operands.enqueue(cublas); });
  r.tflops = tflops_of(m, n, k, r.seconds_per_iter);

  // Compare sampled elements of C with the exact integer dot product.
  const auto um = static_cast<std::uint64_t>(m), un = static_cast<std::uint64_t>(n), uk = static_cast<std::uint64_t>(k);
  std::vector<std::byte> host(um * un * operands.output_bytes());
  RC_CUDA_CALL(cudaMemcpy(host.data(), operands.c().data(), host.size(), cudaMemcpyDeviceToHost));
  const std::uint64_t total = um * un;
  const std::uint64_t step = std::max<std::uint64_t>(1, total / static_cast<std::uint64_t>(std::max(1, samples)));
  for (std::uint64_t index = (total - 1) % step; index < total; index += step) {
    const std::uint64_t row = index % um, col = index / um;
    std::int64_t exact = 0;
    for (std::uint64_t l = 0; l < uk; ++l) exact += std::int64_t{gemm_input(row, l, 1)} * gemm_input(l, col, 2);
    const double got = output_value(type, host.data(), index);
    const double want = static_cast<double>(exact);
    const double error = std::fabs(got - want) / std::max(1.0, std::fabs(want));
    r.max_relative_error = std::max(r.max_relative_error, std::isnan(error) ? INFINITY : error);
    if (!(error <= 2.0 * operands.output_roundoff())) ++r.wrong;
    ++r.checked;
  }
  return r;
}

GemmResult measure_gemm_cublas_loop(int device, GemmType type, int m, int n, int k, int iters) {
  RC_CUDA_CALL(cudaSetDevice(device));
  const CublasHandle cublas(nullptr);  // the legacy default stream, as a hand-written loop uses
  const GemmOperands operands(type, m, n, k, nullptr);
  GemmResult r = result_shell(type, m, n, k, iters);
  operands.enqueue(cublas);  // warm-up (cuBLAS picks and loads its kernel here)
  RC_CUDA_CALL(cudaDeviceSynchronize());
  const auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < iters; ++i) operands.enqueue(cublas);
  RC_CUDA_CALL(cudaDeviceSynchronize());
  const std::chrono::duration<double> elapsed = std::chrono::steady_clock::now() - start;
  r.seconds_per_iter = elapsed.count() / iters;
  r.tflops = tflops_of(m, n, k, r.seconds_per_iter);
  return r;
}

}  // namespace railcheck::kernels
