// Shared by the unit tests of the command line: parse argv as `railcheck ...` over the registered commands,
// reach a parsed command's options, and expect one-line input errors.
#pragma once

#include <gtest/gtest.h>

#include <exception>
#include <stdexcept>
#include <string>
#include <vector>

#include "railcheck/app/command_line.h"
#include "railcheck/app/command_list.h"
#include "railcheck/core/error.h"

namespace railcheck::test {

/// parse_command_line over {"railcheck", args...} and every registered command.
inline ParsedCommandLine parse(std::vector<const char*> args) {
  args.insert(args.begin(), "railcheck");
  return parse_command_line(static_cast<int>(args.size()), args.data(), all_commands());
}

/// The parsed command as `T` (RunCommand, SimulateCommand, ...); throws when it is another command.
template <typename T>
const T& command_as(const ParsedCommandLine& parsed) {
  const auto* command = dynamic_cast<const T*>(parsed.command.get());
  if (command == nullptr) throw std::logic_error("'" + parsed.name + "' is not the expected command");
  return *command;
}

/// Expects an InputError with a non-empty one-line message; returns the message ("" after a test failure).
inline std::string cli_error(std::vector<const char*> args) {
  try {
    (void)parse(args);
  } catch (const InputError& e) {
    const std::string what = e.what();
    EXPECT_EQ(what.find('\n'), std::string::npos) << "message should be one line: " << what;
    EXPECT_FALSE(what.empty());
    return what;
  } catch (const std::exception& e) {
    ADD_FAILURE() << "expected InputError, got: " << e.what();
    return "";
  }
  ADD_FAILURE() << "expected InputError";
  return "";
}

inline bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

}  // namespace railcheck::test
