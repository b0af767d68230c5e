// The command line, parsed before MPI starts (a bad flag is a one-line error and exit 2 on every rank
// without launching anything) over the registered commands.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "railcheck/commands/command.h"

namespace railcheck {

struct ParsedCommandLine {
  std::string name;                  ///< the command's registered name ("" for --help without a command)
  std::unique_ptr<Command> command;  ///< null when only help was asked for
  std::string help_text;             ///< --help: the text to print
  std::string command_line;          ///< argv joined
};

/// Parses argv against `commands`. Throws InputError with a one-line message naming the flag and the fix.
ParsedCommandLine parse_command_line(int argc, const char* const* argv, const std::vector<CommandSpec>& commands);

}  // namespace railcheck
