// Fuzz target: hardware profiles (--profile, railcheck check-node), through parse_profile.
#include "fuzz_target.h"
#include "railcheck/topology/profile.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  return fuzz_reader(data, size, [](std::string_view text) { (void)railcheck::parse_profile(text, "fuzz.json"); });
}
