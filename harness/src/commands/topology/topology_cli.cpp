// The flags of `railcheck topo` and `railcheck check-node` (they share all but --profile).
#include <CLI/CLI.hpp>

#include "railcheck/commands/topology/topology_command.h"

namespace railcheck {
namespace {

using TopologyCommand = OptionsCommand<TopologyOptions>;

std::unique_ptr<TopologyCommand> make(CLI::App& sub, TopologyCommand::RunFunction run) {
  auto command = std::make_unique<TopologyCommand>(run);
  TopologyOptions& options = command->options();
  sub.add_option("--sysfs-root", options.sysfs_root,
                 "read sysfs under this directory instead of / (fixtures); NVML and CUDA are then not asked")
      ->capture_default_str();
  sub.add_option("--json", options.json_path, "also write the JSON document to this file");
  sub.add_option("--rail-override", options.rail_override,
                 "GPU -> NIC rail file (results-schema/rail-override.schema.json) instead of the automatic rule");
  return command;
}

}  // namespace

CommandSpec topo_command_spec() {
  return {"topo", {}, "show this node's GPUs, NICs, GPU-NIC affinity and rails (no MPI needed)", [](CLI::App& sub) {
            return make(sub, &run_topo_command);
          }};
}

CommandSpec check_node_command_spec() {
  return {"check-node",
          {},
          "compare this node with a hardware profile; list every mismatch (exit 1), 0 when all match",
          [](CLI::App& sub) {
            auto command = make(sub, &run_check_node_command);
            sub.add_option("--profile", command->options().profile,
                           "hardware profile, e.g. suites/profiles/dgx-h100.json")
                ->required();
            return command;
          }};
}

}  // namespace railcheck
