// Files other programs read while railcheck writes them (node_exporter's textfile collector, CI's JUnit
// parser, a baseline another job loads): written whole or not at all.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

namespace railcheck {

/// Writes `text` to `path` through a temporary file beside it (same directory, so the rename is atomic),
/// flushed and synced, then renamed over `path`: a reader sees the old file or the new one, never half of
/// one. Returns why it could not ("" when written); the temporary file is removed on failure. Never throws.
std::string write_file_atomically(const std::filesystem::path& path, std::string_view text) noexcept;

}  // namespace railcheck
