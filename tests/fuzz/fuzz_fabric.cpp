// Fuzz target: fabric topology input (railcheck fabric-import / fabric-diff): the first byte picks the reader
// (railcheck's topology file, ibnetdiscover or iblinkinfo output), the rest is its text. Whatever a reader accepts
// must also write out as a topology file that reads back to the same file (a value the writer would not quote
// properly, for one), and diff against itself to nothing; a failure of either traps.
#include "fuzz_target.h"
#include "railcheck/fabric/iblinkinfo_import.h"
#include "railcheck/fabric/ibnetdiscover_import.h"
#include "railcheck/fabric/topology_diff.h"
#include "railcheck/fabric/topology_file.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const int reader = data[0] % 3;
  return fuzz_reader(data + 1, size - 1, [reader](std::string_view text) {
    namespace fabric = railcheck::fabric;
    const fabric::Fabric f = reader == 0   ? fabric::parse_topology(text, "fuzz.topo")
                             : reader == 1 ? fabric::import_ibnetdiscover(text, "fuzz.txt")
                                           : fabric::import_iblinkinfo(text, "fuzz.txt");
    const std::string written = fabric::write_topology(f);
    if (fabric::write_topology(fabric::parse_topology(written, "written.topo")) != written) __builtin_trap();
    if (!fabric::diff_topology(f, f).empty()) __builtin_trap();
  });
}
