// Fabric topology input (issue #18): railcheck's topology file read and written back, and `ibnetdiscover`'s
// output imported, on hand-written golden files (tests/fixtures/fabric), with errors that name the file and line.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "fabric_fixtures.h"
#include "railcheck/core/error.h"
#include "railcheck/fabric/cabling_csv_import.h"
#include "railcheck/fabric/iblinkinfo_import.h"
#include "railcheck/fabric/ibnetdiscover_import.h"
#include "railcheck/fabric/three_tier.h"
#include "railcheck/fabric/topology_diff.h"
#include "railcheck/fabric/topology_file.h"

namespace railcheck::fabric {
namespace {

std::string fixture(const std::string& name) { return test::fabric_fixture(name); }

TEST(IbnetdiscoverImport, TheTwoLeafFabricBecomesTheHandWrittenTopologyFile) {
  const Fabric f = import_ibnetdiscover(fixture("two_leaf.ibnetdiscover"), "two_leaf.ibnetdiscover");
  EXPECT_EQ(write_topology(f), fixture("two_leaf.topo"));
  EXPECT_EQ(f.devices().size(), 7u);
  EXPECT_EQ(f.cables(), 6u);  // each cable is listed from both of its ends
  EXPECT_EQ(f.device(*f.find("S-0002c90200000003")).tier, Tier::kSpine);
  const Device& nic = f.device(*f.find("H-0002c90300000031"));
  EXPECT_EQ(nic.host, "node3");
  EXPECT_EQ(nic.nic, "mlx5_0");
  EXPECT_EQ(f.describe(*f.link_between(*f.find("S-0002c90200000002"), *f.find("S-0002c90200000003"))),
            "S-0002c90200000002:21 -> S-0002c90200000003:2");
}

TEST(IbnetdiscoverImport, APortCabledToTwoPeersOrAPortLineWithoutANodeIsAnErrorNamingTheLine) {
  std::string two_peers = fixture("two_leaf.ibnetdiscover");
  const std::string wrong = "[1]\t\"S-0002c90200000001\"[21]";  // the spine's port 1, seen from leaf-b's port 21
  const auto at = two_peers.find("[1]\t\"S-0002c90200000001\"[21]");
  ASSERT_NE(at, std::string::npos);
  two_peers.replace(at, wrong.size(), "[1]\t\"S-0002c90200000002\"[22]");
  try {
    import_ibnetdiscover(two_peers, "bad.txt");
    FAIL() << "no error";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("bad.txt:"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("is cabled to both"), std::string::npos) << e.what();
  }
  EXPECT_THROW(import_ibnetdiscover("[1]\t\"S-0002c90200000001\"[1]\n", "orphan.txt"), InputError);
  // A port listed as cabled to its own switch (found by fuzz_fabric: it escaped as std::invalid_argument).
  std::string loop = fixture("two_leaf.ibnetdiscover");
  loop.replace(loop.find("[1]\t\"H-0002c90300000031\"[1]"), 26, "[1]\t\"S-0002c90200000002\"[5]");
  try {
    import_ibnetdiscover(loop, "loop.txt");
    FAIL() << "no error";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("S-0002c90200000002 port 1 is listed as cabled to its own port 5"),
              std::string::npos)
        << e.what();
  }
  EXPECT_THROW(import_ibnetdiscover("# nothing here\n", "empty.txt"), InputError);
}

TEST(IblinkinfoImport, TheSameFabricAsIblinkinfoSeesItGivesTheSameTopologyFile) {
  const Fabric f = import_iblinkinfo(fixture("two_leaf.iblinkinfo"), "two_leaf.iblinkinfo");
  EXPECT_EQ(write_topology(f), fixture("two_leaf.topo"));  // unused ports (no peer) add nothing
}

TEST(IblinkinfoImport, ALineThatIsNotAPortLineOrAPortWithTwoPeersIsAnErrorNamingTheLine) {
  try {
    import_iblinkinfo(fixture("two_leaf.iblinkinfo") + "Switch 40 \"S-0002c90200000001\"\n", "links.txt");
    FAIL() << "no error";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("links.txt:11: not a port line"), std::string::npos) << e.what();
  }
  std::string twice = fixture("two_leaf.iblinkinfo");
  twice +=
      "0x0002c90200000003 \"MF0;spine-1:MQM8700/U1\" 4 1[  ] ==( 4X 53.125 Gbps Active/  LinkUp)==>  "
      "0x0002c90200000002 3 22[  ] \"MF0;leaf-b:MQM8700/U1\" ( )\n";
  EXPECT_THROW(import_iblinkinfo(twice, "links.txt"), InputError);
  EXPECT_THROW(import_iblinkinfo("\n", "links.txt"), InputError);
}

