// One single-GPU check result as results.json keeps it ("kind": "gpu_check"; results-schema $defs/
// gpu_check_record): which GPU, what was measured, the figure, its reference and ratio, the correctness count.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace railcheck {

enum class GpuCheckStatus {
  kOk,       ///< measured (and, where checked, nothing wrong)
  kWrong,    ///< measured, and the correctness check found wrong elements
  kSkipped,  ///< not run; skip_reason says why (no GPU, a single GPU for peer copies)
  kError,    ///< the CUDA or cuBLAS call failed; error says which
};
std::string_view name_of(GpuCheckStatus status);

struct GpuCheckRecord {
  std::string test_key;  ///< stable key, one of gpu_check_test_keys(): "gpu.hbm_copy", "gpu.gemm.bf16"
  std::string host;
  std::optional<int> device;  ///< CUDA ordinal; nullopt when no GPU was visible
  std::string gpu_name;       ///< "" = unknown (written as null), likewise uuid and pci_bus_id
  std::string uuid;
  std::string pci_bus_id;
  std::optional<int> peer_device;          ///< gpu.peer_copy: the device read from (device is the one that copies)
  std::size_t size_bytes = 0;              ///< buffer bytes of bandwidth checks; 0 for GEMM
  int gemm_m = 0, gemm_n = 0, gemm_k = 0;  ///< GEMM shape; all 0 for the other checks
  int iters = 0;                           ///< timed iterations
  std::optional<double> seconds_per_iter;
  std::optional<double> bw_gbps;    ///< bandwidth checks: bytes moved / s / 1e9 (reads plus writes, as STREAM)
  std::optional<double> tflops;     ///< GEMM: 2mnk / s / 1e12
  std::string reference_key;        ///< the record this one is compared with ("" = none)
  std::optional<double> reference;  ///< that record's figure, in this record's unit
  std::optional<double> ratio;      ///< this figure / reference
  std::string cpu_binding;          ///< h2d/d2h: the GPU-local CPUs the copying thread was bound to ("" = none)
  std::int64_t checked = -1;        ///< elements compared with the expected value; -1 = not checked
  std::int64_t wrong = -1;          ///< of those, wrong; -1 = not checked
  std::optional<double> max_relative_error;  ///< GEMM: the largest relative error among the checked elements
  GpuCheckStatus status = GpuCheckStatus::kOk;
  std::string skip_reason;    ///< kSkipped
  std::string error;          ///< kError
  double start_unix_s = 0.0;  ///< wall clock around the check (unix_now_s)
  double end_unix_s = 0.0;
  std::optional<int> interval;  ///< a soak's interval (0-based) it was measured in; unset outside a soak
};

/// The record as results.json keeps it; "kind": "gpu_check", absent values as null.
nlohmann::json to_json(const GpuCheckRecord& record);

/// One console line: device, key, size or GEMM shape, the figure, the ratio to its reference, the status
/// (with the skip reason or error), e.g. "gpu 0  gpu.hbm_copy  1073741824 B  2950.12 GB/s  0.934 of
/// gpu.hbm_memcpy_d2d  ok". No newline.
std::string format_gpu_check_line(const GpuCheckRecord& record);

/// Every test key gpu-check writes for one GPU, in the order it runs them; GEMM keys ("gpu.gemm.<type>" and
/// its reference "gpu.gemm_cublas_loop.<type>") for each of `gemm_types`.
std::vector<std::string> gpu_check_test_keys(const std::vector<std::string>& gemm_types);

/// The record a check leaves when it cannot run: one skipped record per key of gpu_check_test_keys, for
/// `device` (nullopt: no GPU at all) on `host`, each with `reason`.
std::vector<GpuCheckRecord> skipped_gpu_check_records(const std::vector<std::string>& gemm_types,
                                                      const std::string& host, std::optional<int> device,
                                                      const std::string& reason);

/// Sets reference_key, reference and ratio of `record` from `reference` (same unit: GB/s or TFLOP/s); leaves
/// them unset when either figure is missing or the reference is 0.
void compare_with(GpuCheckRecord& record, const GpuCheckRecord& reference);

}  // namespace railcheck
