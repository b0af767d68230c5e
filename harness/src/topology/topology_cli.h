// The topo and check-node subcommands for cli.cpp's CLI11 parser (private to the harness).
#pragma once

#include "railcheck/topology/topology_command.h"

namespace CLI {
class App;
}

namespace railcheck {

struct TopologySubcommands {
  CLI::App* topo = nullptr;
  CLI::App* check_node = nullptr;
};

/// Adds "topo" and "check-node" to `app`, writing their flags into `options` (which must outlive parsing).
TopologySubcommands add_topology_subcommands(CLI::App& app, TopologyOptions& options);

}  // namespace railcheck
