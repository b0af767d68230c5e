// Move-only owner of an MPI communicator that the owner created (dup or split); frees it unless MPI is
// already finalized.
#pragma once

#include <mpi.h>

#include <utility>

namespace railcheck {

class MpiComm {
 public:
  MpiComm() = default;
  /// Takes ownership of `comm` (which must not be MPI_COMM_WORLD or MPI_COMM_SELF).
  explicit MpiComm(MPI_Comm comm) : comm_(comm) {}
  MpiComm(const MpiComm&) = delete;
  MpiComm& operator=(const MpiComm&) = delete;
  MpiComm(MpiComm&& other) noexcept : comm_(std::exchange(other.comm_, MPI_COMM_NULL)) {}
  MpiComm& operator=(MpiComm&& other) noexcept {
    if (this != &other) {
      reset();
      comm_ = std::exchange(other.comm_, MPI_COMM_NULL);
    }
    return *this;
  }
  ~MpiComm() { reset(); }

  /// A duplicate of `comm` with MPI_ERRORS_RETURN, so RC_MPI_CALL sees errors instead of MPI aborting.
  static MpiComm duplicate(MPI_Comm comm);

  MPI_Comm get() const { return comm_; }

 private:
  void reset() noexcept;
  MPI_Comm comm_ = MPI_COMM_NULL;
};

}  // namespace railcheck
