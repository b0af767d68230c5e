#include "railcheck/runtime/host_memory.h"

#include <fstream>
#include <sstream>
#include <string>

namespace railcheck {

std::optional<std::size_t> available_host_memory_bytes(const std::filesystem::path& meminfo) {
  std::ifstream file(meminfo);
  for (std::string line; std::getline(file, line);) {
    if (line.rfind("MemAvailable:", 0) != 0) continue;
    std::istringstream fields(line.substr(13));
    unsigned long long kib = 0;
    std::string unit;
    if (!(fields >> kib >> unit) || unit != "kB") return std::nullopt;
    return static_cast<std::size_t>(kib) * 1024u;
  }
  return std::nullopt;
}

}  // namespace railcheck
