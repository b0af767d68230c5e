#include "railcheck/commands/version/version_command.h"

#include "build_info.h"
#include "railcheck/core/exit_codes.h"

namespace railcheck {
namespace {

struct NoOptions {};

int print_version(const NoOptions&, const CommandEnv& env) {
  env.out << "railcheck " << build_info::kVersion << " (" << build_info::kGitRevision << ")\n"
          << "compiler: " << build_info::kCompiler << "\n"
          << "backends: mpi" << (build_info::kWithNccl ? ", nccl" : "") << "\n";
  return kExitHealthy;
}

}  // namespace

CommandSpec version_command_spec() {
  return {"version", {}, "print version and build configuration", [](CLI::App&) {
            return std::make_unique<OptionsCommand<NoOptions>>(&print_version);
          }};
}

}  // namespace railcheck
