// Creating an NCCL communicator over the ranks of an MPI communicator, failing on every rank together.
#pragma once

#include <mpi.h>

#include <string>

#include "nccl_comm.h"
#include "railcheck/collectives/nccl_collective.h"

namespace railcheck {

/// Collective over `comm`: returns if `local_failure` is empty on every rank; otherwise throws Error on every
/// rank (the failing rank with its own message, the others naming the first failing rank and `step`).
void agree_on_success(MPI_Comm comm, const std::string& local_failure, const char* step);

/// Collective over `comm`: rank 0 makes the unique id (ncclGetUniqueId), MPI_Bcast sends it, every rank
/// joins with ncclCommInitRank on the current CUDA device (ncclCommInitRankConfig when `options` set
/// anything).
NcclComm create_nccl_comm(MPI_Comm comm, const NcclCommOptions& options = {});

}  // namespace railcheck
