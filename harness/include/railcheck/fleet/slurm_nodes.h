// Slurm's view of its nodes, and the two changes railcheck makes to it (drain, resume), through sinfo and
// scontrol run with argv (fleet/program_runner.h). Changing a node's state needs Slurm's operator rights: root,
// SlurmUser or an AdminLevel=Administrator account (a Prolog / Epilog / HealthCheckProgram, or an admin shell).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "railcheck/fleet/program_runner.h"

namespace railcheck::fleet {

/// Every reason railcheck writes starts with this; it resumes only nodes whose reason does.
inline constexpr const char* kReasonLeader = "railcheck:";

struct SlurmNode {
  std::string name;
  std::string state;   ///< sinfo's long state without its flag suffixes: "idle", "allocated", "drained",
                       ///< "draining", "down", ...
  std::string flags;   ///< the suffixes sinfo appended ("*": not responding, "~": powered off, ...)
  std::string reason;  ///< "" when none ("none" from sinfo)
  /// Drained or being drained, by anyone.
  bool drained() const { return state == "drained" || state == "draining" || state == "drain"; }
  /// Drained with a reason railcheck wrote.
  bool drained_by_railcheck() const { return drained() && reason.rfind(kReasonLeader, 0) == 0; }
};

/// Parses `sinfo -h -N -o '%N|%T|%E'` lines; a node listed twice (in two partitions) once.
std::vector<SlurmNode> parse_sinfo_nodes(const std::string& text);

class SlurmNodes {
 public:
  explicit SlurmNodes(ProgramRunner& runner) : runner_(runner) {}
  /// Every node Slurm knows, or the ones named (unknown names are left out). Throws Error when sinfo fails.
  std::vector<SlurmNode> read(const std::vector<std::string>& names = {});
  /// `scontrol update nodename=<node> state=drain reason=<reason>`; throws Error with scontrol's words.
  void drain(const std::string& node, const std::string& reason);
  /// `scontrol update nodename=<node> state=resume`; throws Error with scontrol's words.
  void resume(const std::string& node);

 private:
  ProgramRunner& runner_;
};

}  // namespace railcheck::fleet
