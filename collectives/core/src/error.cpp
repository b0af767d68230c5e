#include "railcheck/core/error.h"

#include "railcheck/core/launcher_env.h"

namespace railcheck {

std::string format_call_error(const char* api, const char* call, const char* file, int line,
                              const std::string& detail) {
  const std::optional<int> rank = launcher_place().rank;
  return std::string(api) + " call `" + call + "` failed: " + detail + " [" + file + ":" + std::to_string(line) +
         ", host " + host_name() + ", rank " + (rank ? std::to_string(*rank) : std::string("?")) + "]";
}

}  // namespace railcheck
