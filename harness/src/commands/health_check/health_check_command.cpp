#include "railcheck/commands/health_check/health_check_command.h"

#include <unistd.h>

#include <cstdlib>

#include "railcheck/core/exit_codes.h"
#include "railcheck/fleet/node_actions.h"
#include "railcheck/topology/local_discovery.h"
#include "railcheck/topology/node_check.h"
#include "railcheck/topology/profile.h"

namespace railcheck {
namespace {

std::string this_node(const HealthCheckOptions& options) {
  if (!options.node.empty()) return options.node;
  if (const char* slurm = std::getenv("SLURMD_NODENAME"); slurm != nullptr && *slurm != '\0') return slurm;
  char host[256] = {};
  gethostname(host, sizeof host - 1);
  return fleet::node_name_of(host);
}

/// The mismatches in one line, short enough for a Slurm reason: "gpu_count 7 (want 8); port_state DOWN ...".
std::string problem_of(const NodeCheckResult& result) {
  std::string text;
  for (const NodeMismatch& m : result.mismatches) {
    text += (text.empty() ? "" : "; ") + m.part + " " + m.check + " " + m.found + " (want " + m.expected + ")";
  }
  return text;
}

}  // namespace

int run_health_check_command(const HealthCheckOptions& options, const CommandEnv& env) {
  const HardwareProfile profile = load_profile(options.profile);
  const NodeTopology topology = discover_local_node(options.sysfs_root, "");
  const NodeCheckResult result = check_node(topology, profile);
  env.out << format_node_check(result, profile, topology);
  if (options.act_drain) {
    fleet::SystemProgramRunner runner(options.slurm_timeout_s);
    fleet::SlurmNodes slurm(runner);
    env.out << fleet::act_on_health(this_node(options), problem_of(result), slurm) << '\n';
  }
  env.out.flush();
  return result.matches() ? kExitHealthy : kExitDegraded;
}

}  // namespace railcheck
