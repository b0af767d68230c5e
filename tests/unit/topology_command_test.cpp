// topo and check-node from the command line to the exit code, on fixture trees.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "railcheck/cli.h"
#include "railcheck/core/error.h"
#include "railcheck/topology/topology_command.h"
#include "source_tree.h"

namespace railcheck {
namespace {

std::string fixture(const std::string& name) { return test::sysfs_fixture(name).string(); }
std::string profile(const std::string& name) { return test::profile_path(name).string(); }

// A scratch directory for one test, removed afterwards.
class TopologyCommand : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("railcheck-topology-" + std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()));
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::string write(const std::string& name, const std::string& text) {
    const auto path = dir_ / name;
    std::ofstream(path) << text;
    return path.string();
  }

  std::filesystem::path dir_;
  std::ostringstream out_, err_;
};

Command parse(std::vector<const char*> args) {
  args.insert(args.begin(), "railcheck");
  return parse_command_line(static_cast<int>(args.size()), args.data());
}

TEST(TopologyCommandLine, TopoAndCheckNodeParseTheirFlags) {
  const Command topo = parse({"topo"});
  EXPECT_EQ(topo.kind, CommandKind::kTopo);
  EXPECT_EQ(topo.topology.sysfs_root, "/");
  EXPECT_TRUE(topo.topology.json_path.empty());
  const Command full = parse({"topo", "--sysfs-root", "fx", "--json", "t.json", "--rail-override", "o.json"});
  EXPECT_EQ(full.topology.sysfs_root, "fx");
  EXPECT_EQ(full.topology.json_path, "t.json");
  EXPECT_EQ(full.topology.rail_override, "o.json");
  const Command check = parse({"check-node", "--profile", "p.json", "--sysfs-root", "fx"});
  EXPECT_EQ(check.kind, CommandKind::kCheckNode);
  EXPECT_EQ(check.topology.profile, "p.json");
  EXPECT_EQ(check.topology.sysfs_root, "fx");
}

TEST(TopologyCommandLine, CheckNodeWithoutProfileIsAnInputError) {
  try {
    (void)parse({"check-node"});
    ADD_FAILURE() << "expected InputError";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("--profile"), std::string::npos) << e.what();
  }
  EXPECT_EQ(parse({"topo", "--help"}).kind, CommandKind::kHelp);
  EXPECT_NE(parse({"topo", "--help"}).help_text.find("--sysfs-root"), std::string::npos);
}

TEST_F(TopologyCommand, TopoPrintsTablesAndWritesJson) {
  TopologyOptions options;
  options.sysfs_root = fixture("dgx_h100");
  options.json_path = (dir_ / "topo.json").string();
  EXPECT_EQ(run_topo_command(options, out_, err_), 0);
  EXPECT_EQ(err_.str(), "");
  const std::string text = out_.str();
  for (const char* needle : {"GPUs (8, from sysfs)", "0000:9a:00.0", "NICs (10)", "mlx5_7", "ibp25s0", "400 Gb/s",
                             "InfiniBand", "Affinity (GPU x NIC)", "GPU0  PIX", "Rails (automatic)"}) {
    EXPECT_NE(text.find(needle), std::string::npos) << needle << " in:\n" << text;
  }
  std::ifstream in(options.json_path);
  const nlohmann::json j = nlohmann::json::parse(in);
  EXPECT_EQ(j.at("gpus").size(), 8u);
  EXPECT_EQ(j.at("rails").at("assignments").size(), 8u);
  EXPECT_FALSE(std::filesystem::exists(options.json_path + ".tmp"));
}

TEST_F(TopologyCommand, TopoBadInputExitsTwoWithOneLine) {
  TopologyOptions options;
  options.sysfs_root = (dir_ / "missing").string();
  EXPECT_EQ(run_topo_command(options, out_, err_), 2);
  EXPECT_EQ(err_.str(), "railcheck: error: --sysfs-root " + options.sysfs_root +
                            ": no such directory; give the root of a sysfs tree (default /)\n");

  std::ostringstream err;
  options.sysfs_root = fixture("dgx_h100");
  options.rail_override =
      write("o.json", R"({"schema_version": 1, "rails": [{"gpu": "0000:18:00.0", "nic": "mlx5_9"}]})");
  EXPECT_EQ(run_topo_command(options, out_, err), 2);
  EXPECT_EQ(err.str().rfind(
                "railcheck: error: " + options.rail_override + ": rails[0].nic: NIC mlx5_9 is not on this node", 0),
            0u)
      << err.str();
}

TEST_F(TopologyCommand, CheckNodeExitCodes) {
  TopologyOptions options;
  options.profile = profile("dgx-h100.json");
  options.sysfs_root = fixture("dgx_h100");
  EXPECT_EQ(run_check_node_command(options, out_, err_), 0) << out_.str();
  EXPECT_NE(out_.str().find("node matches profile dgx-h100"), std::string::npos) << out_.str();

  std::ostringstream out;
  options.sysfs_root = fixture("dgx_h100_faulty");
  options.json_path = (dir_ / "check.json").string();
  EXPECT_EQ(run_check_node_command(options, out, err_), 1);
  EXPECT_NE(out.str().find("MISMATCH NIC mlx5_3 port 1: state DOWN"), std::string::npos) << out.str();
  std::ifstream in(options.json_path);
  EXPECT_EQ(nlohmann::json::parse(in).at("mismatches").size(), 3u);

  std::ostringstream err;
  options.profile = write("bad.json", R"({"schema_version": 1, "name": "x", "nics": {"rate_gbps": "400"}})");
  EXPECT_EQ(run_check_node_command(options, out, err), 2);
  EXPECT_EQ(err.str(),
            "railcheck: error: " + options.profile + ": nics.rate_gbps: expected a number >= 0, got string \"400\"\n");
}

}  // namespace
}  // namespace railcheck
