#include "railcheck/fleet/slurm_nodes.h"

#include <set>
#include <sstream>

#include "railcheck/core/error.h"

namespace railcheck::fleet {

std::vector<SlurmNode> parse_sinfo_nodes(const std::string& text) {
  std::vector<SlurmNode> nodes;
  std::set<std::string> seen;
  std::istringstream lines(text);
  for (std::string line; std::getline(lines, line);) {
    const std::size_t a = line.find('|');
    const std::size_t b = a == std::string::npos ? a : line.find('|', a + 1);
    if (b == std::string::npos) continue;
    SlurmNode node;
    node.name = line.substr(0, a);
    node.state = line.substr(a + 1, b - a - 1);
    node.reason = line.substr(b + 1);
    if (node.reason == "none") node.reason.clear();
    const std::size_t flags = node.state.find_first_of("*~#!%$@^-+");
    if (flags != std::string::npos) {
      node.flags = node.state.substr(flags);
      node.state.erase(flags);
    }
    if (!node.name.empty() && seen.insert(node.name).second) nodes.push_back(std::move(node));
  }
  return nodes;
}

std::vector<SlurmNode> SlurmNodes::read(const std::vector<std::string>& names) {
  std::vector<std::string> argv = {"sinfo", "-h", "-N", "-o", "%N|%T|%E"};
  if (!names.empty()) {
    std::string list;
    for (const std::string& n : names) list += (list.empty() ? "" : ",") + n;
    argv.insert(argv.end(), {"-n", list});
  }
  const ProgramResult r = runner_.run(argv);
  if (!r.ok()) throw Error("sinfo: " + r.describe() + "; is this a Slurm cluster's node, with sinfo on PATH?");
  return parse_sinfo_nodes(r.out);
}

void SlurmNodes::drain(const std::string& node, const std::string& reason) {
  const ProgramResult r = runner_.run({"scontrol", "update", "nodename=" + node, "state=drain", "reason=" + reason});
  if (!r.ok()) {
    throw Error("scontrol update nodename=" + node + " state=drain: " + r.describe() +
                " (draining needs root, SlurmUser or an Administrator account)");
  }
}

void SlurmNodes::resume(const std::string& node) {
  const ProgramResult r = runner_.run({"scontrol", "update", "nodename=" + node, "state=resume"});
  if (!r.ok()) {
    throw Error("scontrol update nodename=" + node + " state=resume: " + r.describe() +
                " (resuming needs root, SlurmUser or an Administrator account)");
  }
}

}  // namespace railcheck::fleet
