#include "railcheck/collectives/host_memory_collective.h"

#include <cstdlib>
#include <cstring>
#include <string>

#include "railcheck/collectives/host_timer.h"
#include "railcheck/core/error.h"

namespace railcheck {
namespace {

constexpr std::size_t kHostAlignment = 4096;  // a page: no two buffers share one

}  // namespace

Buffer HostMemoryCollective::allocate(std::size_t bytes) {
  const std::size_t rounded = (bytes + kHostAlignment - 1) / kHostAlignment * kHostAlignment;
  void* data = std::aligned_alloc(kHostAlignment, rounded == 0 ? kHostAlignment : rounded);
  if (data == nullptr) throw Error("cannot allocate " + std::to_string(bytes) + " bytes of host memory");
  std::memset(data, 0, bytes);  // touch every page now, not inside the timed loop
  return Buffer(data, bytes, MemoryKind::kHost, [](void* p) noexcept { std::free(p); });
}

void HostMemoryCollective::upload(Buffer& dst, std::size_t offset, std::span<const std::byte> src) {
  check_copy_range(dst, offset, src.size());
  std::memcpy(dst.bytes_ptr() + offset, src.data(), src.size());
}

void HostMemoryCollective::download(const Buffer& src, std::size_t offset, std::span<std::byte> dst) {
  check_copy_range(src, offset, dst.size());
  std::memcpy(dst.data(), src.bytes_ptr() + offset, dst.size());
}

std::unique_ptr<Timer> HostMemoryCollective::make_timer() { return std::make_unique<HostTimer>(); }

}  // namespace railcheck
