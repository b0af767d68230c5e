#include "railcheck/core/error.h"

#include <unistd.h>

#include <array>
#include <cstdlib>

namespace railcheck {
namespace {

// The launcher's rank variable, read at the moment of the error (MPI may not be initialised yet).
std::string launcher_rank() {
  for (const char* name : {"OMPI_COMM_WORLD_RANK", "PMIX_RANK", "PMI_RANK", "SLURM_PROCID"}) {
    if (const char* value = std::getenv(name)) return value;
  }
  return "?";
}

}  // namespace

std::string format_call_error(const char* api, const char* call, const char* file, int line,
                              const std::string& detail) {
  std::array<char, 256> host{};
  if (gethostname(host.data(), host.size() - 1) != 0) host[0] = '\0';
  return std::string(api) + " call `" + call + "` failed: " + detail + " [" + file + ":" + std::to_string(line) +
         ", host " + host.data() + ", rank " + launcher_rank() + "]";
}

}  // namespace railcheck
