// `railcheck fabric-diff PLAN FOUND`: the fabric as discovered against its saved plan (the master topology):
// every missing or extra device, missing, extra or miscabled cable, by device and port (issue #18). And
// `railcheck fabric-import FILE -o PLAN.topo`: save a discovery (ibnetdiscover / iblinkinfo output) as
// railcheck's topology file, the plan later discoveries are compared with. No MPI.
#pragma once

#include <string>

#include "railcheck/commands/command.h"

namespace railcheck {

struct FabricDiffOptions {
  std::string plan_path, found_path;  ///< topology file, ibnetdiscover or iblinkinfo output (told by content)
  std::string from;                   ///< --from: FOUND's format when its content does not tell
  bool by_name = false;               ///< --by-name: match devices by name (fabric::name_keyed); implied by a CSV plan
};

/// 0 the fabric matches its plan, 1 a finding (each printed), 2 bad input.
int run_fabric_diff_command(const FabricDiffOptions& options, const CommandEnv& env);
CommandSpec fabric_diff_command_spec();

struct FabricImportOptions {
  std::string input_path;
  std::string from;         ///< --from
  std::string output_path;  ///< -o; "" prints the topology file
};

/// Writes (or prints) the topology file and a summary line; 0, or InputError (exit 2).
int run_fabric_import_command(const FabricImportOptions& options, const CommandEnv& env);
CommandSpec fabric_import_command_spec();

}  // namespace railcheck
