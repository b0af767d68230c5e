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

/// Checked before a run measures anything, for a file it writes at its end: InputError naming `flag` and `file`
/// unless the name ends in `extension` (`why`: who reads only those) and its directory exists and is writable
/// (`where`: a suggestion for the directory, "" none).
void check_output_file(const std::string& flag, const std::filesystem::path& file, const std::string& extension,
                       const std::string& why, const std::string& where);

}  // namespace railcheck
