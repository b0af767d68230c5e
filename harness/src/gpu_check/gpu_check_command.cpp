// gpu-check: choose the GPUs, run the checks, stream the records, summarize, pick the exit code.
#include "railcheck/gpu_check/gpu_check_command.h"

#include <unistd.h>

#include <array>
#include <cstdlib>
#include <filesystem>
#include <vector>

#include "build_info.h"
#include "gpu_check_measure.h"
#include "railcheck/core/error.h"
#include "railcheck/output/sinks.h"
#include "railcheck/record/manifest.h"
#include "railcheck/run/backend.h"

namespace railcheck {
namespace {

// Where a launcher (mpirun, srun) put this process; all defaults outside one.
struct LauncherPlace {
  int rank = 0;
  int local_rank = 0;
  int local_size = 1;
  int world_size = 1;
};

// The first of `names` set in the environment, as an integer; `fallback` when none is (or it is not a number).
int env_int(std::initializer_list<const char*> names, int fallback) {
  for (const char* name : names) {
    if (const char* value = std::getenv(name)) {
      char* end = nullptr;
      const long number = std::strtol(value, &end, 10);
      if (end != value && *end == '\0' && number >= 0) return static_cast<int>(number);
    }
  }
  return fallback;
}

LauncherPlace launcher_place() {
  LauncherPlace p;
  p.rank = env_int({"OMPI_COMM_WORLD_RANK", "PMIX_RANK", "PMI_RANK", "SLURM_PROCID"}, 0);
  p.local_rank = env_int({"OMPI_COMM_WORLD_LOCAL_RANK", "SLURM_LOCALID", "MPI_LOCALRANKID"}, 0);
  p.local_size = std::max(p.local_rank + 1, env_int({"OMPI_COMM_WORLD_LOCAL_SIZE", "MPI_LOCALNRANKS"}, 1));
  p.world_size = env_int({"OMPI_COMM_WORLD_SIZE", "PMI_SIZE", "SLURM_NTASKS"}, 1);
  return p;
}

std::string this_host() {
  std::array<char, 256> name{};
  if (gethostname(name.data(), name.size() - 1) != 0) return "unknown";
  return name.data();
}

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
    dir /= "rank" + std::to_string(place.rank);  // one process per GPU: each keeps its own files
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
  self.rank = place.rank;
  self.host = host;
  self.local_rank = place.local_rank;
  self.local_size = place.local_size;
  self.pid = static_cast<int>(getpid());
  m.ranks.push_back(RankEntry{self, probe.usable() ? describe_gpu_check_device(first_device) : std::nullopt});
  return m;
}

void count(RunSummary& summary, const GpuCheckRecord& r) {
  ++summary.records;
  const std::string where = "gpu " + (r.device ? std::to_string(*r.device) : std::string("-")) + " on " + r.host +
                            (r.pci_bus_id.empty() ? "" : " (" + r.pci_bus_id + ")") + " " + r.test_key;
  switch (r.status) {
    case GpuCheckStatus::kOk:
      break;
    case GpuCheckStatus::kSkipped:
      ++summary.skipped_records;
      break;
    case GpuCheckStatus::kWrong:
      ++summary.wrong_records;
      summary.wrong_elements += std::max<std::int64_t>(0, r.wrong);
      summary.problems.push_back(where + ": " + std::to_string(r.wrong) + " of " + std::to_string(r.checked) +
                                 " checked elements wrong");
      break;
    case GpuCheckStatus::kError:
      ++summary.wrong_records;
      summary.problems.push_back(where + ": " + r.error);
      break;
  }
}

}  // namespace

int run_gpu_check_command(const GpuCheckOptions& options, const std::string& command_line, std::ostream& out,
                          std::ostream& err) {
  try {
    const std::string host = this_host();
    const LauncherPlace place = launcher_place();
    const GpuCheckProbe probe = probe_gpu_check_devices();
    const std::vector<int> devices = chosen_devices(options, probe, place);
    const std::filesystem::path dir = output_dir(options, place);
    RunManifest manifest = gpu_check_manifest(command_line, host, place, probe, devices.front());
    ResultsFiles files(dir);
    files.begin(manifest);
    RunSummary summary;
    auto emit = [&](const GpuCheckRecord& r) {
      files.add(LineType::kGpuCheck, to_json(r));
      count(summary, r);
      if (probe.usable()) out << "# " << format_gpu_check_line(r) << std::endl;
    };
    if (!probe.usable()) {
      out << "# SKIP gpu-check: no usable CUDA device: " << probe.reason << std::endl;
      for (const GpuCheckRecord& r : skipped_gpu_check_records(options.gemm_types, host, std::nullopt,
                                                               "no usable CUDA device: " + probe.reason)) {
        emit(r);
      }
    } else {
      for (int device : devices) measure_gpu_checks(options, device, probe.device_count, host, emit);
    }
    for (const std::string& problem : summary.problems) out << "# FAILED " << problem << "\n";
    summary.exit_code = summary.problems.empty() ? kExitHealthy : kExitDegraded;
    manifest.end_time = utc_now_iso8601();
    files.finish(manifest, summary);
    out << "# results: " << (dir / "results.json").string() << " (streamed: " << (dir / "results.jsonl").string() << ")"
        << std::endl;
    return summary.exit_code;
  } catch (const std::exception& e) {
    err << "railcheck: error: " << e.what() << std::endl;
    return kExitHarnessError;
  }
}

}  // namespace railcheck
