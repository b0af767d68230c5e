#include "railcheck/collectives/nccl_call.h"

#include <cstdio>

namespace railcheck {

std::string nccl_error_text(ncclResult_t result) {
  std::string text = std::string(ncclGetErrorString(result)) + " (" + std::to_string(static_cast<int>(result)) + ")";
  const char* last = ncclGetLastError(nullptr);
  if (last != nullptr && *last != '\0') text += std::string(": ") + last;
  return text;
}

void throw_nccl_error(ncclResult_t result, const char* call, const char* file, int line) {
  throw Error(format_call_error("NCCL", call, file, line, nccl_error_text(result)));
}

void warn_nccl(ncclResult_t result, const char* call) noexcept {
  if (result == ncclSuccess) return;
  std::fprintf(stderr, "railcheck: warning: %s failed: %s (%d)\n", call, ncclGetErrorString(result),
               static_cast<int>(result));
}

}  // namespace railcheck