// The golden plan with `from` replaced by `to` (each must be there once).
std::string edited(std::vector<std::pair<std::string, std::string>> edits) {
  std::string text = fixture("two_leaf.topo");
  for (const auto& [from, to] : edits) {
    const auto at = text.find(from);
    EXPECT_NE(at, std::string::npos) << from;
    if (at != std::string::npos) text.replace(at, from.size(), to);
  }
  return text;
}

std::vector<std::string> diff_lines(const std::string& found) {
  std::vector<std::string> out;
  for (const TopologyFinding& f :
       diff_topology(parse_topology(fixture("two_leaf.topo"), "plan.topo"), parse_topology(found, "found.topo"))) {
    out.push_back(std::string(key_of(f.change)) + ": " + f.text);
  }
  return out;
}

TEST(TopologyDiff, EachKindOfCablingMistakeIsAFindingNamingThePorts) {
  EXPECT_TRUE(diff_lines(fixture("two_leaf.topo")).empty());
  // node1's and node2's cables swapped on leaf-a
  EXPECT_EQ(diff_lines(edited(
                {{"S-0002c90200000001:1 b=H-0002c90300000011:1", "S-0002c90200000001:1 b=H-0002c90300000021:1"},
                 {"S-0002c90200000001:2 b=H-0002c90300000021:1", "S-0002c90200000001:2 b=H-0002c90300000011:1"}})),
            (std::vector<std::string>{
                "miscabled: S-0002c90200000001:1 should go to H-0002c90300000011:1, goes to H-0002c90300000021:1",
                "miscabled: H-0002c90300000011:1 should go to S-0002c90200000001:1, goes to S-0002c90200000001:2"}));
  // leaf-b's uplink in the spine's port 3 instead of 2
  EXPECT_EQ(diff_lines(edited({{"b=S-0002c90200000003:2", "b=S-0002c90200000003:3"}})),
            (std::vector<std::string>{
                "miscabled: S-0002c90200000002:21 should go to S-0002c90200000003:2, goes to S-0002c90200000003:3",
                "missing_cable: S-0002c90200000003:2 should go to S-0002c90200000002:21; nothing is cabled to it"}));
  // leaf-b's uplink unplugged
  EXPECT_EQ(diff_lines(edited({{"cable a=S-0002c90200000002:21 b=S-0002c90200000003:2\n", ""}})),
            (std::vector<std::string>{"missing_cable: cable S-0002c90200000002:21 - S-0002c90200000003:2 is in the "
                                      "plan; both ports were found with nothing cabled"}));
  // node4 gone (its adapter and cable), a cable the plan does not have
  EXPECT_EQ(diff_lines(edited({{"nic id=H-0002c90300000041 host=node4 dev=mlx5_0 name=\"node4 mlx5_0\"\n", ""},
                               {"cable a=S-0002c90200000002:2 b=H-0002c90300000041:1\n",
                                "cable a=S-0002c90200000001:3 b=S-0002c90200000003:3\n"}})),
            (std::vector<std::string>{
                "missing_device: nic H-0002c90300000041 (node4 mlx5_0) is in the plan and was not found",
                "missing_cable: cable S-0002c90200000002:2 - H-0002c90300000041:1: H-0002c90300000041 was not found",
                "extra_cable: cable S-0002c90200000001:3 - S-0002c90200000003:3 was found; the plan leaves both ports "
                "free"}));
}

