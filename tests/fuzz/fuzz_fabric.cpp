// Fuzz target: fabric topology input (railcheck fabric-import / fabric-diff / run --topology): the first byte picks
// the reader (railcheck's topology file, ibnetdiscover or iblinkinfo output, a cabling-plan CSV), the rest is its
// text. Whatever a reader accepts must also write out as a topology file that reads back to the same file (a value
// the writer would not quote properly, for one), diff against itself to nothing, keyed by name diff against
// itself to nothing too, and, where it is a leaf-spine fabric the dmodk oracle takes, route every flow of its plan
// from the source NIC to the destination NIC over cabled links; a failure of any traps.
#include "fuzz_target.h"
#include "railcheck/fabric/cabling_csv_import.h"
#include "railcheck/fabric/dmodk_fabric.h"
#include "railcheck/fabric/iblinkinfo_import.h"
#include "railcheck/fabric/ibnetdiscover_import.h"
#include "railcheck/fabric/topology_diff.h"
#include "railcheck/fabric/topology_file.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const int reader = data[0] % 4;
  return fuzz_reader(data + 1, size - 1, [reader](std::string_view text) {
    namespace fabric = railcheck::fabric;
    const fabric::Fabric f = reader == 0   ? fabric::parse_topology(text, "fuzz.topo")
                             : reader == 1 ? fabric::import_ibnetdiscover(text, "fuzz.txt")
                             : reader == 2 ? fabric::import_iblinkinfo(text, "fuzz.txt")
                                           : fabric::import_cabling_csv(text, "fuzz.csv");
    const std::string written = fabric::write_topology(f);
    if (fabric::write_topology(fabric::parse_topology(written, "written.topo")) != written) __builtin_trap();
    if (!fabric::diff_topology(f, f).empty()) __builtin_trap();
    try {
      const fabric::Fabric keyed = fabric::name_keyed(f, "fuzz");
      if (!fabric::diff_topology(keyed, keyed).empty()) __builtin_trap();
    } catch (const railcheck::InputError&) {  // two devices of one name: refused, and the routes still walked
    }
    const fabric::DmodkTwoTierFabric routed(f, "fuzz");  // an InputError for other shapes ends the input here
    if (routed.endpoints() > 256) return;                // enough to walk; the plan is quadratic in the leaves
    for (const fabric::Stage& stage : routed.tiered_plan()) {
      for (const fabric::Flow& flow : stage.flows) {
        const std::vector<int> path = routed.route(flow.src, flow.dst);
        const auto& links = routed.fabric().links();
        if (path.empty() || links.at(static_cast<std::size_t>(path.front())).from != routed.nic_device(flow.src) ||
            links.at(static_cast<std::size_t>(path.back())).to != routed.nic_device(flow.dst)) {
          __builtin_trap();
        }
        for (std::size_t i = 1; i < path.size(); ++i) {
          if (links.at(static_cast<std::size_t>(path[i])).from != links.at(static_cast<std::size_t>(path[i - 1])).to) {
            __builtin_trap();
          }
        }
      }
    }
  });
}
