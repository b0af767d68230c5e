// The `analyze` subcommand's flags.
#pragma once

#include <CLI/CLI.hpp>

#include "railcheck/analyze_command.h"

namespace railcheck {

/// Adds `analyze` to `app`, filling `options` when parsed.
CLI::App* add_analyze_subcommand(CLI::App& app, AnalyzeOptions& options);

}  // namespace railcheck