TEST(TopologyFile, ReadsBackToTheSameFabricGeneratedOrHandWritten) {
  const std::string golden = fixture("two_leaf.topo");
  EXPECT_EQ(write_topology(parse_topology(golden, "two_leaf.topo")), golden);
  const ThreeTierFabric generated({3, 4, 2, 3, 5, 2});
  const std::string text = write_topology(generated.fabric());
  const Fabric back = parse_topology(text, "generated.topo");
  EXPECT_EQ(write_topology(back), text);
  EXPECT_EQ(back.links().size(), generated.fabric().links().size());
  EXPECT_EQ(back.device(generated.nic_device(5)).rail, generated.fabric().device(generated.nic_device(5)).rail);
}

TEST(TopologyFile, QuotedValuesKeepSpacesQuotesAndHashes) {
  Fabric f;
  f.add_device({"leaf 1", Tier::kLeaf, "", "", 2, "MF0;leaf \"a\" #1"});
  f.add_device({"n1", Tier::kNic, "node 1", "mlx5_0", 2, ""});
  f.add_cable(0, 3, 1, 1);
  const std::string text = write_topology(f);
  const Fabric back = parse_topology(text, "quoted.topo");
  EXPECT_EQ(back.device(0).id, "leaf 1");
  EXPECT_EQ(back.device(0).name, "MF0;leaf \"a\" #1");
  EXPECT_EQ(back.device(1).host, "node 1");
  EXPECT_EQ(write_topology(back), text);
}

TEST(TopologyFile, EveryMistakeIsAnInputErrorNamingTheFileAndLine) {
  const std::string head = "# railcheck-topo v1\nswitch id=L tier=leaf\nnic id=N host=h dev=mlx5_0\n";
  for (const auto& [text, expect] : std::vector<std::pair<std::string, std::string>>{
           {head + "router id=R\n", "t.topo:4: unknown keyword 'router'"},
           {head + "cable a=L:1 b=X:1\n", "t.topo:4: b=X:1: no device 'X'"},
           {head + "cable a=L:1 b=N:1\ncable a=L:1 b=N:2\n", "t.topo:5: L port 1 has two cables"},
           {head + "switch id=S tier=middle\n", "t.topo:4: tier=middle must be leaf, spine or core"},
           {head + "switch id=S tier=spine name=\"open\n", "t.topo:4: the value of 'name' has no closing quote"},
           {head + "nic id=M host=h\n", "t.topo:4: nic needs dev="},
           {head + "switch id=L tier=leaf\n", "t.topo:4: device 'L' is given twice"},
           {head + "cable a=L:x b=N:1\n", "t.topo:4: a port 'x' is not a number"},
           {head + "switch id=S tier=leaf colour=blue\n", "t.topo:4: unknown field 'colour'"}}) {
    try {
      parse_topology(text, "t.topo");
      ADD_FAILURE() << "no error for: " << text;
    } catch (const InputError& e) {
      EXPECT_NE(std::string(e.what()).find(expect), std::string::npos) << e.what();
    }
  }
}

