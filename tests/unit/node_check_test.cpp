// Hardware profiles and check-node: every planted fault named, nothing else; counts; clear profile errors.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <string>
#include <vector>

#include "railcheck/core/error.h"
#include "railcheck/topology/node_check.h"
#include "railcheck/topology/node_topology.h"
#include "railcheck/topology/profile.h"
#include "source_tree.h"

namespace railcheck {
namespace {

NodeTopology fixture_topology(const std::string& name) {
  const SysfsRoot sysfs(test::sysfs_fixture(name));
  SysfsGpuSource gpus(sysfs);
  std::vector<GpuSource*> sources{&gpus};
  return discover_topology(sysfs, sources, {}, nullptr);
}

HardwareProfile profile(const std::string& file) { return load_profile(test::profile_path(file)); }

std::set<std::pair<std::string, std::string>> parts_and_checks(const NodeCheckResult& r) {
  std::set<std::pair<std::string, std::string>> found;
  for (const NodeMismatch& m : r.mismatches) found.insert({m.part, m.check});
  return found;
}

std::string all_messages(const NodeCheckResult& r) {
  std::string text;
  for (const NodeMismatch& m : r.mismatches) text += m.message + "\n";
  return text;
}

// Expects InputError "<source>: <path>: ..." (one line) from parse_profile; returns the message.
std::string profile_error(const std::string& json, const std::string& path) {
  try {
    (void)parse_profile(json, "p.json");
  } catch (const InputError& e) {
    const std::string what = e.what();
    EXPECT_EQ(what.find('\n'), std::string::npos) << what;
    EXPECT_EQ(what.rfind("p.json: " + path + ": ", 0), 0u) << "should name p.json and " << path << ": " << what;
    return what;
  }
  ADD_FAILURE() << "expected InputError for " << json;
  return "";
}

TEST(Profile, ShippedProfilesParse) {
  const HardwareProfile dgx = profile("dgx-h100.json");
  EXPECT_EQ(dgx.name, "dgx-h100");
  EXPECT_EQ(dgx.gpus.count, std::optional<int>(8));
  EXPECT_EQ(dgx.gpus.model, "H100");
  EXPECT_EQ(dgx.gpus.pci_device_ids, std::vector<std::string>{"0x2330"});
  EXPECT_EQ(dgx.gpus.pcie.current_width, std::optional<int>(16));
  EXPECT_FALSE(dgx.gpus.pcie.current_gen.has_value());  // idle GPUs lower their link speed
  EXPECT_EQ(dgx.nics.count, std::optional<int>(8));
  EXPECT_EQ(dgx.nics.rate_gbps, std::optional<double>(400));
  EXPECT_EQ(dgx.nics.port_state, "ACTIVE");
  EXPECT_EQ(dgx.nics.link_layer, "InfiniBand");
  EXPECT_EQ(dgx.rails.affinity, std::optional<Affinity>(Affinity::kPix));
  const HardwareProfile four = profile("four-gpu.json");
  EXPECT_EQ(four.gpus.count, std::optional<int>(4));
  EXPECT_EQ(four.nics.count, std::optional<int>(2));
}

TEST(Profile, MalformedProfilesNameFileAndField) {
  profile_error("{\"schema_version\": 1,\n \"name\": }", "not valid JSON at line 2 column 10");
  profile_error("[]", "(top level)");
  profile_error(R"({"name": "x"})", "schema_version");
  profile_error(R"({"schema_version": 2, "name": "x"})", "schema_version");
  profile_error(R"({"schema_version": 1})", "name");
  profile_error(R"({"schema_version": 1, "name": "x", "gpu": {}})", "gpu");
  profile_error(R"({"schema_version": 1, "name": "x", "gpus": {"count": "8"}})", "gpus.count");
  profile_error(R"({"schema_version": 1, "name": "x", "gpus": {"count": -1}})", "gpus.count");
  profile_error(R"({"schema_version": 1, "name": "x", "gpus": {"modle": "H100"}})", "gpus.modle");
  profile_error(R"({"schema_version": 1, "name": "x", "gpus": {"pci_device_ids": ["2330"]}})",
                "gpus.pci_device_ids[0]");
  profile_error(R"({"schema_version": 1, "name": "x", "gpus": {"pcie": {"current_width": 0}}})",
                "gpus.pcie.current_width");
  profile_error(R"({"schema_version": 1, "name": "x", "gpus": {"pcie": {"width": 16}}})", "gpus.pcie.width");
  const std::string state =
      profile_error(R"({"schema_version": 1, "name": "x", "nics": {"port_state": "UP"}})", "nics.port_state");
  EXPECT_NE(state.find("ACTIVE"), std::string::npos) << "lists the choices: " << state;
  profile_error(R"({"schema_version": 1, "name": "x", "nics": {"rate_gbps": 0}})", "nics.rate_gbps");
  profile_error(R"({"schema_version": 1, "name": "x", "nics": {"link_layer": "IB"}})", "nics.link_layer");
  profile_error(R"({"schema_version": 1, "name": "x", "nics": {"require_gid": 1}})", "nics.require_gid");
  const std::string affinity =
      profile_error(R"({"schema_version": 1, "name": "x", "rails": {"affinity": "close"}})", "rails.affinity");
  EXPECT_NE(affinity.find("PIX, PXB, PHB, NODE, SYS"), std::string::npos) << affinity;
}

TEST(Profile, MissingFileNamesIt) {
  try {
    (void)load_profile("/no/such/profile.json");
    ADD_FAILURE() << "expected InputError";
  } catch (const InputError& e) {
    EXPECT_EQ(std::string(e.what()).rfind("/no/such/profile.json: cannot read profile file (no such file); ", 0), 0u)
        << e.what();
  }
}

TEST(CheckNode, HealthyFixturesMatchTheirProfiles) {
  for (const auto& [fixture, file] : {std::pair{"dgx_h100", "dgx-h100.json"}, std::pair{"four_gpu", "four-gpu.json"}}) {
    const NodeCheckResult r = check_node(fixture_topology(fixture), profile(file));
    EXPECT_TRUE(r.matches()) << fixture << ":\n" << all_messages(r);
    EXPECT_GT(r.compared, 30) << fixture;
    // GPU names need NVML: the model check is skipped with that reason, not passed silently.
    ASSERT_EQ(r.skipped.size(), 1u) << fixture;
    EXPECT_EQ(r.skipped[0].check, "gpu_model");
  }
}

TEST(CheckNode, FaultyFixtureFlagsEachPlantedFaultByNameAndNothingElse) {
  const NodeCheckResult r = check_node(fixture_topology("dgx_h100_faulty"), profile("dgx-h100.json"));
  const std::set<std::pair<std::string, std::string>> expected{
      {"GPU 0000:9a:00.0", "pcie_current_width"},
      {"NIC mlx5_3 port 1", "port_state"},
      {"NIC mlx5_2 port 1", "port_rate"},
  };
  EXPECT_EQ(parts_and_checks(r), expected) << all_messages(r);
  ASSERT_EQ(r.mismatches.size(), 3u);
  const std::string text = all_messages(r);
  EXPECT_NE(text.find("GPU 0000:9a:00.0: PCIe link x8, profile expects x16 — reseat or replace the GPU/riser"),
            std::string::npos)
      << text;
  EXPECT_NE(
      text.find("NIC mlx5_3 port 1: state DOWN (physical Polling), expected ACTIVE — check cable and switch port"),
      std::string::npos)
      << text;
  EXPECT_NE(text.find("NIC mlx5_2 port 1: rate 200 Gb/s (4X HDR), expected 400 Gb/s — "), std::string::npos) << text;
  EXPECT_NE(text.find("check cable/transceiver"), std::string::npos) << text;
  EXPECT_FALSE(r.matches());
}

TEST(CheckNode, AMissingGpuAndNicAreCounted) {
  NodeTopology t = fixture_topology("dgx_h100");
  t.gpus.erase(t.gpus.begin() + 4);  // 0000:9a:00.0 fell off the bus
  t.nics.erase(t.nics.begin() + 7);  // mlx5_7 is gone
  const NodeCheckResult r = check_node(t, profile("dgx-h100.json"));
  ASSERT_EQ(r.mismatches.size(), 2u) << all_messages(r);
  EXPECT_EQ(r.mismatches[0].message,
            "expected 8 GPUs, found 7 — a GPU fell off the bus: check dmesg/nvidia-smi, drain the node");
  EXPECT_EQ(r.mismatches[1].check, "nic_count");
  EXPECT_EQ(r.mismatches[1].found, "7");
  EXPECT_NE(r.mismatches[1].message.find("expected 8 RDMA NICs, found 7 — a NIC is missing"), std::string::npos);
}

TEST(CheckNode, AnEmptyNodeListsTheMissingGpusAndNicsWithTheReasons) {
  const SysfsRoot nothing("/no/such/root");
  SysfsGpuSource gpus(nothing);
  std::vector<GpuSource*> sources{&gpus};
  const NodeCheckResult r = check_node(discover_topology(nothing, sources, {}, nullptr), profile("dgx-h100.json"));
  ASSERT_EQ(r.mismatches.size(), 2u);
  EXPECT_EQ(r.mismatches[0].message.rfind("expected 8 GPUs, found 0 (sysfs: /sys/bus/pci/devices missing) — ", 0), 0u)
      << r.mismatches[0].message;
  EXPECT_EQ(r.mismatches[1].message.rfind("expected 8 RDMA NICs, found 0 (/sys/class/infiniband missing) — ", 0), 0u)
      << r.mismatches[1].message;
}

TEST(CheckNode, NamedGpusAreComparedByModel) {
  NodeTopology t = fixture_topology("dgx_h100");
  for (GpuDevice& gpu : t.gpus) gpu.name = "NVIDIA H100 80GB HBM3";
  t.gpus[2].name = "NVIDIA A100-SXM4-80GB";
  t.gpus[2].pci_device_id = "0x20b2";
  const NodeCheckResult r = check_node(t, profile("dgx-h100.json"));
  EXPECT_TRUE(r.skipped.empty());
  const std::set<std::pair<std::string, std::string>> expected{{"GPU 0000:3a:00.0", "gpu_model"},
                                                               {"GPU 0000:3a:00.0", "gpu_pci_device_id"}};
  EXPECT_EQ(parts_and_checks(r), expected) << all_messages(r);
}

TEST(CheckNode, OtherPortAndLinkFaultsAreNamed) {
  NodeTopology t = fixture_topology("dgx_h100");
  t.nics[1].ports[0].link_layer = "Ethernet";
  t.nics[4].ports[0].phys_state = "LinkErrorRecovery";
  t.nics[5].ports[0].has_gid = false;
  t.nics[6].pcie.current_gen = 4;
  t.gpus[7].pcie.max_gen = 4;
  const NodeCheckResult r = check_node(t, profile("dgx-h100.json"));
  const std::set<std::pair<std::string, std::string>> expected{
      {"NIC mlx5_1 port 1", "link_layer"}, {"NIC mlx5_4 port 1", "phys_state"},  {"NIC mlx5_5 port 1", "port_gid"},
      {"NIC mlx5_6", "pcie_current_gen"},  {"GPU 0000:db:00.0", "pcie_max_gen"},
  };
  EXPECT_EQ(parts_and_checks(r), expected) << all_messages(r);
}

TEST(CheckNode, RailAffinityBeyondTheProfileIsNamed) {
  const NodeTopology t = fixture_topology("four_gpu");
  HardwareProfile p = profile("four-gpu.json");
  p.rails.affinity = Affinity::kPxb;  // the PHB GPUs now fail
  const NodeCheckResult r = check_node(t, p);
  const std::set<std::pair<std::string, std::string>> expected{{"rail 0", "rail_affinity"},
                                                               {"rail 1", "rail_affinity"}};
  EXPECT_EQ(parts_and_checks(r), expected) << all_messages(r);
  EXPECT_NE(r.mismatches[0].message.find(
                "rail 0 (GPU 0000:41:00.0, NIC mlx5_0): affinity PHB, profile expects PXB or closer"),
            std::string::npos)
      << r.mismatches[0].message;
}

TEST(CheckNode, JsonNamesProfileMismatchesAndTopology) {
  const NodeTopology t = fixture_topology("dgx_h100_faulty");
  const HardwareProfile p = profile("dgx-h100.json");
  const NodeCheckResult r = check_node(t, p);
  const nlohmann::json j = to_json(r, p, t);
  EXPECT_EQ(j.at("kind"), "railcheck.node_check");
  EXPECT_EQ(j.at("matches"), false);
  EXPECT_EQ(j.at("mismatches").size(), 3u);
  EXPECT_EQ(j.at("profile").at("name"), "dgx-h100");
  EXPECT_EQ(j.at("topology").at("gpus").size(), 8u);
  const std::string report = format_node_check(r, p, t);
  EXPECT_NE(report.find("MISMATCH GPU 0000:9a:00.0: PCIe link x8"), std::string::npos) << report;
  EXPECT_NE(report.find("3 mismatches"), std::string::npos) << report;
}

}  // namespace
}  // namespace railcheck
