// The flags of `railcheck gpu-check` and their validation.
#include <CLI/CLI.hpp>

#include <algorithm>
#include <sstream>

#include "railcheck/commands/gpu_check/gpu_check_command.h"
#include "railcheck/core/error.h"
#include "railcheck/plan/sizes.h"

namespace railcheck {
namespace {

std::size_t size_flag(const std::string& text, const char* flag, std::size_t min_bytes) {
  const auto bytes = parse_size(text);
  if (!bytes) throw InputError(std::string(flag) + " '" + text + "' is not a size; use bytes such as 64M or 1G");
  if (*bytes < min_bytes) {
    throw InputError(std::string(flag) + " " + text + ": need at least " + std::to_string(min_bytes) + " bytes");
  }
  return *bytes;
}

std::vector<std::string> gemm_types_flag(const std::string& text) {
  std::vector<std::string> types;
  std::stringstream names(text);
  for (std::string name; std::getline(names, name, ',');) {
    const auto& known = gemm_type_names();
    if (std::find(known.begin(), known.end(), name) == known.end()) {
      throw InputError("--gemm-types: '" + name + "' is not a GEMM type; choose from bf16,fp16,tf32,fp64");
    }
    if (std::find(types.begin(), types.end(), name) != types.end()) {
      throw InputError("--gemm-types: '" + name + "' is given twice; name each type once");
    }
    types.push_back(name);
  }
  if (types.empty()) throw InputError("--gemm-types is empty; give e.g. bf16 or bf16,fp16,tf32,fp64");
  return types;
}

}  // namespace

CommandSpec gpu_check_command_spec() {
  return {"gpu-check",
          {},
          "single-GPU checks: HBM bandwidth, fill+verify, pinned host<->device, GEMM (bf16, fp16, tf32, fp64), peer "
          "copies; one process per GPU or --all (no MPI needed)",
          [](CLI::App& sub) { return std::make_unique<GpuCheckCommand>(sub); }};
}

GpuCheckCommand::GpuCheckCommand(CLI::App& app) : sub_(app) {
  CLI::App* sub = &app;
  GpuCheckOptions& o = options_;
  sub->add_option("--device", device_, "CUDA device to check (default: the launcher's local rank, else 0)");
  sub->add_flag("--all", o.all_devices, "check every visible GPU from this process");
  sub->add_option("--output-dir", o.output_dir,
                  "where results.jsonl and results.json go; default railcheck-results/<time>-gpu-check-pid<pid>");
  sub->add_option("--hbm-bytes", hbm_bytes_, "HBM and fill+verify buffer (bytes; K, M, G)")->capture_default_str();
  sub->add_option("--host-bytes", host_bytes_, "pinned host<->device buffer")->capture_default_str();
  sub->add_option("--peer-bytes", peer_bytes_, "peer copy buffer")->capture_default_str();
  sub->add_option("--gemm-size", o.gemm_size, "m = n = k of every GEMM")->capture_default_str();
  sub->add_option("--gemm-types", gemm_types_, "comma list of bf16, fp16, tf32, fp64")->capture_default_str();
  sub->add_option("-n,--iters", o.iters, "timed iterations per check")->capture_default_str();
}

void GpuCheckCommand::finish() {
  GpuCheckOptions& o = options_;
  if (sub_.count("--device") > 0) {
    if (device_ < 0) throw InputError("--device " + std::to_string(device_) + ": give a CUDA ordinal, 0 or more");
    if (o.all_devices) throw InputError("--device and --all both choose GPUs; give one of them");
    o.device = device_;
  }
  o.hbm_bytes = size_flag(hbm_bytes_, "--hbm-bytes", 16);
  o.host_bytes = size_flag(host_bytes_, "--host-bytes", 1);
  o.peer_bytes = size_flag(peer_bytes_, "--peer-bytes", 16);
  if (o.gemm_size < 1 || o.gemm_size > 32768) {
    throw InputError("--gemm-size " + std::to_string(o.gemm_size) + ": choose 1..32768");
  }
  o.gemm_types = gemm_types_flag(gemm_types_);
  if (o.iters < 1) throw InputError("-n " + std::to_string(o.iters) + ": need at least 1 timed iteration");
}

}  // namespace railcheck
