// How much memory this node can still give: /proc/meminfo's MemAvailable (the kernel's estimate of what can
// be allocated without swapping).
#pragma once

#include <cstddef>
#include <filesystem>
#include <optional>

namespace railcheck {

/// MemAvailable in bytes from a meminfo file; nullopt when the file or the line is missing or unreadable.
std::optional<std::size_t> available_host_memory_bytes(const std::filesystem::path& meminfo = "/proc/meminfo");

}  // namespace railcheck
