// Single-GPU bandwidth checks: HBM kernels against cudaMemcpy, the check kernels, pinned host copies, peer copies.
#include <sched.h>

#include <cctype>
#include <fstream>
#include <sstream>

#include "event_timing.h"
#include "railcheck/kernels/launchers.h"
#include "railcheck/kernels/single_gpu.h"

namespace railcheck::kernels {
namespace {

BandwidthResult result(std::string name, std::size_t bytes, int iters, double seconds, double bytes_moved) {
  return BandwidthResult{std::move(name), bytes, iters, seconds, gbps(bytes_moved, seconds)};
}

// The CPU list sysfs gives as local to `device` ("0-31,64-95"), or "" when unknown.
std::string local_cpu_list(int device) {
  char bus_id[32] = {};
  if (cudaDeviceGetPCIBusId(bus_id, sizeof bus_id, device) != cudaSuccess) {
    (void)cudaGetLastError();
    return "";
  }
  std::string id(bus_id);
  for (char& c : id) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  std::ifstream in("/sys/bus/pci/devices/" + id + "/local_cpulist");
  std::string list;
  std::getline(in, list);
  return list;
}

// The CPUs of a sysfs CPU list, or an empty set for "".
cpu_set_t cpu_set_of(const std::string& list) {
  cpu_set_t cpus;
  CPU_ZERO(&cpus);
  std::stringstream ranges(list);
  std::string range;
  while (std::getline(ranges, range, ',')) {
    const auto dash = range.find('-');
    const int first = std::stoi(range.substr(0, dash));
    const int last = dash == std::string::npos ? first : std::stoi(range.substr(dash + 1));
    for (int cpu = first; cpu <= last && cpu < CPU_SETSIZE; ++cpu) CPU_SET(cpu, &cpus);
  }
  return cpus;
}

// Binds the calling thread to a CPU set for its lifetime, then restores the previous binding.
class ScopedCpuBinding {
 public:
  explicit ScopedCpuBinding(const cpu_set_t& cpus) {
    bound_ = CPU_COUNT(&cpus) > 0 && sched_getaffinity(0, sizeof previous_, &previous_) == 0 &&
             sched_setaffinity(0, sizeof cpus, &cpus) == 0;
  }
  ScopedCpuBinding(const ScopedCpuBinding&) = delete;
  ScopedCpuBinding& operator=(const ScopedCpuBinding&) = delete;
  ~ScopedCpuBinding() {
    if (bound_) sched_setaffinity(0, sizeof previous_, &previous_);
  }
  /// Whether the thread is bound now (false for an empty set or when the kernel refused the set).
  bool bound() const { return bound_; }

