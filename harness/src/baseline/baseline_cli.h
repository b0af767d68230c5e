// The baseline subcommand (generate, merge) for cli.cpp's CLI11 parser (private to the harness).
#pragma once

#include "railcheck/baseline/baseline_command.h"

namespace CLI {
class App;
}

namespace railcheck {

struct BaselineSubcommands {
  CLI::App* baseline = nullptr;  ///< "baseline": parsed when either action was given
  CLI::App* generate = nullptr;
  CLI::App* merge = nullptr;
};

/// Adds "baseline" with its "generate" and "merge" actions to `app`, writing their arguments and the chosen
/// action into `options` (which must outlive parsing).
BaselineSubcommands add_baseline_subcommands(CLI::App& app, BaselineCommandOptions& options);

}  // namespace railcheck
