// GPU-NIC affinity classes, the automatic rail rule on each fixture, and rail override files.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "railcheck/core/error.h"
#include "railcheck/topology/affinity.h"
#include "railcheck/topology/node_topology.h"
#include "railcheck/topology/rails.h"
#include "source_tree.h"

namespace railcheck {
namespace {

NodeTopology fixture_topology(const std::string& name, const RailOverride* rail_override = nullptr) {
  const SysfsRoot sysfs(test::sysfs_fixture(name));
  SysfsGpuSource gpus(sysfs);
  std::vector<GpuSource*> sources{&gpus};
  return discover_topology(sysfs, sources, {}, rail_override);
}

PciPlacement at(const std::string& host_bridge, std::vector<std::string> bridges, int numa = 0) {
  PciPlacement p;
  p.host_bridge = host_bridge;
  p.bridges = std::move(bridges);
  p.numa_node = numa;
  return p;
}

std::string names(const std::vector<Affinity>& row) {
  std::string text;
  for (Affinity a : row) text += (text.empty() ? "" : " ") + std::string(name_of(a));
  return text;
}

// Expects InputError whose message starts with "<source>: <path>: " and is one line; returns it.
template <typename Call>
std::string input_error(Call call, const std::string& source, const std::string& path) {
  try {
    call();
  } catch (const InputError& e) {
    const std::string what = e.what();
    EXPECT_EQ(what.find('\n'), std::string::npos) << what;
    EXPECT_EQ(what.rfind(source + ": " + path + ": ", 0), 0u)
        << "should name " << source << " and " << path << ": " << what;
    return what;
  }
  ADD_FAILURE() << "expected InputError at " << path;
  return "";
}

TEST(Affinity, ClassesFollowThePcieTree) {
  // One switch: root port -> upstream port -> two downstream ports -> GPU and NIC.
  const auto gpu = at("pci0000:15", {"0000:15:01.0", "0000:16:00.0", "0000:17:00.0"});
  const auto nic = at("pci0000:15", {"0000:15:01.0", "0000:16:00.0", "0000:17:01.0"});
  EXPECT_EQ(classify_affinity(gpu, nic), Affinity::kPix);
  // Two functions of one device share every bridge.
  EXPECT_EQ(classify_affinity(nic, nic), Affinity::kPix);
  // A second switch below the first one on the GPU's side.
  const auto deep = at("pci0000:15", {"0000:15:01.0", "0000:16:00.0", "0000:17:02.0", "0000:20:00.0", "0000:21:00.0"});
  EXPECT_EQ(classify_affinity(deep, nic), Affinity::kPxb);
  // Different root ports of one host bridge.
  EXPECT_EQ(classify_affinity(at("pci0000:40", {"0000:40:01.1"}), at("pci0000:40", {"0000:40:03.1"})), Affinity::kPhb);
  // Different host bridges: same NUMA node, or not.
  EXPECT_EQ(classify_affinity(at("pci0000:15", {"0000:15:01.0"}, 0), at("pci0000:27", {"0000:27:01.0"}, 0)),
            Affinity::kNode);
  EXPECT_EQ(classify_affinity(at("pci0000:15", {"0000:15:01.0"}, 0), at("pci0000:97", {"0000:97:01.0"}, 1)),
            Affinity::kSys);
  // Unknown placement is the farthest class.
  EXPECT_EQ(classify_affinity(PciPlacement{}, nic), Affinity::kSys);
}

TEST(Affinity, NamesRoundTripAndOrderMeansCloser) {
  for (Affinity a : {Affinity::kPix, Affinity::kPxb, Affinity::kPhb, Affinity::kNode, Affinity::kSys}) {
    EXPECT_EQ(parse_affinity(name_of(a)), std::optional<Affinity>(a));
  }
  EXPECT_FALSE(parse_affinity("pix").has_value());
  EXPECT_TRUE(at_least_as_close(Affinity::kPix, Affinity::kPhb));
  EXPECT_FALSE(at_least_as_close(Affinity::kSys, Affinity::kPix));
}

TEST(Rails, DgxH100PairsEachGpuWithTheNicOnItsSwitch) {
  const NodeTopology t = fixture_topology("dgx_h100");
  ASSERT_EQ(t.gpus.size(), 8u);
  ASSERT_EQ(t.nics.size(), 10u);
  EXPECT_EQ(names(t.affinity[0]), "PIX NODE NODE NODE SYS SYS SYS SYS NODE SYS");
  EXPECT_EQ(names(t.affinity[4]), "SYS SYS SYS SYS PIX NODE NODE NODE SYS NODE");
  EXPECT_EQ(names(t.affinity[7]), "SYS SYS SYS SYS NODE NODE NODE PIX SYS NODE");
  EXPECT_EQ(t.rails.source, RailSource::kAuto);
  ASSERT_EQ(t.rails.rails.size(), 8u);
  for (int i = 0; i < 8; ++i) {
    const RailAssignment& r = t.rails.rails[static_cast<std::size_t>(i)];
    EXPECT_EQ(r.rail, i);
    EXPECT_EQ(r.gpu, t.gpus[static_cast<std::size_t>(i)].placement.bus_id);
    EXPECT_EQ(r.nic, "mlx5_" + std::to_string(i));
    EXPECT_EQ(r.affinity, Affinity::kPix);
  }
}

TEST(Rails, FourGpuNodeSharesEachNicBetweenTwoGpus) {
  const NodeTopology t = fixture_topology("four_gpu");
  ASSERT_EQ(t.gpus.size(), 4u);
  EXPECT_EQ(names(t.affinity[0]), "PHB SYS NODE");  // mlx5_0 mlx5_1 enp1s0f0
  EXPECT_EQ(names(t.affinity[1]), "PXB SYS NODE");
  EXPECT_EQ(names(t.affinity[2]), "SYS PHB SYS");
  EXPECT_EQ(names(t.affinity[3]), "SYS PXB SYS");
  ASSERT_EQ(t.rails.rails.size(), 4u);
  const std::vector<std::pair<std::string, std::string>> expected{
      {"0000:41:00.0", "mlx5_0"}, {"0000:47:00.0", "mlx5_0"}, {"0000:c1:00.0", "mlx5_1"}, {"0000:c7:00.0", "mlx5_1"}};
  const std::vector<int> rails{0, 0, 1, 1};
  const std::vector<Affinity> classes{Affinity::kPhb, Affinity::kPxb, Affinity::kPhb, Affinity::kPxb};
  for (std::size_t i = 0; i < 4; ++i) {
    EXPECT_EQ(t.rails.rails[i].gpu, expected[i].first);
    EXPECT_EQ(t.rails.rails[i].nic, expected[i].second);
    EXPECT_EQ(t.rails.rails[i].rail, rails[i]);
    EXPECT_EQ(t.rails.rails[i].affinity, classes[i]);
  }
}

TEST(Rails, FaultyFixtureKeepsTheSameRails) {
  // A down port or a slow link changes no placement: the rail map must not shift under a fault.
  const NodeTopology healthy = fixture_topology("dgx_h100");
  const NodeTopology faulty = fixture_topology("dgx_h100_faulty");
  ASSERT_EQ(healthy.rails.rails.size(), faulty.rails.rails.size());
  for (std::size_t i = 0; i < healthy.rails.rails.size(); ++i) {
    EXPECT_EQ(healthy.rails.rails[i].nic, faulty.rails.rails[i].nic);
  }
}

TEST(Rails, UniqueNicsWhenThereAreEnoughTiesToLowerBusId) {
  // Two GPUs equally far (NODE) from two NICs: the first GPU takes the lower bus id, the second the other.
  std::vector<GpuDevice> gpus(2);
  gpus[0].placement = at("pci0000:10", {"0000:10:01.0"});
  gpus[0].placement.bus_id = "0000:11:00.0";
  gpus[1].placement = at("pci0000:20", {"0000:20:01.0"});
  gpus[1].placement.bus_id = "0000:21:00.0";
  std::vector<NicDevice> nics(3);
  nics[0].name = "mlx5_1";
  nics[0].placement = at("pci0000:40", {"0000:40:01.0"});
  nics[0].placement.bus_id = "0000:41:00.0";
  nics[1].name = "mlx5_0";
  nics[1].placement = at("pci0000:30", {"0000:30:01.0"});
  nics[1].placement.bus_id = "0000:31:00.0";
  nics[2].name = "eth0";
  nics[2].kind = NicKind::kEthernet;
  nics[2].placement = at("pci0000:10", {"0000:10:01.0", "0000:11:00.0"});  // closer, but Ethernet: not a rail
  nics[2].placement.bus_id = "0000:12:00.0";
  const RailMap map = assign_rails(gpus, nics, affinity_matrix(gpus, nics));
  ASSERT_EQ(map.rails.size(), 2u);
  EXPECT_EQ(map.rails[0].nic, "mlx5_0");  // bus 31 before bus 41
  EXPECT_EQ(map.rails[0].rail, 0);
  EXPECT_EQ(map.rails[1].nic, "mlx5_1");
  EXPECT_EQ(map.rails[1].rail, 1);
  // Without RDMA NICs, Ethernet NICs carry the rails.
  const std::vector<NicDevice> ethernet_only{nics[2]};
  const RailMap tcp = assign_rails(gpus, ethernet_only, affinity_matrix(gpus, ethernet_only));
  ASSERT_EQ(tcp.rails.size(), 2u);
  EXPECT_EQ(tcp.rails[1].nic, "eth0");
  // No GPUs or no NICs: no rails.
  EXPECT_TRUE(assign_rails({}, nics, {}).rails.empty());
  EXPECT_TRUE(assign_rails(gpus, {}, affinity_matrix(gpus, {})).rails.empty());
}

TEST(RailOverride, ParsesAndRemapsGpusToNics) {
  const RailOverride o = parse_rail_override(R"({"schema_version": 1, "description": "crossed cabling", "rails": [
      {"gpu": "0000:18:00.0", "nic": "mlx5_1"}, {"gpu": "0000:2A:00.0", "nic": "mlx5_0"},
      {"gpu": "0000:3a:00.0", "nic": "mlx5_2"}, {"gpu": "0000:5d:00.0", "nic": "mlx5_3"},
      {"gpu": "0000:9a:00.0", "nic": "mlx5_4"}, {"gpu": "0000:ab:00.0", "nic": "mlx5_5"},
      {"gpu": "0000:ba:00.0", "nic": "mlx5_6"}, {"gpu": "0000:db:00.0", "nic": "mlx5_7"}]})",
                                             "site.json");
  ASSERT_EQ(o.entries.size(), 8u);
  EXPECT_EQ(o.entries[1].first, "0000:2a:00.0");  // normalized
  const NodeTopology t = fixture_topology("dgx_h100", &o);
  EXPECT_EQ(t.rails.source, RailSource::kOverride);
  EXPECT_EQ(t.rails.override_file, "site.json");
  EXPECT_EQ(t.rails.rails[0].nic, "mlx5_1");
  EXPECT_EQ(t.rails.rails[0].rail, 1);  // rails follow the NIC's bus order
  EXPECT_EQ(t.rails.rails[0].affinity, Affinity::kNode);
  EXPECT_EQ(t.rails.rails[1].nic, "mlx5_0");
  EXPECT_EQ(t.rails.rails[1].rail, 0);
  EXPECT_EQ(to_json(t).at("rails").at("source"), "override");
}

