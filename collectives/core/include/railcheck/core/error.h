// The one exception type railcheck code throws, and the macro that converts foreign errors at the boundary.
#pragma once

#include <stdexcept>
#include <string>

namespace railcheck {

/// What went wrong, with the failing call's text and where it was made. Library code throws this and never
/// calls exit(); the CLI turns it into a message and exit code 2.
class Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// Bad user input (flags, suite, baseline or results files): the message names the file, field and fix.
class InputError : public Error {
 public:
  using Error::Error;
};

/// Formats "<api> call `<call>` failed at file:line: <detail>" with the process's host and rank when known.
std::string format_call_error(const char* api, const char* call, const char* file, int line, const std::string& detail);

}  // namespace railcheck
