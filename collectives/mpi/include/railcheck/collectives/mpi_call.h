// RC_MPI_CALL: the boundary where MPI error codes become railcheck::Error (keeps the call text, file, line).
#pragma once

#include <mpi.h>

#include <string>

#include "railcheck/core/error.h"

namespace railcheck {

/// MPI_Error_string of `code`.
std::string mpi_error_text(int code);

}  // namespace railcheck

#define RC_MPI_CALL(call)                                                                                    \
  do {                                                                                                       \
    const int rc_mpi_status_ = (call);                                                                       \
    if (rc_mpi_status_ != MPI_SUCCESS) {                                                                     \
      throw ::railcheck::Error(::railcheck::format_call_error("MPI", #call, __FILE__, __LINE__,              \
                                                              ::railcheck::mpi_error_text(rc_mpi_status_))); \
    }                                                                                                        \
  } while (false)
