#include "railcheck/run/backend.h"

#include <algorithm>

#include "railcheck/core/error.h"
#include "railcheck/runtime/mpi_bootstrap.h"
#ifdef RAILCHECK_HAVE_NCCL
#include "railcheck/collectives/nccl_collective.h"
#endif

namespace railcheck {

bool nccl_built_in() {
#ifdef RAILCHECK_HAVE_NCCL
  return true;
#else
  return false;
#endif
}

namespace {

// "ranks 0 (n0), 2 (n1): <reason>; rank 5 (n3): <other reason>": one entry per distinct reason, naming up to
// 8 ranks each (a whole fleet usually shares one reason).
std::string describe_problems(const std::vector<std::string>& problems, const std::vector<RankInfo>& ranks) {
  std::vector<std::pair<std::string, std::vector<std::size_t>>> by_reason;
  for (std::size_t r = 0; r < problems.size(); ++r) {
    if (problems[r].empty()) continue;
    auto it = std::find_if(by_reason.begin(), by_reason.end(), [&](const auto& e) { return e.first == problems[r]; });
    if (it == by_reason.end()) it = by_reason.insert(by_reason.end(), {problems[r], {}});
    it->second.push_back(r);
  }
  std::string summary;
  for (const auto& [reason, who_ranks] : by_reason) {
    std::string who;
    for (std::size_t i = 0; i < who_ranks.size() && i < 8; ++i) {
      who += (i ? ", " : "") + std::to_string(who_ranks[i]) + " (" + ranks[who_ranks[i]].host + ")";
    }
    if (who_ranks.size() > 8) who += " and " + std::to_string(who_ranks.size() - 8) + " more";
    summary +=
        (summary.empty() ? "" : "; ") + std::string(who_ranks.size() == 1 ? "rank " : "ranks ") + who + ": " + reason;
  }
  return summary;
}

// The hosts of the ranks with a problem, each once, in rank order.
std::string hosts_with_problems(const std::vector<std::string>& problems, const std::vector<RankInfo>& ranks) {
  std::vector<std::string> hosts;
  for (std::size_t r = 0; r < problems.size(); ++r) {
    if (!problems[r].empty() && std::find(hosts.begin(), hosts.end(), ranks[r].host) == hosts.end()) {
      hosts.push_back(ranks[r].host);
    }
  }
  std::string text;
  for (const std::string& host : hosts) text += (text.empty() ? "" : ", ") + host;
  return text;
}

}  // namespace

BackendChoice decide_backend(const std::string& requested, const std::vector<std::string>& gpu_problems,
                             const std::vector<RankInfo>& ranks) {
  const auto usable = static_cast<std::size_t>(std::count(gpu_problems.begin(), gpu_problems.end(), ""));
  if (usable == gpu_problems.size()) {
    return {"nccl", requested == "nccl" ? "requested with --backend nccl" : "auto: every rank sees a CUDA device", -1};
  }
  const std::string summary = describe_problems(gpu_problems, ranks);
  if (requested == "nccl") {
    throw InputError("--backend nccl: no usable CUDA device on " + summary +
                     "; run on GPU nodes, or use --backend mpi for the host backend");
  }
  if (usable > 0) {
    // Some ranks would measure GPU memory and the others host memory: never mix, never downgrade in silence.
    throw InputError("--backend auto: " + std::to_string(usable) + " of " + std::to_string(gpu_problems.size()) +
                     " ranks have a usable GPU and the others do not, on " + hosts_with_problems(gpu_problems, ranks) +
                     " (" + summary +
                     "); fix or leave out those hosts, or use --backend mpi to measure host memory on every rank");
  }
  return {"mpi", "auto: no usable CUDA device (" + summary + ")", -1};
}

BackendChoice choose_backend(const std::string& requested, const Bootstrap& bootstrap, int pretend_gpu_rank) {
  if (requested == "mpi") return {"mpi", "requested with --backend mpi", -1};
  if (!nccl_built_in()) {
    if (requested == "nccl") {
      throw InputError(
          "--backend nccl: this railcheck was built without NCCL (no CUDA compiler or libnccl at "
          "build time); rebuild on a machine with the CUDA toolkit, or use --backend mpi");
    }
    return {"mpi", "auto: built without NCCL", -1};
  }
#ifdef RAILCHECK_HAVE_NCCL
  CudaProbe probe = probe_cuda_devices();
  if (pretend_gpu_rank == bootstrap.rank() && !probe.usable()) {
    probe = CudaProbe{};
    probe.device_count = 1;  // --debug-pretend-gpu-rank: testing the auto rule without a GPU
  }
  const std::vector<std::string> problems = bootstrap.allgather_strings(probe.usable() ? "" : probe.reason);
  BackendChoice choice = decide_backend(requested, problems, bootstrap.ranks());
  if (choice.name == "nccl") choice.device = bootstrap.self().local_rank % probe.device_count;
  return choice;
#else
  (void)bootstrap;
  (void)pretend_gpu_rank;
  return {"mpi", "auto", -1};
#endif
}

std::unique_ptr<Collective> make_collective(const BackendChoice& choice, const Bootstrap& bootstrap,
                                            const BackendOptions& options) {
#ifdef RAILCHECK_HAVE_NCCL
  if (choice.name == "nccl") {
    // NCCL bootstraps its communicator (the unique id, agreement on failures) over MPI.
    const auto* mpi = dynamic_cast<const MpiBootstrap*>(&bootstrap);
    if (mpi == nullptr) throw InputError("--backend nccl needs ranks launched by MPI (mpirun or srun)");
    return make_nccl_collective(mpi->comm(), choice.device, NcclCommOptions{options.cta_policy});
  }
#endif
  if (options.cta_policy) {
    throw InputError("-x " + std::to_string(*options.cta_policy) + ": NCCL's CTA policy needs the NCCL backend; this " +
                     "run uses the " + choice.name + " backend (" + choice.reason + "); leave -x out");
  }
  return bootstrap.make_host_collective();
}

std::optional<GpuDescription> describe_gpu(const BackendChoice& choice) {
#ifdef RAILCHECK_HAVE_NCCL
  if (choice.name == "nccl") {
    const GpuInfo info = gpu_info(choice.device);
    return GpuDescription{info.device, info.name, info.uuid, info.pci_bus_id};
  }
#endif
  (void)choice;
  return std::nullopt;
}

void fill_cuda_versions(RunManifest& manifest) {
#ifdef RAILCHECK_HAVE_NCCL
  const CudaVersions versions = cuda_versions();
  manifest.cuda_runtime = versions.cuda_runtime;
  manifest.cuda_driver = versions.cuda_driver;
  manifest.nccl = versions.nccl;
#else
  (void)manifest;
#endif
}

}  // namespace railcheck
