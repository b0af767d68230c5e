// Single-GPU checks: memory bandwidth, host<->device bandwidth, check-kernel rate, GEMM throughput with a
// result check, and SM-driven peer copies. Each call is blocking, runs on the given device, times with CUDA
// events after one warm-up, and throws railcheck::Error on a CUDA or cuBLAS failure.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace railcheck::kernels {

/// One bandwidth figure. Bytes moved count reads plus writes, as STREAM does: a copy of N bytes moves 2N
/// (a peer copy counts the N bytes that cross the link).
struct BandwidthResult {
  std::string name;  ///< e.g. hbm_copy_kernel, hbm_memcpy_d2d, h2d_pinned
  std::size_t buffer_bytes = 0;
  int iters = 0;
  double seconds_per_iter = 0.0;
  double gbps = 0.0;  ///< bytes moved per second / 1e9
};

/// HBM read, write and copy kernels (16-byte accesses) and cudaMemcpy device-to-device on `bytes` bytes, in
/// that order: hbm_read_kernel, hbm_write_kernel, hbm_copy_kernel, hbm_memcpy_d2d.
std::vector<BandwidthResult> measure_hbm(int device, std::size_t bytes, int iters);

/// The check kernels' rate and what they found.
struct FillVerifyResult {
  BandwidthResult bandwidth;  ///< fill_verify_kernels: N bytes written plus N read per iteration
  std::uint64_t checked = 0;  ///< elements verified over all iterations (warm-up included)
  std::uint64_t wrong = 0;    ///< of those, not the pattern (0 on a healthy GPU)
};

/// Fill then verify with the check kernels over `bytes` of float (what -c costs on the device). Wrong
/// elements are counted, not thrown.
FillVerifyResult measure_fill_verify(int device, std::size_t bytes, int iters);

/// Pinned host <-> device copy rates and the CPUs the copying thread ran on.
struct HostDeviceResult {
  std::vector<BandwidthResult> copies;  ///< h2d_pinned, d2h_pinned
  std::string cpu_binding;              ///< the GPU's local CPUs as sysfs lists them ("0-31,64-95") when the
                                        ///< thread was bound to them; empty when unknown or the binding failed
};

/// cudaMemcpyAsync host-to-device and device-to-host on pinned memory allocated after binding the calling
/// thread to the GPU's local CPUs (sysfs local_cpulist); the binding is restored afterwards.
HostDeviceResult measure_host_device(int device, std::size_t bytes, int iters);

/// SM-driven copy from `src_device`'s memory into `dst_device`'s (the kernel runs on dst, reading peer
/// memory). Needs peer access between the two; throws Error naming both devices when it is not possible.
BandwidthResult measure_peer_copy(int src_device, int dst_device, std::size_t bytes, int iters);

enum class GemmType { kBf16, kFp16, kTf32, kFp64 };
std::string_view name_of(GemmType type);

struct GemmResult {
  GemmType type = GemmType::kBf16;
  int m = 0, n = 0, k = 0;
  int iters = 0;
  double seconds_per_iter = 0.0;
  double tflops = 0.0;        ///< 2mnk / s / 1e12
  std::uint64_t checked = 0;  ///< elements compared with the exact product
  std::uint64_t wrong = 0;    ///< of those, outside the output type's rounding
  double max_relative_error = 0.0;
};

/// C = A * B (column-major, no transposes) through cublasGemmEx, inputs from gemm_input, C in the input type
/// (fp32 for tf32), then `samples` elements of C checked against the exact integer product.
GemmResult measure_gemm(int device, GemmType type, int m, int n, int k, int iters, int samples = 4096);

/// The reference for measure_gemm: the same cublasGemmEx call and inputs as a hand-written loop runs it (legacy
/// default stream, one warm-up, host clock around `iters` calls and cudaDeviceSynchronize). checked stays 0.
GemmResult measure_gemm_cublas_loop(int device, GemmType type, int m, int n, int k, int iters);

}  // namespace railcheck::kernels
