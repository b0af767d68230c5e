// Routes from forwarding tables and the greedy planner (issue #18's route oracle for InfiniBand and planner for
// any shape): the `ibroute` / `dump_lfts.sh` reader and OpenSM's dump on hand-written golden files, the walk of
// each route through the tables (equal to the generated fabrics' own routes when the tables are written from
// them, two and three tiers), input errors naming the file, switch and LID, and the greedy plan's stages (each
// endpoint one flow out and one in, no link loaded twice, every link told apart).
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <map>
#include <string>

#include "fabric_fixtures.h"
#include "railcheck/core/error.h"
#include "railcheck/fabric/fabric_input.h"
#include "railcheck/fabric/forwarding_tables.h"
#include "railcheck/fabric/greedy_plan.h"
#include "railcheck/fabric/lft_fabric.h"
#include "railcheck/fabric/stage_plan.h"
#include "railcheck/fabric/three_tier.h"
#include "railcheck/fabric/two_tier.h"

namespace railcheck::fabric {
namespace {

using test::fabric_fixture;

Fabric two_leaf() { return parse_fabric_text(fabric_fixture("two_leaf.ibnetdiscover"), "two_leaf.ibnetdiscover"); }

std::vector<std::string> described(const RoutedFabric& f, const std::vector<int>& route) {
  std::vector<std::string> out;
  for (const int l : route) out.push_back(f.fabric().describe(l));
  return out;
}

int endpoint_of(const RoutedFabric& f, const std::string& host) {
  for (int e = 0; e < f.endpoints(); ++e) {
    if (f.fabric().device(f.nic_device(e)).host == host) return e;
  }
  ADD_FAILURE() << host;
  return -1;
}

/// The forwarding tables of a routed fabric as `ibroute` prints them: LID e + 1 for endpoint e, each switch's port
/// toward it read off the fabric's own routes (destination routing: the same from every source).
std::string ibroute_dump_of(const RoutedFabric& f) {
  const Fabric& fab = f.fabric();
  std::map<int, std::map<int, int>> port_of;  // switch -> endpoint -> port
  for (int src = 0; src < f.endpoints(); ++src) {
    for (int dst = 0; dst < f.endpoints(); ++dst) {
      for (const int l : f.route(src, dst)) {
        const DirectedLink& link = fab.links()[static_cast<std::size_t>(l)];
        if (fab.device(link.from).tier != Tier::kNic) port_of[link.from][dst] = link.from_port;
      }
    }
  }
  std::string text;
  char line[256];
  for (const auto& [sw, ports] : port_of) {
    std::snprintf(line, sizeof line, "Unicast lids [0x0-0x%x] of switch Lid %d guid 0x%016x (%s):\n", f.endpoints(),
                  10000 + sw, 0x100000 + sw, fab.device(sw).id.c_str());
    text += line;
    text += "  Lid  Out   Destination\n       Port     Info \n";
    for (const auto& [dst, port] : ports) {
      const Device& nic = fab.device(f.nic_device(dst));
      std::snprintf(line, sizeof line, "0x%04x %03d : (Channel Adapter portguid 0x%016x: '%s %s')\n", dst + 1, port,
                    0x200000 + dst, nic.host.c_str(), nic.nic.c_str());
      text += line;
    }
    text += std::to_string(ports.size()) + " valid lids dumped \n";
  }
  return text;
}

void expect_legal(const RoutedFabric& f, const std::vector<Stage>& plan) {
  for (const Stage& stage : plan) {
    std::vector<int> sends(static_cast<std::size_t>(f.endpoints()), 0), receives(sends.size(), 0);
    for (const Flow& flow : stage.flows) {
      EXPECT_NE(flow.src, flow.dst);
      ++sends[static_cast<std::size_t>(flow.src)];
      ++receives[static_cast<std::size_t>(flow.dst)];
    }
    EXPECT_LE(*std::max_element(sends.begin(), sends.end()), 1) << stage.name;
    EXPECT_LE(*std::max_element(receives.begin(), receives.end()), 1) << stage.name;
    const std::vector<int> loads = link_loads(f.fabric(), stage, routes_of(f));
    EXPECT_LE(*std::max_element(loads.begin(), loads.end()), 1) << stage.name;
  }
}

TEST(ForwardingTables, TheIbrouteDumpGivesEachSwitchsPortPerLidAndEachAdaptersLid) {
  const ForwardingTables t = parse_forwarding_tables(fabric_fixture("two_leaf.lfts"), "two_leaf.lfts");
  ASSERT_EQ(t.by_guid.size(), 3u);
  const ForwardingTable& leaf_a = t.by_guid.at("0002c90200000001");
  EXPECT_EQ(leaf_a.name, "MF0;leaf-a:MQM8700/U1");
  EXPECT_EQ(leaf_a.out_port.at(5), 1);
  EXPECT_EQ(leaf_a.out_port.at(7), 21);
  EXPECT_EQ(leaf_a.out_port.at(2), 0);  // its own LID: port 0
  EXPECT_EQ(t.by_guid.at("0002c90200000003").out_port.at(8), 2);
  EXPECT_EQ(t.adapter_lid, (std::map<std::string, int>{
                               {"node1 mlx5_0", 5}, {"node2 mlx5_0", 6}, {"node3 mlx5_0", 7}, {"node4 mlx5_0", 8}}));
}

TEST(ForwardingTables, OpenSmsOwnDumpReadsTheSame) {
  const std::string opensm =
      "Unicast lids [0-8] of switch Lid 2 guid 0x0002c90200000001 ('MF0;leaf-a:MQM8700/U1'):\n"
      "0x0005 001 # Channel Adapter portguid 0x0002c90300000012: 'node1 mlx5_0'\n"
      "0x0007 021 # Channel Adapter portguid 0x0002c90300000032: 'node3 mlx5_0'\n"
      "8 lids dumped\n";
  const ForwardingTables t = parse_forwarding_tables(opensm, "opensm-lfts.dump");
  ASSERT_EQ(t.by_guid.size(), 1u);
  EXPECT_EQ(t.by_guid.at("0002c90200000001").name, "MF0;leaf-a:MQM8700/U1");
  EXPECT_EQ(t.by_guid.at("0002c90200000001").out_port.at(7), 21);
  EXPECT_EQ(t.adapter_lid.at("node3 mlx5_0"), 7);
}

TEST(ForwardingTables, WhatIsNotADumpIsAnErrorNamingTheLine) {
  const auto error_of = [](const std::string& text) {
    try {
      parse_forwarding_tables(text, "lfts.txt");
    } catch (const InputError& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  EXPECT_NE(error_of("0x0005 001 : (Channel Adapter portguid 0x1: 'a b')\n")
                .find("lfts.txt:1: a forwarding entry "
                      "before any"),
            std::string::npos);
  const std::string header = "Unicast lids [0x0-0x8] of switch Lid 2 guid 0x0002c90200000001 (leaf):\n";
  EXPECT_NE(error_of(header + "0x0005 1x1\n").find("lfts.txt:2: not a forwarding table line"), std::string::npos);
  EXPECT_NE(error_of(header + header).find("lfts.txt:2: switch 0x0002c90200000001 is dumped twice"), std::string::npos);
  EXPECT_NE(error_of(header + "0x0005 001 : (Channel Adapter portguid 0x1: 'n1 mlx5_0')\n"
                              "0x0006 002 : (Channel Adapter portguid 0x2: 'n1 mlx5_0')\n")
                .find("lfts.txt:3: adapter 'n1 mlx5_0' answers on LID 5 and 6"),
            std::string::npos);
  EXPECT_NE(error_of("").find("no switch's table"), std::string::npos);
  EXPECT_NE(error_of(header + "0x0005 99999999999999999999\n").find("not a forwarding table line"), std::string::npos);
}

TEST(LftFabric, RoutesWalkTheTablesFromNicToNic) {
  const LftFabric f(two_leaf(), parse_forwarding_tables(fabric_fixture("two_leaf.lfts"), "two_leaf.lfts"),
                    "two_leaf.lfts");
  ASSERT_EQ(f.endpoints(), 4);
  EXPECT_EQ(described(f, f.route(endpoint_of(f, "node1"), endpoint_of(f, "node3"))),
            (std::vector<std::string>{
                "node1/mlx5_0 -> S-0002c90200000001:1", "S-0002c90200000001:21 -> S-0002c90200000003:1",
                "S-0002c90200000003:2 -> S-0002c90200000002:21", "S-0002c90200000002:1 -> node3/mlx5_0"}));
  EXPECT_EQ(described(f, f.route(endpoint_of(f, "node2"), endpoint_of(f, "node1"))),
            (std::vector<std::string>{"node2/mlx5_0 -> S-0002c90200000001:2", "S-0002c90200000001:1 -> node1/mlx5_0"}));
  const std::vector<Stage> plan = f.tiered_plan();
  expect_legal(f, plan);
  const Identifiability id = identifiability(f.fabric(), plan, routes_of(f));
  EXPECT_TRUE(id.uncovered.empty());
}

TEST(LftFabric, TablesWrittenFromAGeneratedFabricGiveItsRoutesOnTwoAndThreeTiers) {
  const TwoTierFabric two({.sus = 2, .rails = 2, .nodes_per_su = 4, .spines = 4, .parallel = 1});
  const ThreeTierFabric three({3, 4, 2, 2, 4, 2});
  for (const RoutedFabric* generated :
       {static_cast<const RoutedFabric*>(&two), static_cast<const RoutedFabric*>(&three)}) {
    const LftFabric f(generated->fabric(), parse_forwarding_tables(ibroute_dump_of(*generated), "dump"), "dump");
    ASSERT_EQ(f.endpoints(), generated->endpoints());
    std::map<int, int> same;  // endpoint here -> the generated fabric's endpoint of the same NIC
    for (int e = 0; e < f.endpoints(); ++e) {
      for (int g = 0; g < generated->endpoints(); ++g) {
        if (generated->nic_device(g) == f.nic_device(e)) same[e] = g;
      }
    }
    ASSERT_EQ(static_cast<int>(same.size()), f.endpoints());
    for (int src = 0; src < f.endpoints(); ++src) {
      for (int dst = 0; dst < f.endpoints(); ++dst) {
        if (src == dst) continue;  // never planned
        EXPECT_EQ(f.route(src, dst), generated->route(same[src], same[dst])) << src << " -> " << dst;
      }
    }
  }
}

TEST(LftFabric, ATableThatLosesOrLoopsADestinationIsAnInputErrorNamingTheSwitchAndLid) {
  const auto error_of = [](const std::string& lfts) {
    try {
      LftFabric(two_leaf(), parse_forwarding_tables(lfts, "lfts.txt"), "lfts.txt");
    } catch (const InputError& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  const std::string good = fabric_fixture("two_leaf.lfts");
  std::string lost = good;  // the spine forgets node4
  lost.erase(lost.rfind("0x0008 002"), lost.find('\n', lost.rfind("0x0008 002")) - lost.rfind("0x0008 002") + 1);
  EXPECT_NE(error_of(lost).find("switch S-0002c90200000003 has no entry for LID 8 (node4/mlx5_0)"), std::string::npos)
      << error_of(lost);
  std::string loop = good;  // the spine sends node3's packets back to leaf-a, which sends them up again
  loop.replace(loop.rfind("0x0007 002"), 10, "0x0007 001");
  EXPECT_NE(error_of(loop).find("loops through switch"), std::string::npos) << error_of(loop);
  std::string nowhere = good;  // leaf-a sends node2's packets out of a port with no cable
  nowhere.replace(nowhere.find("0x0006 002"), 10, "0x0006 009");
  EXPECT_NE(error_of(nowhere).find("switch S-0002c90200000001 forwards LID 6 (node2/mlx5_0) out of port 9, which the "
                                   "topology has no cable on"),
            std::string::npos);
  std::string unnamed = good;  // node3 answers with another description
  for (std::size_t at = 0; (at = unnamed.find("'node3 mlx5_0'", at)) != std::string::npos;) {
    unnamed.replace(at, 14, "'gpu3 mlx5_0'");
  }
  EXPECT_NE(error_of(unnamed).find("no forwarding entry names NIC node3/mlx5_0 ('node3 mlx5_0')"), std::string::npos);
  std::string no_spine = good.substr(0, good.rfind("Unicast lids"));
  EXPECT_NE(error_of(no_spine).find("switch S-0002c90200000003 ('MF0;spine-1:MQM8700/U1') is on a route but has no "
                                    "forwarding table"),
            std::string::npos);
}

TEST(GreedyPlan, StagesAreLegalAndTellEveryLinkApartOnTwoAndThreeTiersWithoutKnowingTheShape) {
  // Two tiers: 3 stages, as the shift plan; three tiers: at most 6 (the pod-aware plan needs 4).
  const TwoTierFabric two({.sus = 8, .rails = 4, .nodes_per_su = 8, .spines = 8, .parallel = 1});
  const ThreeTierFabric small({4, 4, 4, 4, 4, 1});
  const ThreeTierFabric large({8, 32, 32, 32, 32, 8});
  for (const auto& [f, most] : {std::pair<const RoutedFabric*, std::size_t>{&two, 3}, {&small, 6}, {&large, 6}}) {
    const std::vector<Stage> plan = greedy_plan(*f, 8);
    EXPECT_LE(plan.size(), most) << f->endpoints();
    expect_legal(*f, plan);
    const Identifiability id = identifiability(f->fabric(), plan, routes_of(*f));
    EXPECT_TRUE(id.uncovered.empty()) << f->endpoints();
    EXPECT_EQ(id.singletons(), f->fabric().links().size()) << f->endpoints() << " endpoints";
    EXPECT_EQ(greedy_plan(*f, 8).size(), plan.size()) << "deterministic";
  }
  EXPECT_EQ(greedy_plan(large, 2).size(), 2u) << "capped";
}

}  // namespace
}  // namespace railcheck::fabric
