// Fuzz target: fabric topology input (railcheck fabric-import / fabric-diff / run --topology / --routes): the
// first byte picks the reader (railcheck's topology file, ibnetdiscover or iblinkinfo output, a cabling-plan CSV,
// forwarding tables routing a fixed two-leaf fabric: routes that walk and a legal plan, or an InputError), the rest
// is its text. Whatever a reader accepts must also write out as a topology file that reads back to the same file (a
// value the writer would not quote properly, for one), diff against itself to nothing, keyed by name diff against
// itself to nothing too, and, where it is a leaf-spine fabric the dmodk oracle takes, route every flow of its plan
// from the source NIC to the destination NIC over cabled links; a failure of any traps.
#include "fuzz_target.h"
#include "railcheck/fabric/cabling_csv_import.h"
#include "railcheck/fabric/dmodk_fabric.h"
#include "railcheck/fabric/forwarding_tables.h"
#include "railcheck/fabric/iblinkinfo_import.h"
#include "railcheck/fabric/ibnetdiscover_import.h"
#include "railcheck/fabric/lft_fabric.h"
#include "railcheck/fabric/topology_diff.h"
#include "railcheck/fabric/topology_file.h"

namespace {

/// tests/fixtures/fabric/two_leaf.topo: the fabric fuzzed forwarding tables route.
constexpr const char* kTwoLeaf = R"(# railcheck-topo v1
switch id=S-0002c90200000001 tier=leaf name="MF0;leaf-a:MQM8700/U1"
switch id=S-0002c90200000002 tier=leaf name="MF0;leaf-b:MQM8700/U1"
switch id=S-0002c90200000003 tier=spine name="MF0;spine-1:MQM8700/U1"
nic id=H-0002c90300000011 host=node1 dev=mlx5_0 name="node1 mlx5_0"
nic id=H-0002c90300000021 host=node2 dev=mlx5_0 name="node2 mlx5_0"
nic id=H-0002c90300000031 host=node3 dev=mlx5_0 name="node3 mlx5_0"
nic id=H-0002c90300000041 host=node4 dev=mlx5_0 name="node4 mlx5_0"
cable a=S-0002c90200000001:1 b=H-0002c90300000011:1
cable a=S-0002c90200000001:2 b=H-0002c90300000021:1
cable a=S-0002c90200000001:21 b=S-0002c90200000003:1
cable a=S-0002c90200000002:1 b=H-0002c90300000031:1
cable a=S-0002c90200000002:2 b=H-0002c90300000041:1
cable a=S-0002c90200000002:21 b=S-0002c90200000003:2
)";

/// Traps unless every flow of the plan walks from its source NIC to its destination NIC over cabled links and no
/// stage loads a link twice.
void walk_plan(const railcheck::fabric::RoutedFabric& routed) {
  namespace fabric = railcheck::fabric;
  for (const fabric::Stage& stage : routed.tiered_plan()) {
    std::vector<int> load(routed.fabric().links().size(), 0);
    for (const fabric::Flow& flow : stage.flows) {
      const std::vector<int> path = routed.route(flow.src, flow.dst);
      const auto& links = routed.fabric().links();
      if (path.empty() || links.at(static_cast<std::size_t>(path.front())).from != routed.nic_device(flow.src) ||
          links.at(static_cast<std::size_t>(path.back())).to != routed.nic_device(flow.dst)) {
        __builtin_trap();
      }
      for (std::size_t i = 0; i < path.size(); ++i) {
        if (++load.at(static_cast<std::size_t>(path[i])) > 1) __builtin_trap();
        if (i > 0 &&
            links.at(static_cast<std::size_t>(path[i])).from != links.at(static_cast<std::size_t>(path[i - 1])).to) {
          __builtin_trap();
        }
      }
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const int reader = data[0] % 5;
  return fuzz_reader(data + 1, size - 1, [reader](std::string_view text) {
    namespace fabric = railcheck::fabric;
    if (reader == 4) {  // forwarding tables, routing the two-leaf fabric: an InputError or routes that walk
      const fabric::LftFabric routed(fabric::parse_topology(kTwoLeaf, "two_leaf.topo"),
                                     fabric::parse_forwarding_tables(text, "fuzz.lfts"), "fuzz.lfts");
      walk_plan(routed);
      return;
    }
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
    walk_plan(routed);
  });
}