TEST(RailOverride, MalformedFilesNameFileAndField) {
  const auto parse = [](const std::string& text) { return [text] { (void)parse_rail_override(text, "o.json"); }; };
  input_error(parse("{\"rails\": [}"), "o.json", "not valid JSON at line 1 column 12");
  input_error(parse(R"({"rails": [{"gpu": "0000:18:00.0", "nic": "mlx5_0"}]})"), "o.json", "schema_version");
  input_error(parse(R"({"schema_version": 2, "rails": [{"gpu": "0000:18:00.0", "nic": "mlx5_0"}]})"), "o.json",
              "schema_version");
  input_error(parse(R"({"schema_version": 1})"), "o.json", "rails");
  input_error(parse(R"({"schema_version": 1, "rails": []})"), "o.json", "rails");
  input_error(parse(R"({"schema_version": 1, "rail": []})"), "o.json", "rail");
  const std::string bad_gpu = input_error(
      parse(R"({"schema_version": 1, "rails": [{"gpu": "GPU0", "nic": "mlx5_0"}]})"), "o.json", "rails[0].gpu");
  EXPECT_NE(bad_gpu.find("not a PCI bus id"), std::string::npos) << bad_gpu;
  input_error(parse(R"({"schema_version": 1, "rails": [{"gpu": "0000:18:00.0"}]})"), "o.json", "rails[0].nic");
  input_error(parse(R"({"schema_version": 1, "rails": [{"gpu": "0000:18:00.0", "nic": 3}]})"), "o.json",
              "rails[0].nic");
  input_error(parse(R"({"schema_version": 1, "rails": [{"gpu": "0000:18:00.0", "nic": "mlx5_0", "port": 1}]})"),
              "o.json", "rails[0].port");
  const std::string twice = input_error(parse(R"({"schema_version": 1, "rails": [
      {"gpu": "0000:18:00.0", "nic": "mlx5_0"}, {"gpu": "0000:18:00.0", "nic": "mlx5_1"}]})"),
                                        "o.json", "rails[1].gpu");
  EXPECT_NE(twice.find("listed twice"), std::string::npos) << twice;
}

