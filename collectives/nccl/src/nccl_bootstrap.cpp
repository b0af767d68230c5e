#include "nccl_bootstrap.h"

#include <climits>

#include "railcheck/collectives/mpi_call.h"
#include "railcheck/collectives/nccl_call.h"

namespace railcheck {

void agree_on_success(MPI_Comm comm, const std::string& local_failure, const char* step) {
  int rank = 0;
  RC_MPI_CALL(MPI_Comm_rank(comm, &rank));
  const int mine = local_failure.empty() ? INT_MAX : rank;
  int first_failed = INT_MAX;
  RC_MPI_CALL(MPI_Allreduce(&mine, &first_failed, 1, MPI_INT, MPI_MIN, comm));
  if (first_failed == INT_MAX) return;
  if (!local_failure.empty()) throw Error(local_failure);
  throw Error(std::string(step) + " failed on rank " + std::to_string(first_failed) +
              " of the communicator (that rank's error says why)");
}

NcclComm create_nccl_comm(MPI_Comm comm, const NcclCommOptions& options) {
  int rank = 0;
  int size = 0;
  RC_MPI_CALL(MPI_Comm_rank(comm, &rank));
  RC_MPI_CALL(MPI_Comm_size(comm, &size));

  ncclUniqueId id{};
  std::string failure;
  if (rank == 0) {
    try {
      RC_NCCL_CALL(ncclGetUniqueId(&id));
    } catch (const Error& error) {
      failure = error.what();
    }
  }
  agree_on_success(comm, failure, "ncclGetUniqueId");
  RC_MPI_CALL(MPI_Bcast(&id, static_cast<int>(sizeof id), MPI_BYTE, 0, comm));

  ncclComm_t raw = nullptr;
  if (!options.cta_policy) {
    RC_NCCL_CALL(ncclCommInitRank(&raw, size, id, rank));
    return NcclComm(raw);
  }
#if NCCL_VERSION_CODE >= NCCL_VERSION(2, 27, 0)
  ncclConfig_t config = NCCL_CONFIG_INITIALIZER;
  config.CTAPolicy = *options.cta_policy;
  RC_NCCL_CALL(ncclCommInitRankConfig(&raw, size, id, rank, &config));
  return NcclComm(raw);
#else
  throw Error("NCCL's CTA policy (-x) needs NCCL 2.27 or later; this railcheck was built against " +
              std::to_string(NCCL_VERSION_CODE));
#endif
}

}  // namespace railcheck
