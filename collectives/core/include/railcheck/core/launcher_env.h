// Where a launcher (mpirun, srun, mpi-operator) put this process, read from its environment: what a process
// knows before MPI starts (or without MPI at all: gpu-check), and what error messages name.
#pragma once

#include <optional>
#include <string>

namespace railcheck {

struct LauncherPlace {
  std::optional<int> rank;  ///< world rank; nullopt outside a launcher
  int local_rank = 0;
  int local_size = 1;
  int world_size = 1;
};

/// Open MPI's, PMIx's, PMI's and Slurm's variables, in that order of preference.
LauncherPlace launcher_place();

/// The world rank, or 0 outside a launcher (a lone process speaks for itself).
inline int launcher_rank() { return launcher_place().rank.value_or(0); }

/// This host's name ("unknown" when gethostname fails).
std::string host_name();

}  // namespace railcheck