TEST(RailOverride, UnknownGpusAndNicsAndUnlistedGpusAreErrors) {
  const auto apply = [](const std::string& text) {
    return [text] {
      const RailOverride o = parse_rail_override(text, "o.json");
      (void)fixture_topology("four_gpu", &o);
    };
  };
  const std::string gpu = input_error(apply(R"({"schema_version": 1, "rails": [
      {"gpu": "0000:41:00.0", "nic": "mlx5_0"}, {"gpu": "0000:99:00.0", "nic": "mlx5_0"}]})"),
                                      "o.json", "rails[1].gpu");
  EXPECT_NE(gpu.find("0000:99:00.0 is not on this node"), std::string::npos) << gpu;
  EXPECT_NE(gpu.find("0000:c7:00.0"), std::string::npos) << "lists the GPUs found: " << gpu;
  const std::string nic = input_error(
      apply(R"({"schema_version": 1, "rails": [{"gpu": "0000:41:00.0", "nic": "mlx5_9"}]})"), "o.json", "rails[0].nic");
  EXPECT_NE(nic.find("mlx5_9 is not on this node"), std::string::npos) << nic;
  const std::string missing = input_error(apply(R"({"schema_version": 1, "rails": [
      {"gpu": "0000:41:00.0", "nic": "mlx5_0"}, {"gpu": "0000:47:00.0", "nic": "mlx5_0"},
      {"gpu": "0000:c1:00.0", "nic": "mlx5_1"}]})"),
                                          "o.json", "rails");
  EXPECT_NE(missing.find("0000:c7:00.0 of this node is not listed"), std::string::npos) << missing;
}

TEST(RailOverride, MissingFileNamesIt) {
  try {
    (void)load_rail_override("/no/such/override.json");
    ADD_FAILURE() << "expected InputError";
  } catch (const InputError& e) {
    EXPECT_EQ(std::string(e.what()).rfind("/no/such/override.json: cannot read rail override file (no such file); ", 0),
              0u)
        << e.what();
  }
}

}  // namespace
}  // namespace railcheck
