// Fuzz target: baseline files (--baseline, railcheck baseline merge), through parse_baseline.
#include "fuzz_target.h"
#include "railcheck/analysis/baseline.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  return fuzz_reader(data, size,
                     [](std::string_view text) { (void)railcheck::analysis::parse_baseline(text, "fuzz.json"); });
}
