// Fuzz target: suite files (railcheck run SUITE), through parse_suite, the reader `load_suite` uses.
#include "fuzz_target.h"
#include "railcheck/plan/suite.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  return fuzz_reader(data, size, [](std::string_view text) { (void)railcheck::parse_suite(text, "fuzz.json"); });
}
