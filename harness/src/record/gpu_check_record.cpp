#include "railcheck/record/gpu_check_record.h"
#include "railcheck/record/record_kinds.h"

#include <cstdio>

namespace railcheck {
namespace {

template <typename T>
nlohmann::json or_null(const std::optional<T>& value) {
  return value ? nlohmann::json(*value) : nlohmann::json(nullptr);
}

nlohmann::json or_null(const std::string& text) {
  return text.empty() ? nlohmann::json(nullptr) : nlohmann::json(text);
}

}  // namespace

std::string_view name_of(GpuCheckStatus status) {
  switch (status) {
    case GpuCheckStatus::kOk:
      return "ok";
    case GpuCheckStatus::kWrong:
      return "wrong";
    case GpuCheckStatus::kSkipped:
      return "skipped";
    case GpuCheckStatus::kError:
      return "error";
  }
  return "error";
}

nlohmann::json to_json(const GpuCheckRecord& r) {
  nlohmann::json gemm = nullptr;
  if (r.gemm_m > 0) gemm = {{"m", r.gemm_m}, {"n", r.gemm_n}, {"k", r.gemm_k}};
  nlohmann::json j = {{"kind", line_type_info(LineType::kGpuCheck).record_kind},
                      {"test_key", r.test_key},
                      {"host", r.host},
                      {"device", or_null(r.device)},
                      {"gpu_name", or_null(r.gpu_name)},
                      {"uuid", or_null(r.uuid)},
                      {"pci_bus_id", or_null(r.pci_bus_id)},
                      {"peer_device", or_null(r.peer_device)},
                      {"size_bytes", r.size_bytes},
                      {"gemm", gemm},
                      {"iters", r.iters},
                      {"seconds_per_iter", or_null(r.seconds_per_iter)},
                      {"bw_gbps", or_null(r.bw_gbps)},
                      {"tflops", or_null(r.tflops)},
                      {"reference_key", or_null(r.reference_key)},
                      {"reference", or_null(r.reference)},
                      {"ratio", or_null(r.ratio)},
                      {"cpu_binding", or_null(r.cpu_binding)},
                      {"checked", r.checked},
                      {"wrong", r.wrong},
                      {"max_relative_error", or_null(r.max_relative_error)},
                      {"status", name_of(r.status)},
                      {"start_unix_s", r.start_unix_s},
                      {"end_unix_s", r.end_unix_s}};
  if (r.status == GpuCheckStatus::kSkipped) j["skip_reason"] = r.skip_reason;
  if (r.status == GpuCheckStatus::kError) j["error"] = r.error;
  if (r.interval) j["interval"] = *r.interval;
  return j;
}

std::string format_gpu_check_line(const GpuCheckRecord& r) {
  char text[160];
  std::string line = r.device ? "gpu " + std::to_string(*r.device) : std::string("gpu -");
  std::snprintf(text, sizeof text, "  %-28s", r.test_key.c_str());
  line += text;
  if (r.gemm_m > 0) {
    std::snprintf(text, sizeof text, "  %dx%dx%d", r.gemm_m, r.gemm_n, r.gemm_k);
    line += text;
  } else if (r.size_bytes > 0) {
    line += "  " + std::to_string(r.size_bytes) + " B";
  }
  if (r.peer_device) line += "  from gpu " + std::to_string(*r.peer_device);
  if (r.bw_gbps) {
    std::snprintf(text, sizeof text, "  %.2f GB/s", *r.bw_gbps);
    line += text;
  }
  if (r.tflops) {
    std::snprintf(text, sizeof text, "  %.2f TFLOP/s", *r.tflops);
    line += text;
  }
  if (r.ratio) {
    std::snprintf(text, sizeof text, "  %.3f of %s", *r.ratio, r.reference_key.c_str());
    line += text;
  }
  if (r.cpu_binding.size() > 0) line += "  cpus " + r.cpu_binding;
  if (r.wrong > 0) line += "  " + std::to_string(r.wrong) + " of " + std::to_string(r.checked) + " wrong";
  line += "  " + std::string(name_of(r.status));
  if (r.status == GpuCheckStatus::kSkipped) line += " (" + r.skip_reason + ")";
  if (r.status == GpuCheckStatus::kError) line += ": " + r.error;
  return line;
}

std::vector<std::string> gpu_check_test_keys(const std::vector<std::string>& gemm_types) {
  std::vector<std::string> keys = {"gpu.hbm_read",    "gpu.hbm_write",  "gpu.hbm_copy",  "gpu.hbm_memcpy_d2d",
                                   "gpu.fill_verify", "gpu.h2d_pinned", "gpu.d2h_pinned"};
  for (const std::string& type : gemm_types) {
    keys.push_back("gpu.gemm." + type);
    keys.push_back("gpu.gemm_cublas_loop." + type);
  }
  keys.push_back("gpu.peer_copy");
  return keys;
}

std::vector<GpuCheckRecord> skipped_gpu_check_records(const std::vector<std::string>& gemm_types,
                                                      const std::string& host, std::optional<int> device,
                                                      const std::string& reason) {
  std::vector<GpuCheckRecord> records;
  for (const std::string& key : gpu_check_test_keys(gemm_types)) {
    GpuCheckRecord r;
    r.test_key = key;
    r.host = host;
    r.device = device;
    r.status = GpuCheckStatus::kSkipped;
    r.skip_reason = reason;
    records.push_back(std::move(r));
  }
  return records;
}

void compare_with(GpuCheckRecord& record, const GpuCheckRecord& reference) {
  const std::optional<double> mine = record.bw_gbps ? record.bw_gbps : record.tflops;
  const std::optional<double> theirs = reference.bw_gbps ? reference.bw_gbps : reference.tflops;
  if (!mine || !theirs || *theirs <= 0.0) return;
  record.reference_key = reference.test_key;
  record.reference = *theirs;
  record.ratio = *mine / *theirs;
}

}  // namespace railcheck
