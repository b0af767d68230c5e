// `railcheck health-check --profile P [--act drain]`: the node-local check for Slurm's HealthCheckProgram,
// Prolog or Epilog (slurm/railcheck-healthcheck.sh): this node against its hardware profile (GPU and RDMA NIC
// counts, models, PCIe links, port states, rails), in a few seconds and well inside Slurm's 60 s. No MPI, no
// measurement.
#pragma once

#include <string>

#include "railcheck/commands/command.h"

namespace railcheck {

struct HealthCheckOptions {
  std::string profile;            ///< --profile: the hardware profile file
  std::string sysfs_root = "/";   ///< --sysfs-root: a fixture tree in tests
  bool act_drain = false;         ///< --act drain: drain this node on a mismatch, resume it when a health check
                                  ///< drained it and it matches again
  std::string node;               ///< --node: Slurm's name for this node (default $SLURMD_NODENAME, else the host
                                  ///< name up to its first dot)
  double slurm_timeout_s = 15.0;  ///< per sinfo / scontrol call, inside HealthCheckProgram's 60 s
};

/// 0 the node matches its profile, 1 it does not (a Prolog or Epilog that exits 1 drains the node through
/// Slurm); InputError (2) for a bad profile; Error (2) when --act drain cannot read or change Slurm.
int run_health_check_command(const HealthCheckOptions& options, const CommandEnv& env);

CommandSpec health_check_command_spec();

}  // namespace railcheck
