#include "railcheck/core/launcher_env.h"

#include <unistd.h>

#include <algorithm>
#include <array>
#include <cstdlib>
#include <initializer_list>

namespace railcheck {
namespace {

// The first of `names` set in the environment as a non-negative integer.
std::optional<int> env_int(std::initializer_list<const char*> names) {
  for (const char* name : names) {
    if (const char* value = std::getenv(name)) {
      char* end = nullptr;
      const long number = std::strtol(value, &end, 10);
      if (end != value && *end == '\0' && number >= 0) return static_cast<int>(number);
    }
  }
  return std::nullopt;
}

}  // namespace

LauncherPlace launcher_place() {
  LauncherPlace p;
  p.rank = env_int({"OMPI_COMM_WORLD_RANK", "PMIX_RANK", "PMI_RANK", "SLURM_PROCID"});
  p.local_rank = env_int({"OMPI_COMM_WORLD_LOCAL_RANK", "SLURM_LOCALID", "MPI_LOCALRANKID"}).value_or(0);
  p.local_size = std::max(p.local_rank + 1, env_int({"OMPI_COMM_WORLD_LOCAL_SIZE", "MPI_LOCALNRANKS"}).value_or(1));
  p.world_size = env_int({"OMPI_COMM_WORLD_SIZE", "PMI_SIZE", "SLURM_NTASKS"}).value_or(1);
  return p;
}

std::string host_name() {
  std::array<char, 256> name{};
  if (gethostname(name.data(), name.size() - 1) != 0) return "unknown";
  return name.data();
}

}  // namespace railcheck
