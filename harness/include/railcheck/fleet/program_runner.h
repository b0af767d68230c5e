// Running another program (scontrol, sinfo) the way a fleet action must: argv straight to exec, never
// through a shell (a reason or node name is data, not code), with a time limit, its output captured.
#pragma once

#include <string>
#include <vector>

namespace railcheck::fleet {

struct ProgramResult {
  int exit_code = -1;   ///< the program's exit status; -1 when it did not run or did not exit
  std::string out;      ///< its standard output
  std::string err;      ///< its standard error
  std::string failure;  ///< why it did not run or finish ("" when it exited): not found, timed out, killed
  bool ok() const { return failure.empty() && exit_code == 0; }
  /// "exit 1: <stderr>" / the failure: for error messages.
  std::string describe() const;
};

class ProgramRunner {
 public:
  virtual ~ProgramRunner() = default;
  /// Runs argv[0] (looked up on PATH) with argv; never throws for the program's own failures.
  virtual ProgramResult run(const std::vector<std::string>& argv) = 0;
};

/// The real one: posix_spawnp, stdout / stderr through pipes, SIGKILL after `timeout_s`.
class SystemProgramRunner final : public ProgramRunner {
 public:
  explicit SystemProgramRunner(double timeout_s = 30.0) : timeout_s_(timeout_s) {}
  ProgramResult run(const std::vector<std::string>& argv) override;

 private:
  double timeout_s_;
};

}  // namespace railcheck::fleet
