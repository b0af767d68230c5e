// topo and check-node from the command line to the exit code, on fixture trees.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "command_line_helpers.h"
#include "railcheck/app/app.h"
#include "railcheck/commands/topology/topology_command.h"
#include "railcheck/core/error.h"
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

  /// `railcheck <args>` through the program's error boundary, as a person runs it: the exit code; out_ and
  /// err_ hold what it printed (cleared first).
  int run(std::vector<std::string> args) {
    out_.str("");
    err_.str("");
    args.insert(args.begin(), "railcheck");
    std::vector<const char*> argv;
    for (const std::string& arg : args) argv.push_back(arg.c_str());
    return run_app_without_mpi(static_cast<int>(argv.size()), argv.data(), out_, err_);
  }

  std::filesystem::path dir_;
  std::ostringstream out_, err_;
};

using test::parse;

const TopologyOptions& topology_options(const ParsedCommandLine& parsed) {
  return test::command_as<OptionsCommand<TopologyOptions>>(parsed).options();
}

TEST(TopologyCommandLine, TopoAndCheckNodeParseTheirFlags) {
  const ParsedCommandLine topo_line = parse({"topo"});
  EXPECT_EQ(topo_line.name, "topo");
  const TopologyOptions& topo = topology_options(topo_line);
  EXPECT_EQ(topo.sysfs_root, "/");
  EXPECT_TRUE(topo.json_path.empty());
  const ParsedCommandLine full_line =
      parse({"topo", "--sysfs-root", "fx", "--json", "t.json", "--rail-override", "o.json"});
  const TopologyOptions& full = topology_options(full_line);
  EXPECT_EQ(full.sysfs_root, "fx");
  EXPECT_EQ(full.json_path, "t.json");
  EXPECT_EQ(full.rail_override, "o.json");
  const ParsedCommandLine check_line = parse({"check-node", "--profile", "p.json", "--sysfs-root", "fx"});
  EXPECT_EQ(check_line.name, "check-node");
  const TopologyOptions& check = topology_options(check_line);
  EXPECT_EQ(check.profile, "p.json");
  EXPECT_EQ(check.sysfs_root, "fx");
}

TEST(TopologyCommandLine, CheckNodeWithoutProfileIsAnInputError) {
  try {
    (void)parse({"check-node"});
    ADD_FAILURE() << "expected InputError";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("--profile"), std::string::npos) << e.what();
  }
  EXPECT_EQ(parse({"topo", "--help"}).command, nullptr);
  EXPECT_NE(parse({"topo", "--help"}).help_text.find("--sysfs-root"), std::string::npos);
}

TEST_F(TopologyCommand, TopoPrintsTablesAndWritesJson) {
  const std::string json_path = (dir_ / "topo.json").string();
  EXPECT_EQ(run({"topo", "--sysfs-root", fixture("dgx_h100"), "--json", json_path}), 0);
  EXPECT_EQ(err_.str(), "");
  const std::string text = out_.str();
  for (const char* needle : {"GPUs (8, from sysfs)", "0000:9a:00.0", "NICs (10)", "mlx5_7", "ibp25s0", "400 Gb/s",
                             "InfiniBand", "Affinity (GPU x NIC)", "GPU0  PIX", "Rails (automatic)"}) {
    EXPECT_NE(text.find(needle), std::string::npos) << needle << " in:\n" << text;
  }
  std::ifstream in(json_path);
  const nlohmann::json j = nlohmann::json::parse(in);
  EXPECT_EQ(j.at("gpus").size(), 8u);
  EXPECT_EQ(j.at("rails").at("assignments").size(), 8u);
  EXPECT_FALSE(std::filesystem::exists(json_path + ".tmp"));
}

TEST_F(TopologyCommand, TopoBadInputExitsTwoWithOneLine) {
  const std::string missing = (dir_ / "missing").string();
  EXPECT_EQ(run({"topo", "--sysfs-root", missing}), 2);
  EXPECT_EQ(err_.str(), "railcheck: error: --sysfs-root " + missing +
                            ": no such directory; give the root of a sysfs tree (default /)\n");

  const std::string rail_override =
      write("o.json", R"({"schema_version": 1, "rails": [{"gpu": "0000:18:00.0", "nic": "mlx5_9"}]})");
  EXPECT_EQ(run({"topo", "--sysfs-root", fixture("dgx_h100"), "--rail-override", rail_override}), 2);
  EXPECT_EQ(
      err_.str().rfind("railcheck: error: " + rail_override + ": rails[0].nic: NIC mlx5_9 is not on this node", 0), 0u)
      << err_.str();
}

TEST_F(TopologyCommand, CheckNodeExitCodes) {
  EXPECT_EQ(run({"check-node", "--profile", profile("dgx-h100.json"), "--sysfs-root", fixture("dgx_h100")}), 0)
      << out_.str();
  EXPECT_NE(out_.str().find("node matches profile dgx-h100"), std::string::npos) << out_.str();

  const std::string json_path = (dir_ / "check.json").string();
  EXPECT_EQ(run({"check-node", "--profile", profile("dgx-h100.json"), "--sysfs-root", fixture("dgx_h100_faulty"),
                 "--json", json_path}),
            1);
  EXPECT_NE(out_.str().find("MISMATCH NIC mlx5_3 port 1: state DOWN"), std::string::npos) << out_.str();
  std::ifstream in(json_path);
  EXPECT_EQ(nlohmann::json::parse(in).at("mismatches").size(), 3u);

  const std::string bad = write("bad.json", R"({"schema_version": 1, "name": "x", "nics": {"rate_gbps": "400"}})");
  EXPECT_EQ(run({"check-node", "--profile", bad, "--sysfs-root", fixture("dgx_h100_faulty")}), 2);
  EXPECT_EQ(err_.str(), "railcheck: error: " + bad + ": nics.rate_gbps: expected a number >= 0, got string \"400\"\n");
}

}  // namespace
}  // namespace railcheck
