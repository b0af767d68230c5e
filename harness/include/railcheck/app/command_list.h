// Every subcommand railcheck has, in the order `railcheck --help` lists them.
#pragma once

#include <vector>

#include "railcheck/commands/command.h"

namespace railcheck {

/// The registry: one line per command in command_list.cpp.
std::vector<CommandSpec> all_commands();

}  // namespace railcheck
