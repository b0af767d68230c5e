// The `railcheck simulate` subcommand's flags (CLI11 stays private to the harness).
#pragma once

#include <string>

#include "railcheck/simulate/simulate_command.h"

namespace CLI {
class App;
}

namespace railcheck {

/// Raw flag values of `railcheck simulate`, turned into SimulateOptions after parsing.
class SimulateCli {
 public:
  /// Adds the subcommand to `app`; this object must outlive parsing.
  CLI::App* add(CLI::App& app);
  /// Validates and converts. Throws InputError "<flag>: <problem>; <fix>".
  SimulateOptions finish() const;

 private:
  SimulateOptions options_;
  std::string fault_kinds_ = "nic,link,gpu";
};

}  // namespace railcheck
