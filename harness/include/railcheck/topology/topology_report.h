// The topology as a person reads it: GPU and NIC tables, the GPU x NIC affinity matrix (like
// `nvidia-smi topo -m`) and the rail map.
#pragma once

#include <string>
#include <vector>

#include "railcheck/topology/node_topology.h"

namespace railcheck {

/// The whole report, lines ending in '\n'. Notes ("no GPUs found (...)") come first, as "# " lines.
std::string format_topology(const NodeTopology& topology);

/// Rows aligned in columns two spaces apart, each line indented by `indent` and ending in '\n'.
std::string format_columns(const std::vector<std::vector<std::string>>& rows, const std::string& indent = "  ");

}  // namespace railcheck
