#include "railcheck/app/command_line.h"

#include <CLI/CLI.hpp>

#include "railcheck/core/error.h"

namespace railcheck {
namespace {

/// "run, p2p, ..., allreduce/all_reduce, ...": each command with its first other name.
std::string names_of(const std::vector<CommandSpec>& commands) {
  std::string names;
  for (const CommandSpec& spec : commands) {
    names += (names.empty() ? "" : ", ") + spec.name;
    for (const std::string& alias : spec.aliases) {
      if (alias == spec.name) continue;
      names += "/" + alias;
      break;
    }
  }
  return names;
}

bool known(const std::vector<CommandSpec>& commands, const std::string& word) {
  for (const CommandSpec& spec : commands) {
    if (spec.name == word) return true;
    for (const std::string& alias : spec.aliases) {
      if (alias == word) return true;
    }
  }
  return false;
}

}  // namespace

ParsedCommandLine parse_command_line(int argc, const char* const* argv, const std::vector<CommandSpec>& commands) {
  ParsedCommandLine parsed;
  for (int i = 0; i < argc; ++i) parsed.command_line += (i ? " " : "") + std::string(argv[i]);
  if (argc >= 2 && argv[1][0] != '-' && !known(commands, argv[1])) {
    throw InputError("unknown collective or command '" + std::string(argv[1]) + "'; commands: " + names_of(commands) +
                     " (collectives also as <name>_perf; see railcheck --help)");
  }

  CLI::App app{
      "railcheck: GPU-cluster collective benchmark and burn-in harness (run under mpirun/srun, one rank "
      "per GPU)",
      "railcheck"};
  app.require_subcommand(1);
  std::vector<std::pair<CLI::App*, std::unique_ptr<Command>>> made;
  for (const CommandSpec& spec : commands) {
    CLI::App* sub = app.add_subcommand(spec.name, spec.description);
    for (const std::string& alias : spec.aliases) {
      if (alias != spec.name) sub->alias(alias);
    }
    made.emplace_back(sub, spec.make(*sub));
  }

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp&) {
    parsed.help_text = app.help();
    // The deepest parsed subcommand's help (baseline generate, not baseline).
    for (const auto& [sub, command] : made) {
      if (!sub->parsed()) continue;
      parsed.help_text = sub->help();
      for (CLI::App* inner : sub->get_subcommands()) {
        if (inner->parsed()) parsed.help_text = inner->help();
      }
    }
    return parsed;
  } catch (const CLI::ParseError& e) {
    std::string what = e.what();
    if (argc < 2) what = "no command given; try: railcheck run   or   railcheck allreduce -b 8 -e 1G -f 2";
    throw InputError(what + " (see railcheck --help)");
  }
  for (std::size_t i = 0; i < made.size(); ++i) {
    if (!made[i].first->parsed()) continue;
    parsed.name = commands[i].name;
    parsed.command = std::move(made[i].second);
    parsed.command->finish();
    return parsed;
  }
  throw InputError("no command given (see railcheck --help)");  // unreachable: require_subcommand(1)
}

}  // namespace railcheck
