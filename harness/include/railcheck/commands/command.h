// A subcommand of railcheck: its flags, their validation, and what it runs. Every command lives in its own
// folder (harness/src/commands/<name>/) and is registered once, by one line in app/command_list.cpp; the
// parser and the program loop over that list (no switch over commands anywhere).
#pragma once

#include <functional>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

namespace CLI {
class App;
class Option;
}  // namespace CLI

namespace railcheck {

class Bootstrap;
class SinkRegistry;

/// What a command runs with.
struct CommandEnv {
  std::string command_line;  ///< argv joined, for manifests
  std::ostream& out;
  std::ostream& err;
  const Bootstrap* bootstrap = nullptr;  ///< the MPI world, for commands that need_mpi(); null for the others
  const SinkRegistry& sinks;             ///< the output formats a measuring command writes
};

class Command {
 public:
  virtual ~Command() = default;
  /// After the command line was parsed: validates and converts the flags. Throws InputError naming the flag
  /// and the fix (the same on every rank: nothing has started).
  virtual void finish() {}
  /// Whether the command runs as ranks of an MPI job (MPI is started for it); false: one process, no MPI.
  virtual bool needs_mpi() const { return false; }
  /// Runs the command and returns its exit code (core/exit_codes.h). Throws InputError for bad input and
  /// Error (or any std::exception) for failures: the program's one error boundary turns them into exit 2.
  virtual int run(const CommandEnv& env) = 0;
};

/// One entry of the command list.
struct CommandSpec {
  std::string name;
  std::vector<std::string> aliases;
  std::string description;
  /// Adds the command's flags to `sub` (the CLI11 subcommand made for it) and returns the command that will
  /// hold their values; `sub` and the command outlive parsing.
  std::function<std::unique_ptr<Command>(CLI::App& sub)> make;
};

/// A command that runs in one process (no MPI) as a function of an options struct its flags fill: most
/// commands are this plus a function that adds their flags.
template <typename Options>
class OptionsCommand final : public Command {
 public:
  using RunFunction = int (*)(const Options&, const CommandEnv&);
  using FinishFunction = void (*)(Options&);
  explicit OptionsCommand(RunFunction run, FinishFunction finish = nullptr) : run_(run), finish_(finish) {}
  void finish() override {
    if (finish_ != nullptr) finish_(options_);
  }
  int run(const CommandEnv& env) override { return run_(options_, env); }
  Options& options() { return options_; }
  const Options& options() const { return options_; }

 private:
  RunFunction run_;
  FinishFunction finish_;
  Options options_;
};

}  // namespace railcheck
