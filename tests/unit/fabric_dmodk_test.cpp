// The two-tier fabric read from a topology file and routed destination-mod-k (issue #18): what `railcheck run`'s
// fabric test plans and judges with. Its routes are the generated fabric's, its plan is the shift plan, and on the
// namespace testbed's file (tests/fixtures/fabric/testbed.topo) three stages name every directed link alone.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "fabric_fixtures.h"
#include "railcheck/core/error.h"
#include "railcheck/fabric/dmodk_fabric.h"
#include "railcheck/fabric/stage_plan.h"
#include "railcheck/fabric/tomography.h"
#include "railcheck/fabric/topology_file.h"
#include "railcheck/fabric/two_tier.h"

namespace railcheck::fabric {
namespace {

std::string fixture(const std::string& name) { return test::fabric_fixture(name); }

DmodkTwoTierFabric testbed() { return test::testbed_fabric(); }

std::vector<std::string> described(const Fabric& f, const std::vector<int>& path) {
  std::vector<std::string> out;
  for (const int link : path) out.push_back(f.describe(link));
  return out;
}

TEST(DmodkTwoTierFabric, TheTestbedFileHasSixEndpointsOnThreeLeavesNumberedByLeafPort) {
  const DmodkTwoTierFabric f = testbed();
  EXPECT_EQ(f.endpoints(), 6);
  EXPECT_EQ(f.leaves(), 3);
  EXPECT_EQ(f.places(), 2);
  EXPECT_EQ(f.fabric().device(f.nic_device(0)).host, "node1");  // leaf1 port 1
  EXPECT_EQ(f.fabric().device(f.nic_device(3)).host, "node4");  // leaf2 port 2
  // node1 -> node4: place 1 on leaf2, so uplink 1 of leaf1 (port 4, spine2), down spine2's cable to leaf2.
  EXPECT_EQ(described(f.fabric(), f.route(0, 3)),
            (std::vector<std::string>{"node1/fab0 -> leaf1:1", "leaf1:4 -> spine2:1", "spine2:2 -> leaf2:4",
                                      "leaf2:2 -> node4/fab0"}));
  // Within a leaf a flow never leaves it.
  EXPECT_EQ(described(f.fabric(), f.route(1, 0)),
            (std::vector<std::string>{"node2/fab0 -> leaf1:2", "leaf1:1 -> node1/fab0"}));
}

TEST(DmodkTwoTierFabric, RoutesAreTheGeneratedFabricsOnceItIsWrittenToAFileAndReadBack) {
  for (const TwoTierShape shape :
       {TwoTierShape{3, 1, 2, 2, 1}, TwoTierShape{2, 2, 4, 2, 2}, TwoTierShape{4, 1, 3, 4, 1}}) {
    const TwoTierFabric generated(shape);
    const DmodkTwoTierFabric read(parse_topology(write_topology(generated.fabric()), "gen.topo"), "gen.topo");
    ASSERT_EQ(read.endpoints(), generated.endpoints());
    for (int src = 0; src < generated.endpoints(); ++src) {
      ASSERT_EQ(generated.nic_device(src), read.nic_device(src));  // numbered the same way
      for (int dst = 0; dst < generated.endpoints(); ++dst) {
        if (src == dst) continue;
        EXPECT_EQ(read.route(src, dst), generated.route(src, dst)) << src << " -> " << dst;
      }
    }
    EXPECT_EQ(read.tiered_plan().size(), generated.tiered_plan().size());
  }
}

TEST(DmodkTwoTierFabric, OnTheTestbedThreeStagesLoadNoLinkTwiceAndTellEveryDirectedLinkApart) {
  const DmodkTwoTierFabric f = testbed();
  const std::vector<Stage> plan = f.tiered_plan();
  ASSERT_EQ(plan.size(), 3u);
  const RouteOracle route = routes_of(f);
  for (const Stage& stage : plan) {
    EXPECT_EQ(stage.flows.size(), 6u) << stage.name;
    for (const int load : link_loads(f.fabric(), stage, route)) EXPECT_LE(load, 1) << stage.name;
  }
  const Identifiability id = identifiability(f.fabric(), plan, route);
  EXPECT_TRUE(id.uncovered.empty());
  EXPECT_EQ(id.classes.size(), f.fabric().links().size());
  EXPECT_EQ(id.largest(), 1u);
}

TEST(DmodkTwoTierFabric, EachSlowDirectedLinkOfTheTestbedIsNamedAloneFromItsFlows) {
  const DmodkTwoTierFabric f = testbed();
  const std::vector<Stage> plan = f.tiered_plan();
  for (int bad = 0; bad < static_cast<int>(f.fabric().links().size()); ++bad) {
    std::vector<std::vector<std::vector<int>>> routes(plan.size());
    std::vector<std::vector<bool>> slow(plan.size());
    for (std::size_t s = 0; s < plan.size(); ++s) {
      for (const Flow& flow : plan[s].flows) {
        routes[s].push_back(f.route(flow.src, flow.dst));
        slow[s].push_back(std::find(routes[s].back().begin(), routes[s].back().end(), bad) != routes[s].back().end());
      }
    }
    const TomographyResult result = boolean_tomography(f.fabric().links().size(), routes, slow);
    ASSERT_EQ(result.faults.size(), 1u) << f.fabric().describe(bad);
    EXPECT_EQ(result.faults[0].links, std::vector<int>{bad}) << f.fabric().describe(bad);
    EXPECT_TRUE(result.unexplained.empty());
  }
}

TEST(DmodkTwoTierFabric, AFabricOfAnotherShapeIsAnInputErrorNamingThePartAndTheFix) {
  auto error_of = [](const std::string& text) {
    try {
      DmodkTwoTierFabric(parse_topology(text, "t.topo"), "t.topo");
    } catch (const InputError& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  std::string uneven = fixture("testbed.topo");
  uneven += "nic id=node7-fab0 host=node7 dev=fab0\ncable a=leaf1:5 b=node7-fab0:1\n";
  EXPECT_NE(error_of(uneven).find("leaf leaf2 has 2 NICs and leaf leaf1 3"), std::string::npos) << error_of(uneven);
  std::string core = fixture("testbed.topo") + "switch id=core1 tier=core\n";
  EXPECT_NE(error_of(core).find("core1 is a core switch"), std::string::npos) << error_of(core);
  std::string loose = fixture("testbed.topo") + "nic id=node9-fab0 host=node9 dev=fab0\n";
  EXPECT_NE(error_of(loose).find("NIC node9-fab0 is not cabled to a leaf"), std::string::npos) << error_of(loose);
  std::string half = fixture("testbed.topo") + "switch id=spine3 tier=spine\ncable a=leaf1:9 b=spine3:1\n";
  EXPECT_NE(error_of(half).find("spine spine3 has no cable to leaf leaf2"), std::string::npos) << error_of(half);
}

// fuzz_fabric found it (tests/fuzz/regressions/fabric/oversubscribed_leaf): two leaves of two NICs with one uplink
// each: the cross-leaf stages would send both NICs' flows up the one uplink; each is split in two instead.
TEST(DmodkTwoTierFabric, AnOversubscribedLeafsCrossLeafStagesAreSplitSoNoLinkCarriesTwoFlows) {
  const std::string text =
      "# railcheck-topo v1\nswitch id=leafa tier=leaf\nswitch id=leafb tier=leaf\nswitch id=spine1 tier=spine\n"
      "nic id=n1 host=h1 dev=d rail=0\nnic id=n2 host=h2 dev=d rail=0\nnic id=n3 host=h3 dev=d rail=0\n"
      "nic id=n4 host=h4 dev=d rail=0\ncable a=leafa:1 b=n1:1\ncable a=leafa:2 b=n2:1\ncable a=leafb:1 b=n3:1\n"
      "cable a=leafb:2 b=n4:1\ncable a=leafa:3 b=spine1:1\ncable a=leafb:3 b=spine1:2\n";
  const DmodkTwoTierFabric f(parse_topology(text, "over.topo"), "over.topo");
  const std::vector<Stage> plan = f.tiered_plan();
  std::size_t flows = 0;
  for (const Stage& stage : plan) {
    flows += stage.flows.size();
    for (const int load : link_loads(f.fabric(), stage, routes_of(f))) EXPECT_LE(load, 1) << stage.name;
  }
  std::size_t shift_flows = 0;
  for (const Stage& stage : two_tier_shift_plan(2, 2)) shift_flows += stage.flows.size();
  EXPECT_EQ(flows, shift_flows);  // every flow of the shift plan, in more stages
  EXPECT_GT(plan.size(), two_tier_shift_plan(2, 2).size());
  EXPECT_NE(plan.front().name.find("(part 1)"), std::string::npos) << plan.front().name;
  // A leaf with as many uplinks as NICs keeps the plan whole.
  EXPECT_EQ(test::testbed_fabric().tiered_plan().size(), two_tier_shift_plan(3, 2).size());
}

}  // namespace
}  // namespace railcheck::fabric
