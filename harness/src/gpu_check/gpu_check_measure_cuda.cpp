// gpu-check's measurements through railcheck_cuda_kernels: each check's figures become records, compared with
// their reference (cudaMemcpy for the HBM copy, the HBM copy for fill+verify, a plain cuBLAS loop for GEMM).
#include <map>
#include <vector>

#include "railcheck/collectives/cuda_probe.h"
#include "railcheck/gpu_check/gpu_check_measure.h"
#include "railcheck/kernels/single_gpu.h"

namespace railcheck {
namespace {

using kernels::BandwidthResult;
using kernels::GemmResult;
using kernels::GemmType;

GemmType gemm_type_of(const std::string& name) {
  if (name == "fp16") return GemmType::kFp16;
  if (name == "tf32") return GemmType::kTf32;
  if (name == "fp64") return GemmType::kFp64;
  return GemmType::kBf16;  // the CLI admits only gemm_type_names()
}

// Builds the records of one GPU, keeps them for references, and hands each to the caller's emit.
class DeviceChecks {
 public:
  DeviceChecks(const GpuCheckOptions& options, int device, const std::string& host,
               const std::function<void(const GpuCheckRecord&)>& emit)
      : emit_(emit) {
    blank_.host = host;
    blank_.device = device;
    if (const auto gpu = describe_gpu_check_device(device)) {
      blank_.gpu_name = gpu->name;
      blank_.uuid = gpu->uuid;
      blank_.pci_bus_id = gpu->pci_bus_id;
    }
    blank_.iters = options.iters;
  }

  // Runs `measure` (which returns the records of `keys`, in order); a failure gives one kError record per key
  // (with `peer_device` for a peer copy).
  template <typename Measure>
  void attempt(const std::vector<std::string>& keys, Measure&& measure, std::optional<int> peer_device = {}) {
    std::vector<GpuCheckRecord> records;
    try {
      records = measure();
    } catch (const std::exception& e) {
      records.clear();
      for (const std::string& key : keys) {
        GpuCheckRecord r = make(key);
        r.peer_device = peer_device;
        r.status = GpuCheckStatus::kError;
        r.error = e.what();
        records.push_back(std::move(r));
      }
    }
    for (GpuCheckRecord& r : records) {
      emit_(r);
      done_[r.test_key] = std::move(r);
    }
  }

  GpuCheckRecord make(const std::string& key) const {
    GpuCheckRecord r = blank_;
    r.test_key = key;
    return r;
  }

  GpuCheckRecord bandwidth(const std::string& key, const BandwidthResult& result) const {
    GpuCheckRecord r = make(key);
    r.size_bytes = result.buffer_bytes;
    r.iters = result.iters;
    r.seconds_per_iter = result.seconds_per_iter;
    r.bw_gbps = result.gbps;
    return r;
  }

  GpuCheckRecord gemm(const std::string& key, const GemmResult& result, bool checked) const {
    GpuCheckRecord r = make(key);
    r.gemm_m = result.m;
    r.gemm_n = result.n;
    r.gemm_k = result.k;
    r.iters = result.iters;
    r.seconds_per_iter = result.seconds_per_iter;
    r.tflops = result.tflops;
    if (checked) {
      r.checked = static_cast<std::int64_t>(result.checked);
      r.wrong = static_cast<std::int64_t>(result.wrong);
      r.max_relative_error = result.max_relative_error;
      if (result.wrong > 0) r.status = GpuCheckStatus::kWrong;
    }
    return r;
  }

  // The record measured earlier under `key`, if any.
  const GpuCheckRecord* done(const std::string& key) const {
    const auto found = done_.find(key);
    return found == done_.end() ? nullptr : &found->second;
  }

