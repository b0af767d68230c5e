// gpu-check: choose the GPUs, run the checks, stream the records, summarize, pick the exit code.
#include "railcheck/commands/gpu_check/gpu_check_command.h"

#include <unistd.h>

#include <filesystem>
#include <vector>

#include "build_info.h"
#include "railcheck/core/error.h"
#include "railcheck/core/launcher_env.h"
#include "railcheck/gpu_check/gpu_check_measure.h"
#include "railcheck/output/sink_registry.h"
#include "railcheck/output/summary_sink.h"
#include "railcheck/record/manifest.h"
#include "railcheck/record/wall_clock.h"
#include "railcheck/run/backend.h"

namespace railcheck {
namespace {

// The GPUs to check: all, --device, or the launcher's local rank modulo the visible count.
std::vector<int> chosen_devices(const GpuCheckOptions& options, const GpuCheckProbe& probe,
                                const LauncherPlace& place) {
  if (!probe.usable()) return {options.device.value_or(place.local_rank)};
  if (options.all_devices) {
    std::vector<int> all;
    for (int d = 0; d < probe.device_count; ++d) all.push_back(d);
    return all;
  }
  if (options.device) {
    if (*options.device >= probe.device_count) {
      throw InputError("--device " + std::to_string(*options.device) + ": this process sees " +
                       std::to_string(probe.device_count) + " CUDA device(s); choose 0.." +
                       std::to_string(probe.device_count - 1) + " or --all");
    }
    return {*options.device};
  }
  return {place.local_rank % probe.device_count};
}

std::filesystem::path output_dir(const GpuCheckOptions& options, const LauncherPlace& place) {
  std::filesystem::path dir = options.output_dir;
  if (dir.empty()) {
    std::string stamp = utc_now_iso8601();
    std::erase(stamp, ':');
    std::erase(stamp, '-');
    dir = "railcheck-results/" + stamp + "-gpu-check-pid" + std::to_string(getpid());
  } else if (place.world_size > 1) {
    dir /= "rank" + std::to_string(place.rank.value_or(0));  // one process per GPU: each keeps its own files
  }
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) {
    throw InputError("--output-dir " + dir.string() + ": cannot create (" + ec.message() +
                     "); choose a writable directory");
  }
  return dir;
}

RunManifest gpu_check_manifest(const std::string& command_line, const std::string& host, const LauncherPlace& place,
                               const GpuCheckProbe& probe, int first_device) {
  RunManifest m;
  m.railcheck_version = build_info::kVersion;
  m.git_revision = build_info::kGitRevision;
  m.compiler = build_info::kCompiler;
  m.command_line = command_line;
  m.suite = "gpu-check";
  m.backend = "cuda";
  m.backend_reason = probe.usable() ? "gpu-check: CUDA runtime and cuBLAS on this node's GPUs, no collectives"
                                    : "gpu-check: no usable CUDA device (" + probe.reason + ")";
  m.start_time = utc_now_iso8601();
  std::tie(m.mpi_library, m.mpi_standard) = mpi_versions();  // allowed before MPI_Init; MPI is not started
  fill_cuda_versions(m);
  if (const char* job = std::getenv("SLURM_JOB_ID")) m.slurm_job_id = job;
  m.hosts = {host};
  RankInfo self;
  self.rank = place.rank.value_or(0);
  self.host = host;
  self.local_rank = place.local_rank;
  self.local_size = place.local_size;
  self.pid = static_cast<int>(getpid());
  m.ranks.push_back(RankEntry{self, probe.usable() ? describe_gpu_check_device(first_device) : std::nullopt});
  return m;
}

}  // namespace

int run_gpu_check_command(const GpuCheckOptions& options, const CommandEnv& env) {
  const std::string host = host_name();
  const LauncherPlace place = launcher_place();
  const GpuCheckProbe probe = probe_gpu_check_devices();
  const std::vector<int> devices = chosen_devices(options, probe, place);
  const std::filesystem::path dir = output_dir(options, place);
  RunManifest manifest = gpu_check_manifest(env.command_line, host, place, probe, devices.front());
  SinkFanout outputs = env.sinks.open({dir, env.out, env.err});
  auto counter = std::make_unique<SummarySink>();
  const SummarySink& summary = *counter;
  outputs.add(std::move(counter));
  outputs.begin_run(manifest);
  TestStart start;
  start.name = "gpu-check";
  start.kind = LineType::kGpuCheck;
  start.nranks = 1;
  outputs.begin_test(start);
  double started = unix_now_s();
  auto emit = [&](const GpuCheckRecord& measured) {
    GpuCheckRecord r = measured;  // each check ran from the previous record's end to now
    r.start_unix_s = started;
    r.end_unix_s = started = unix_now_s();
    outputs.record(r);
  };
  if (!probe.usable()) {
    outputs.note(NoteLevel::kSkip, "gpu-check: no usable CUDA device: " + probe.reason);
    for (const GpuCheckRecord& r :
         skipped_gpu_check_records(options.gemm_types, host, std::nullopt, "no usable CUDA device: " + probe.reason)) {
      emit(r);
    }
  } else {
    for (int device : devices) measure_gpu_checks(options, device, probe.device_count, host, emit);
  }
  outputs.end_test(start);
  const RunSummary totals = summary.summary();
  manifest.end_time = utc_now_iso8601();
  outputs.end_run(manifest, totals);
  return totals.exit_code;
}

}  // namespace railcheck
