#include "railcheck/collectives/mpi_comm.h"

#include <cstdio>

#include "railcheck/collectives/mpi_call.h"

namespace railcheck {

std::string mpi_error_text(int code) {
  char text[MPI_MAX_ERROR_STRING];
  int length = 0;
  if (MPI_Error_string(code, text, &length) != MPI_SUCCESS) return "MPI error " + std::to_string(code);
  return std::string(text, static_cast<std::size_t>(length));
}

MpiComm MpiComm::duplicate(MPI_Comm comm) {
  MPI_Comm dup = MPI_COMM_NULL;
  RC_MPI_CALL(MPI_Comm_dup(comm, &dup));
  MpiComm owned(dup);
  RC_MPI_CALL(MPI_Comm_set_errhandler(dup, MPI_ERRORS_RETURN));
  return owned;
}

void MpiComm::reset() noexcept {
  if (comm_ == MPI_COMM_NULL) return;
  int finalized = 0;
  MPI_Finalized(&finalized);
  if (!finalized && MPI_Comm_free(&comm_) != MPI_SUCCESS) {
    std::fprintf(stderr, "railcheck: warning: MPI_Comm_free failed\n");
  }
  comm_ = MPI_COMM_NULL;
}

}  // namespace railcheck
