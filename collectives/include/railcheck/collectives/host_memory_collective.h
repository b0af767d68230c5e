// The memory half of a Collective whose buffers live in host memory (the MPI and thread backends):
// page-aligned allocation, touched now rather than inside the timed loop, memcpy upload and download, and a
// steady_clock timer (the calls complete before run() returns).
#pragma once

#include <cstddef>
#include <memory>
#include <span>

#include "railcheck/collectives/collective.h"

namespace railcheck {

class HostMemoryCollective : public Collective {
 public:
  Buffer allocate(std::size_t bytes) override;
  void upload(Buffer& dst, std::size_t offset, std::span<const std::byte> src) override;
  void download(const Buffer& src, std::size_t offset, std::span<std::byte> dst) override;
  std::unique_ptr<Timer> make_timer() override;
  bool supports_in_place(CollectiveKind) const override { return true; }
};

}  // namespace railcheck
