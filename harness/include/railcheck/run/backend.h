// Chooses the collective backend for a run (--backend auto|nccl|mpi) and builds it.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "railcheck/collectives/collective.h"
#include "railcheck/record/manifest.h"
#include "railcheck/runtime/bootstrap.h"

namespace railcheck {

struct BackendChoice {
  std::string name;    ///< nccl or mpi
  std::string reason;  ///< why, for the manifest and console
  int device = -1;     ///< this rank's CUDA device (nccl)
};

/// Collective over the world, so every rank makes the same choice: auto picks nccl only when NCCL is built
/// in and every rank sees a CUDA device. Throws InputError (same on every rank) when nccl is asked for and
/// cannot run, naming the ranks and hosts without a usable GPU and the reason.
BackendChoice choose_backend(const std::string& requested, const Bootstrap& bootstrap);

/// The backend over the whole world.
std::unique_ptr<Collective> make_collective(const BackendChoice& choice, const Bootstrap& bootstrap);

/// This rank's GPU, when the backend uses one.
std::optional<GpuDescription> describe_gpu(const BackendChoice& choice);

/// Versions of CUDA runtime, driver and NCCL (zeros when built without them) into the manifest.
void fill_cuda_versions(RunManifest& manifest);

/// Whether this build includes the NCCL backend.
bool nccl_built_in();

}  // namespace railcheck
