// The flags of `railcheck health-check`.
#include <CLI/CLI.hpp>

#include "railcheck/commands/health_check/health_check_command.h"

namespace railcheck {

CommandSpec health_check_command_spec() {
  return {"health-check",
          {},
          "node-local check for Slurm's HealthCheckProgram / Prolog / Epilog: this node against its hardware "
          "profile in seconds; --act drain drains it on a mismatch (reason \"railcheck: health-check ...\") and "
          "resumes it when it matches again",
          [](CLI::App& sub) {
            auto command = std::make_unique<OptionsCommand<HealthCheckOptions>>(&run_health_check_command);
            HealthCheckOptions& options = command->options();
            sub.add_option("--profile", options.profile, "hardware profile, e.g. suites/profiles/dgx-h100.json")
                ->required();
            sub.add_option_function<std::string>(
                   "--act", [&options](const std::string&) { options.act_drain = true; },
                   "drain: drain this node on a mismatch, resume it when an earlier health check drained it")
                ->check(CLI::IsMember({"drain"}));
            sub.add_option("--node", options.node,
                           "Slurm's name for this node (default $SLURMD_NODENAME, else the host name up to its first "
                           "dot)");
            sub.add_option("--sysfs-root", options.sysfs_root, "read sysfs from here (a fixture tree in tests)");
            return command;
          }};
}

}  // namespace railcheck
