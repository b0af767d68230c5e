// `railcheck version`: version, git revision, compiler and the backends built in.
#pragma once

#include "railcheck/commands/command.h"

namespace railcheck {

CommandSpec version_command_spec();

}  // namespace railcheck
