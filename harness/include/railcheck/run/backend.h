// Chooses the collective backend for a run (--backend auto|nccl|mpi) and builds it.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "railcheck/collectives/collective.h"
#include "railcheck/record/manifest.h"
#include "railcheck/runtime/bootstrap.h"

namespace railcheck {

struct BackendChoice {
  std::string name;    ///< nccl or mpi
  std::string reason;  ///< why, for the manifest and console
  int device = -1;     ///< this rank's CUDA device (nccl)
};

/// The choice from every rank's GPU probe (`gpu_problems[r]`: "" where rank r has a usable GPU, else why
/// not), the same on every rank. nccl when every rank has one; auto with none: the host backend, saying why.
/// Throws InputError naming the ranks and hosts without a usable GPU and the reason when nccl is asked for
/// and some lack one, and for auto when some ranks have one and others not (a run never mixes host and GPU
/// memory). `device` is left -1.
BackendChoice decide_backend(const std::string& requested, const std::vector<std::string>& gpu_problems,
                             const std::vector<RankInfo>& ranks);

/// Collective over the world: probes this rank's CUDA devices and decides as decide_backend, so every rank
/// makes the same choice. `pretend_gpu_rank` (--debug-pretend-gpu-rank) reports one usable device on that
/// rank, to test the auto rule on a machine without GPUs.
BackendChoice choose_backend(const std::string& requested, const Bootstrap& bootstrap, int pretend_gpu_rank = -1);

/// Settings of the backend's communicator, from nccl-tests' flags.
struct BackendOptions {
  std::optional<int> cta_policy;  ///< -x: NCCL's CTA policy (0 default, 1 efficiency, 2 zero)
};

/// The backend over the whole world. Throws InputError when `options` set what the chosen backend has not
/// (a CTA policy without NCCL).
std::unique_ptr<Collective> make_collective(const BackendChoice& choice, const Bootstrap& bootstrap,
                                            const BackendOptions& options = {});

/// This rank's GPU, when the backend uses one.
std::optional<GpuDescription> describe_gpu(const BackendChoice& choice);

/// Versions of CUDA runtime, driver and NCCL (zeros when built without them) into the manifest.
void fill_cuda_versions(RunManifest& manifest);

/// Whether this build includes the NCCL backend.
bool nccl_built_in();

}  // namespace railcheck
