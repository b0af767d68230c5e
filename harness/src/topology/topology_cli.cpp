#include "topology_cli.h"

#include <CLI/CLI.hpp>

namespace railcheck {

TopologySubcommands add_topology_subcommands(CLI::App& app, TopologyOptions& options) {
  TopologySubcommands subs;
  subs.topo = app.add_subcommand("topo", "show this node's GPUs, NICs, GPU-NIC affinity and rails (no MPI needed)");
  subs.check_node = app.add_subcommand(
      "check-node", "compare this node with a hardware profile; list every mismatch (exit 1), 0 when all match");
  for (CLI::App* sub : {subs.topo, subs.check_node}) {
    sub->add_option("--sysfs-root", options.sysfs_root,
                    "read sysfs under this directory instead of / (fixtures); NVML and CUDA are then not asked")
        ->capture_default_str();
    sub->add_option("--json", options.json_path, "also write the JSON document to this file");
    sub->add_option("--rail-override", options.rail_override,
                    "GPU -> NIC rail file (results-schema/rail-override.schema.json) instead of the automatic rule");
  }
  subs.check_node->add_option("--profile", options.profile, "hardware profile, e.g. suites/profiles/dgx-h100.json")
      ->required();
  return subs;
}

}  // namespace railcheck
