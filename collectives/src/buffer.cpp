#include "railcheck/collectives/buffer.h"

#include <string>

#include "railcheck/core/error.h"

namespace railcheck {

void check_copy_range(const Buffer& buffer, std::size_t offset, std::size_t bytes) {
  if (offset > buffer.size() || bytes > buffer.size() - offset) {
    throw Error("copy of " + std::to_string(bytes) + " bytes at offset " + std::to_string(offset) +
                " overruns a buffer of " + std::to_string(buffer.size()) + " bytes");
  }
}

}  // namespace railcheck
