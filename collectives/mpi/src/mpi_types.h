// MPI datatype and operator for each railcheck type and operator. half and bfloat16 have no MPI type: they
// travel as MPI_UINT16_T and reduce through user-defined operators that this object owns.
#pragma once

#include <mpi.h>

#include <array>

#include "railcheck/collectives/data_type.h"
#include "railcheck/collectives/host_reduce.h"

namespace railcheck {

MPI_Datatype mpi_datatype(DataType type);

class MpiReduceOps {
 public:
  MpiReduceOps();
  MpiReduceOps(const MpiReduceOps&) = delete;
  MpiReduceOps& operator=(const MpiReduceOps&) = delete;
  ~MpiReduceOps();

  /// The MPI operator that reduces `type` with `op`; avg reduces as sum (the caller divides afterwards).
  MPI_Op get(DataType type, ReduceOp op) const;

 private:
  std::array<MPI_Op, 4> half_ops_{};      // sum, prod, max, min
  std::array<MPI_Op, 4> bfloat16_ops_{};  // sum, prod, max, min
};

}  // namespace railcheck
