// The contract every fuzz target checks: a reader of outside input, given any bytes, returns or throws
// railcheck's InputError (the CLI's one-line "railcheck: error: <file>: <field>: <problem>; <fix>", exit 2).
// Any other exception escaping, a crash, or a sanitizer report is a bug. Targets define
// RAILCHECK_FUZZ_TARGET(data, size) (libFuzzer's LLVMFuzzerTestOneInput under clang, or replay_main.cpp's
// driver in the normal build).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "railcheck/core/error.h"

/// Runs `read` on the input as text; InputError is the expected outcome for bad input, anything else escapes.
template <typename Read>
int fuzz_reader(const std::uint8_t* data, std::size_t size, Read read) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  try {
    read(text);
  } catch (const railcheck::InputError&) {
  }
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);