TEST(CablingCsvImport, ThePlanWrittenByNameIsTheDiscoveredFabricOnceThatIsKeyedByName) {
  const Fabric plan = import_cabling_csv(fixture("two_leaf_plan.csv"), "plan.csv");
  ASSERT_EQ(plan.devices().size(), 7u);
  EXPECT_EQ(plan.cables(), 6u);
  const Device& nic = plan.device(*plan.find("node3/mlx5_0"));
  EXPECT_EQ(nic.tier, Tier::kNic);
  EXPECT_EQ(nic.host, "node3");
  EXPECT_EQ(nic.nic, "mlx5_0");
  EXPECT_EQ(nic.rail, 0);
  EXPECT_EQ(plan.device(*plan.find("spine-1")).tier, Tier::kSpine);
  EXPECT_EQ(plan.device(*plan.find("leaf-b")).tier, Tier::kLeaf);  // quoted, and its tier given on another row
  const Fabric found = name_keyed(import_ibnetdiscover(fixture("two_leaf.ibnetdiscover"), "found"), "found");
  EXPECT_TRUE(found.find("leaf-a"));  // "MF0;leaf-a:MQM8700/U1"
  EXPECT_TRUE(found.find("node1/mlx5_0"));
  EXPECT_TRUE(diff_topology(name_keyed(plan, "plan.csv"), found).empty());
  // Two NIC cables swapped on leaf-a: both ports are miscabled findings naming the planned peer.
  std::string swapped = fixture("two_leaf_plan.csv");
  swapped.replace(swapped.find("leaf-a,1,node1"), 14, "leaf-a,1,node2");
  swapped.replace(swapped.find("leaf-a,2,node2"), 14, "leaf-a,2,node1");
  std::vector<std::string> texts;
  for (const TopologyFinding& f : diff_topology(name_keyed(import_cabling_csv(swapped, "s.csv"), "s.csv"), found)) {
    EXPECT_EQ(f.change, TopologyChange::kMiscabled) << f.text;
    texts.push_back(f.text);
  }
  EXPECT_FALSE(texts.empty());
}

TEST(CablingCsvImport, EachMistakeInThePlanIsAnErrorNamingTheLineAndTheFix) {
  auto error_of = [](const std::string& text) {
    try {
      import_cabling_csv(text, "plan.csv");
    } catch (const InputError& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  const std::string header = "a_device,a_port,b_device,b_port,a_tier,b_tier\n";
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"a_device,a_port,b_device\nx,1,y\n", "plan.csv:1: the header has no column b_port"},
      {header + "leaf-a,1,node1/mlx5_0,1,leaf\n", "plan.csv:2: 5 fields, the header has 6"},
      {header + "leaf-a,one,node1/mlx5_0,1,leaf,\n", "plan.csv:2: a_port 'one' is not a port number"},
      {header + "leaf-a,1,node1/mlx5_0,1,,\n", "plan.csv:2: switch leaf-a has no tier"},
      {header + "leaf-a,1,node1/mlx5_0,1,leaf,\nleaf-a,2,node2/mlx5_0,1,spine,\n",
       "plan.csv:3: leaf-a is given tier spine here and leaf on line 2"},
      {header + "leaf-a,1,node1/mlx5_0,1,leaf,\nleaf-a,1,node2/mlx5_0,1,leaf,\n", "plan.csv:3: "},
      {header + "\"leaf-a,1,node1/mlx5_0,1,leaf,\n", "plan.csv:2: unterminated quote"},
      {header + "leaf-a,1,node1,1,leaf,nic\n", "plan.csv:2: node1: a NIC port is named host/dev"},
      {"# only a comment\n", "plan.csv: no header row"},
  };
  for (const auto& [text, expected] : cases) {
    EXPECT_NE(error_of(text).find(expected), std::string::npos) << error_of(text) << "\nexpected: " << expected;
  }
}

TEST(NameKeyed, TwoDevicesWithOneNameCannotBeMatchedByName) {
  Fabric f;
  f.add_device({"S-1", Tier::kLeaf, "", "", -1, "MF0;leaf-a:MQM8700/U1"});
  f.add_device({"S-2", Tier::kLeaf, "", "", -1, "MF0;leaf-a:MQM8700/U2"});
  try {
    name_keyed(f, "found");
    ADD_FAILURE() << "no error";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("devices S-1 and S-2 are both named leaf-a"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace railcheck::fabric
