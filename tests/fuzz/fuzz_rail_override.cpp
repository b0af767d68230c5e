// Fuzz target: rail override files (--rails), through parse_rail_override.
#include "fuzz_target.h"
#include "railcheck/topology/rails.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  return fuzz_reader(data, size,
                     [](std::string_view text) { (void)railcheck::parse_rail_override(text, "fuzz.json"); });
}