 private:
  const std::function<void(const GpuCheckRecord&)>& emit_;
  GpuCheckRecord blank_;
  std::map<std::string, GpuCheckRecord> done_;
};

}  // namespace

GpuCheckProbe probe_gpu_check_devices() noexcept {
  const CudaProbe probe = probe_cuda_devices();
  return GpuCheckProbe{probe.device_count, probe.reason};
}

std::optional<GpuDescription> describe_gpu_check_device(int device) noexcept {
  try {
    const GpuInfo info = gpu_info(device);
    return GpuDescription{info.device, info.name, info.uuid, info.pci_bus_id};
  } catch (...) {
    return std::nullopt;
  }
}

void measure_gpu_checks(const GpuCheckOptions& options, int device, int device_count, const std::string& host,
                        const std::function<void(const GpuCheckRecord&)>& emit) {
  DeviceChecks checks(options, device, host, emit);
  const int iters = options.iters;

  const std::vector<std::string> hbm_keys = {"gpu.hbm_read", "gpu.hbm_write", "gpu.hbm_copy", "gpu.hbm_memcpy_d2d"};
  checks.attempt(hbm_keys, [&] {
    const auto results = kernels::measure_hbm(device, options.hbm_bytes, iters);
    std::vector<GpuCheckRecord> records;
    for (std::size_t i = 0; i < hbm_keys.size() && i < results.size(); ++i) {
      records.push_back(checks.bandwidth(hbm_keys[i], results[i]));
    }
    if (records.size() == 4) compare_with(records[2], records[3]);  // the kernel copy against cudaMemcpy
    return records;
  });

  checks.attempt({"gpu.fill_verify"}, [&] {
    const auto result = kernels::measure_fill_verify(device, options.hbm_bytes, iters);
    GpuCheckRecord r = checks.bandwidth("gpu.fill_verify", result.bandwidth);
    r.checked = static_cast<std::int64_t>(result.checked);
    r.wrong = static_cast<std::int64_t>(result.wrong);
    if (result.wrong > 0) r.status = GpuCheckStatus::kWrong;
    if (const GpuCheckRecord* copy = checks.done("gpu.hbm_copy")) compare_with(r, *copy);
    return std::vector<GpuCheckRecord>{r};
  });

  checks.attempt({"gpu.h2d_pinned", "gpu.d2h_pinned"}, [&] {
    const auto result = kernels::measure_host_device(device, options.host_bytes, iters);
    std::vector<GpuCheckRecord> records;
    for (const BandwidthResult& copy : result.copies) {
      GpuCheckRecord r = checks.bandwidth("gpu." + copy.name, copy);
      r.cpu_binding = result.cpu_binding;
      records.push_back(std::move(r));
    }
    return records;
  });

  for (const std::string& type : options.gemm_types) {
    const std::string key = "gpu.gemm." + type, reference_key = "gpu.gemm_cublas_loop." + type;
    const int size = options.gemm_size;
    checks.attempt({key, reference_key}, [&] {
      const GemmResult checked = kernels::measure_gemm(device, gemm_type_of(type), size, size, size, iters);
      const GemmResult plain = kernels::measure_gemm_cublas_loop(device, gemm_type_of(type), size, size, size, iters);
      GpuCheckRecord r = checks.gemm(key, checked, true);
      const GpuCheckRecord reference = checks.gemm(reference_key, plain, false);
      compare_with(r, reference);
      return std::vector<GpuCheckRecord>{r, reference};
    });
  }

  if (device_count < 2) {
    GpuCheckRecord r = checks.make("gpu.peer_copy");
    r.status = GpuCheckStatus::kSkipped;
    r.skip_reason = "peer copies need 2 GPUs; this process sees " + std::to_string(device_count);
    checks.attempt({"gpu.peer_copy"}, [&] { return std::vector<GpuCheckRecord>{r}; });
    return;
  }
  for (int source = 0; source < device_count; ++source) {
    if (source == device) continue;
    checks.attempt(
        {"gpu.peer_copy"},
        [&] {
          GpuCheckRecord r =
              checks.bandwidth("gpu.peer_copy", kernels::measure_peer_copy(source, device, options.peer_bytes, iters));
          r.peer_device = source;
          return std::vector<GpuCheckRecord>{r};
        },
        source);
  }
}

}  // namespace railcheck