 private:
  cpu_set_t previous_{};
  bool bound_ = false;
};

}  // namespace

std::vector<BandwidthResult> measure_hbm(int device, std::size_t bytes, int iters) {
  RC_CUDA_CALL(cudaSetDevice(device));
  CudaStream stream = make_non_blocking_stream();
  Buffer a = allocate_device_buffer(bytes, stream.get());
  Buffer b = allocate_device_buffer(bytes, stream.get());
  Buffer sink = allocate_device_buffer(sizeof(unsigned long long), stream.get());
  auto* sink_ptr = static_cast<unsigned long long*>(sink.data());
  const double n = static_cast<double>(bytes);
  std::vector<BandwidthResult> out;
  double s = seconds_per_iter(stream.get(), iters, [&] { launch_hbm_read(a.data(), bytes, sink_ptr, stream.get()); });
  out.push_back(result("hbm_read_kernel", bytes, iters, s, n));
  s = seconds_per_iter(stream.get(), iters, [&] { launch_hbm_write(a.data(), bytes, 0x5a5a5a5au, stream.get()); });
  out.push_back(result("hbm_write_kernel", bytes, iters, s, n));
  s = seconds_per_iter(stream.get(), iters, [&] { launch_hbm_copy(b.data(), a.data(), bytes, stream.get()); });
  out.push_back(result("hbm_copy_kernel", bytes, iters, s, 2 * n));
  s = seconds_per_iter(stream.get(), iters, [&] {
    RC_CUDA_CALL(cudaMemcpyAsync(b.data(), a.data(), bytes, cudaMemcpyDeviceToDevice, stream.get()));
  });
  out.push_back(result("hbm_memcpy_d2d", bytes, iters, s, 2 * n));
  return out;
}

FillVerifyResult measure_fill_verify(int device, std::size_t bytes, int iters) {
  RC_CUDA_CALL(cudaSetDevice(device));
  CudaStream stream = make_non_blocking_stream();
  Buffer data = allocate_device_buffer(bytes, stream.get());
  Buffer wrong = allocate_device_buffer(sizeof(unsigned long long), stream.get());
  const std::uint64_t count = bytes / sizeof(float);
  ExpectedParams params;
  params.shape = ResultShape::kFromRoot;
  params.seed = 3;
  const double s = seconds_per_iter(stream.get(), iters, [&] {
    launch_fill_pattern(data.data(), count, DataType::kFloat32, 0, 3, PatternUse::kData, 1, stream.get());
    launch_verify_pattern(data.data(), count, DataType::kFloat32, params, 0,
                          static_cast<unsigned long long*>(wrong.data()), stream.get());
  });
  unsigned long long found = 0;
  RC_CUDA_CALL(cudaMemcpy(&found, wrong.data(), sizeof found, cudaMemcpyDeviceToHost));
  FillVerifyResult r;
  // Fill writes N bytes and verify reads N: 2N moved, like a copy.
  r.bandwidth = result("fill_verify_kernels", bytes, iters, s, 2.0 * static_cast<double>(count * sizeof(float)));
  r.checked = count * static_cast<std::uint64_t>(iters + 1);  // the warm-up call verifies too
  r.wrong = found;
  return r;
}

HostDeviceResult measure_host_device(int device, std::size_t bytes, int iters) {
  RC_CUDA_CALL(cudaSetDevice(device));
  const std::string cpu_list = local_cpu_list(device);
  const ScopedCpuBinding binding(cpu_set_of(cpu_list));
  CudaStream stream = make_non_blocking_stream();
  Buffer host = allocate_pinned_buffer(bytes);
  Buffer dev = allocate_device_buffer(bytes, stream.get());
  const double n = static_cast<double>(bytes);
  std::vector<BandwidthResult> out;
  double s = seconds_per_iter(stream.get(), iters, [&] {
    RC_CUDA_CALL(cudaMemcpyAsync(dev.data(), host.data(), bytes, cudaMemcpyHostToDevice, stream.get()));
  });
  out.push_back(result("h2d_pinned", bytes, iters, s, n));
  s = seconds_per_iter(stream.get(), iters, [&] {
    RC_CUDA_CALL(cudaMemcpyAsync(host.data(), dev.data(), bytes, cudaMemcpyDeviceToHost, stream.get()));
  });
  out.push_back(result("d2h_pinned", bytes, iters, s, n));
  return HostDeviceResult{std::move(out), binding.bound() ? cpu_list : ""};
}

BandwidthResult measure_peer_copy(int src_device, int dst_device, std::size_t bytes, int iters) {
  int can = 0;
  RC_CUDA_CALL(cudaDeviceCanAccessPeer(&can, dst_device, src_device));
  if (!can) {
    throw Error("device " + std::to_string(dst_device) + " cannot access device " + std::to_string(src_device) +
                "'s memory (no peer path: check nvidia-smi topo -m and NVLink state)");
  }
  RC_CUDA_CALL(cudaSetDevice(src_device));
  CudaStream src_stream = make_non_blocking_stream();
  Buffer src = allocate_device_buffer(bytes, src_stream.get());
  RC_CUDA_CALL(cudaSetDevice(dst_device));
  const cudaError_t enabled = cudaDeviceEnablePeerAccess(src_device, 0);
  if (enabled != cudaSuccess && enabled != cudaErrorPeerAccessAlreadyEnabled) RC_CUDA_CALL(enabled);
  (void)cudaGetLastError();
  CudaStream stream = make_non_blocking_stream();
  Buffer dst = allocate_device_buffer(bytes, stream.get());
  const double s =
      seconds_per_iter(stream.get(), iters, [&] { launch_hbm_copy(dst.data(), src.data(), bytes, stream.get()); });
  return result("peer_copy_sm_" + std::to_string(src_device) + "_to_" + std::to_string(dst_device), bytes, iters, s,
                static_cast<double>(bytes));
}

}  // namespace railcheck::kernels
