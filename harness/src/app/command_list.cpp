#include "railcheck/app/command_list.h"

#include "railcheck/commands/analyze/analyze_command.h"
#include "railcheck/commands/baseline/baseline_command.h"
#include "railcheck/commands/compare/compare_command.h"
#include "railcheck/commands/drain/drain_command.h"
#include "railcheck/commands/fabric_diff/fabric_diff_command.h"
#include "railcheck/commands/fabric_sim/fabric_sim_command.h"
#include "railcheck/commands/gpu_check/gpu_check_command.h"
#include "railcheck/commands/health_check/health_check_command.h"
#include "railcheck/commands/label/label_command.h"
#include "railcheck/commands/p2p/p2p_command.h"
#include "railcheck/commands/report/report_command.h"
#include "railcheck/commands/run/run_command.h"
#include "railcheck/commands/simulate/simulate_command.h"
#include "railcheck/commands/topology/topology_command.h"
#include "railcheck/commands/version/version_command.h"

namespace railcheck {

std::vector<CommandSpec> all_commands() {
  std::vector<CommandSpec> commands = {
      run_command_spec(),      soak_command_spec(),       p2p_command_spec(),           analyze_command_spec(),
      topo_command_spec(),     check_node_command_spec(), baseline_command_spec(),      gpu_check_command_spec(),
      simulate_command_spec(), fabric_sim_command_spec(), fabric_import_command_spec(), fabric_diff_command_spec(),
      compare_command_spec(),  drain_command_spec(),      resume_command_spec(),        health_check_command_spec(),
      label_command_spec(),    report_command_spec(),     version_command_spec(),
  };
  for (CommandSpec& sweep : sweep_command_specs()) commands.push_back(std::move(sweep));  // one per collective
  return commands;
}

}  // namespace railcheck
