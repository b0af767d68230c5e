// The MPI host backend: collectives on host memory through MPI, so every check runs without a GPU.
#pragma once

#include <mpi.h>

#include <memory>

#include "railcheck/collectives/collective.h"

namespace railcheck {

/// A Collective over a duplicate of `comm` (the caller keeps `comm`). Collective over `comm`'s ranks.
std::unique_ptr<Collective> make_mpi_collective(MPI_Comm comm);

}  // namespace railcheck
