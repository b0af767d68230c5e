// Where a run's results go: --output-dir, or railcheck-results/<utc time>-<job or pid>.
#pragma once

#include <filesystem>
#include <string>

#include "railcheck/runtime/bootstrap.h"

namespace railcheck {

/// Collective: rank 0 creates `requested` (or the default name when empty) and every rank learns the path,
/// or every rank throws the same InputError naming the directory when it cannot be created.
std::filesystem::path prepare_output_dir(const std::string& requested, const Bootstrap& bootstrap);

}  // namespace railcheck
