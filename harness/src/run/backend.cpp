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

BackendChoice choose_backend(const std::string& requested, const Bootstrap& bootstrap) {
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
  const CudaProbe probe = probe_cuda_devices();
  const bool usable = probe.usable();
  const std::vector<std::string> reasons = bootstrap.gather_strings(usable ? "" : probe.reason, 0);
  std::string summary;
  if (bootstrap.rank() == 0) {
    // One entry per distinct reason, naming the ranks that gave it (a whole fleet usually shares one).
    std::vector<std::pair<std::string, std::vector<std::size_t>>> by_reason;
    for (std::size_t r = 0; r < reasons.size(); ++r) {
      if (reasons[r].empty()) continue;
      auto it = std::find_if(by_reason.begin(), by_reason.end(), [&](const auto& e) { return e.first == reasons[r]; });
      if (it == by_reason.end()) it = by_reason.insert(by_reason.end(), {reasons[r], {}});
      it->second.push_back(r);
    }
    for (const auto& [reason, ranks] : by_reason) {
      std::string who;
      for (std::size_t i = 0; i < ranks.size() && i < 8; ++i) {
        who += (i ? ", " : "") + std::to_string(ranks[i]) + " (" + bootstrap.ranks()[ranks[i]].host + ")";
      }
      if (ranks.size() > 8) who += " and " + std::to_string(ranks.size() - 8) + " more";
      summary +=
          (summary.empty() ? "" : "; ") + std::string(ranks.size() == 1 ? "rank " : "ranks ") + who + ": " + reason;
    }
  }
  summary = bootstrap.broadcast(summary, 0);
  if (summary.empty()) {
    const int device = bootstrap.self().local_rank % probe.device_count;
    return {"nccl", requested == "nccl" ? "requested with --backend nccl" : "auto: every rank sees a CUDA device",
            device};
  }
  if (requested == "nccl") {
    throw InputError("--backend nccl: no usable CUDA device on " + summary +
                     "; run on GPU nodes, or use --backend mpi for the host backend");
  }
  return {"mpi", "auto: no usable CUDA device (" + summary + ")", -1};
#else
  (void)bootstrap;
  return {"mpi", "auto", -1};
#endif
}

std::unique_ptr<Collective> make_collective(const BackendChoice& choice, const Bootstrap& bootstrap) {
#ifdef RAILCHECK_HAVE_NCCL
  if (choice.name == "nccl") {
    // NCCL bootstraps its communicator (the unique id, agreement on failures) over MPI.
    const auto* mpi = dynamic_cast<const MpiBootstrap*>(&bootstrap);
    if (mpi == nullptr) throw InputError("--backend nccl needs ranks launched by MPI (mpirun or srun)");
    return make_nccl_collective(mpi->comm(), choice.device);
  }
#endif
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
