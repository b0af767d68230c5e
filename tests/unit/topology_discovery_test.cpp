// Topology discovery: sysfs reads through one root, PCI parsing, GPUs from sysfs / NVML / a fake, NICs, and
// what an empty machine says.
#include <dlfcn.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include "railcheck/topology/gpu_source.h"
#include "railcheck/topology/nic_discovery.h"
#include "railcheck/topology/node_topology.h"
#include "railcheck/topology/nvml_library.h"
#include "railcheck/topology/pci.h"
#include "railcheck/topology/sysfs_root.h"
#include "source_tree.h"

namespace railcheck {
namespace {

SysfsRoot fixture(const std::string& name) { return SysfsRoot(test::sysfs_fixture(name)); }

// A GpuSource that answers what a test tells it to.
class FakeGpuSource final : public GpuSource {
 public:
  explicit FakeGpuSource(GpuListing listing) : listing_(std::move(listing)) {}
  std::string name() const override { return "fake"; }
  GpuListing list() override {
    ++calls_;
    return listing_;
  }
  int calls() const { return calls_; }

 private:
  GpuListing listing_;
  int calls_ = 0;
};

const NicDevice& nic_named(const std::vector<NicDevice>& nics, const std::string& name) {
  const auto it = std::find_if(nics.begin(), nics.end(), [&](const NicDevice& n) { return n.name == name; });
  if (it == nics.end()) throw std::runtime_error("no NIC " + name);
  return *it;
}

TEST(Pci, BusIdsAreRecognizedAndNormalizedToSysfsForm) {
  EXPECT_TRUE(is_pci_bus_id("0000:18:00.0"));
  EXPECT_TRUE(is_pci_bus_id("10000:e0:06.0"));  // Intel VMD domain
  EXPECT_FALSE(is_pci_bus_id("pci0000:15"));
  EXPECT_FALSE(is_pci_bus_id("0000:18:00"));
  EXPECT_FALSE(is_pci_bus_id("virtio2"));
  EXPECT_EQ(normalize_pci_bus_id("00000000:1B:00.0"), std::optional<std::string>("0000:1b:00.0"));  // NVML's form
  EXPECT_EQ(normalize_pci_bus_id("0000:9a:00.0"), std::optional<std::string>("0000:9a:00.0"));
  EXPECT_FALSE(normalize_pci_bus_id("mlx5_0").has_value());
}

TEST(Pci, LinkSpeedsMapToGenerations) {
  EXPECT_EQ(pcie_gen_from_speed("2.5 GT/s PCIe"), std::optional<int>(1));
  EXPECT_EQ(pcie_gen_from_speed("5.0 GT/s PCIe"), std::optional<int>(2));
  EXPECT_EQ(pcie_gen_from_speed("8 GT/s"), std::optional<int>(3));  // older kernels
  EXPECT_EQ(pcie_gen_from_speed("16.0 GT/s PCIe"), std::optional<int>(4));
  EXPECT_EQ(pcie_gen_from_speed("32.0 GT/s PCIe"), std::optional<int>(5));
  EXPECT_EQ(pcie_gen_from_speed("64.0 GT/s PCIe"), std::optional<int>(6));
  EXPECT_FALSE(pcie_gen_from_speed("Unknown").has_value());
  EXPECT_FALSE(pcie_gen_from_speed("").has_value());
  EXPECT_EQ(format_link(5, 16), "gen5 x16");
  EXPECT_EQ(format_link(0, 0), "gen? x?");
}

TEST(Pci, PlacementComesFromTheResolvedDevicePath) {
  const SysfsRoot sysfs = fixture("dgx_h100");
  const auto gpu = pci_placement(sysfs, "0000:18:00.0");
  ASSERT_TRUE(gpu.has_value());
  EXPECT_EQ(gpu->bus_id, "0000:18:00.0");
  EXPECT_EQ(gpu->host_bridge, "pci0000:15");
  EXPECT_EQ(gpu->bridges, (std::vector<std::string>{"0000:15:01.0", "0000:16:00.0", "0000:17:00.0"}));
  EXPECT_EQ(gpu->numa_node, 0);
  EXPECT_EQ(pci_placement(sysfs, "0000:9a:00.0")->numa_node, 1);
  EXPECT_FALSE(pci_placement(sysfs, "0000:77:00.0").has_value());
  // A class device below a PCI device (virtio-net's "device" link): the deepest bus id is the device.
  const auto virtio = placement_from_device_path(sysfs, "/sys/devices/pci0000:00/0000:00:03.0/virtio2");
  ASSERT_TRUE(virtio.has_value());
  EXPECT_EQ(virtio->bus_id, "0000:00:03.0");
  EXPECT_TRUE(virtio->bridges.empty());
  EXPECT_FALSE(placement_from_device_path(sysfs, "/sys/devices/virtual/net/lo").has_value());
}

TEST(SysfsRoot, ReadsListsAndResolvesInsideTheRoot) {
  const SysfsRoot sysfs = fixture("dgx_h100");
  EXPECT_TRUE(sysfs.exists_root());
  EXPECT_FALSE(sysfs.is_live());
  EXPECT_EQ(sysfs.read_line("/sys/class/infiniband/mlx5_0/ports/1/state"), std::optional<std::string>("4: ACTIVE"));
  EXPECT_FALSE(sysfs.read_line("/sys/class/infiniband/mlx5_0/ports/9/state").has_value());
  const std::vector<std::string> ib = sysfs.list("/sys/class/infiniband");
  EXPECT_EQ(ib.size(), 8u);
  EXPECT_EQ(ib.front(), "mlx5_0");
  EXPECT_TRUE(sysfs.list("/sys/no/such/dir").empty());
  EXPECT_EQ(sysfs.resolve("/sys/class/infiniband/mlx5_0/device"),
            std::optional<std::string>("/sys/devices/pci0000:15/0000:15:01.0/0000:16:00.0/0000:17:01.0/0000:19:00.0"));
  EXPECT_FALSE(SysfsRoot("/no/such/root").exists_root());
  EXPECT_TRUE(SysfsRoot("/").is_live());
}

TEST(SysfsGpuSource, FindsTheEightH100sWithLinksAndNuma) {
  SysfsGpuSource source(fixture("dgx_h100"));
  const GpuListing listing = source.list();
  ASSERT_EQ(listing.gpus.size(), 8u) << listing.reason;
  const std::vector<std::string> expected{"0000:18:00.0", "0000:2a:00.0", "0000:3a:00.0", "0000:5d:00.0",
                                          "0000:9a:00.0", "0000:ab:00.0", "0000:ba:00.0", "0000:db:00.0"};
  for (std::size_t i = 0; i < expected.size(); ++i) {
    const GpuDevice& gpu = listing.gpus[i];
    EXPECT_EQ(gpu.placement.bus_id, expected[i]);
    EXPECT_EQ(gpu.placement.numa_node, i < 4 ? 0 : 1);
    EXPECT_EQ(gpu.pci_device_id, "0x2330");
    EXPECT_EQ(gpu.pcie.current_gen, 5);
    EXPECT_EQ(gpu.pcie.max_gen, 5);
    EXPECT_EQ(gpu.pcie.current_width, 16);
    EXPECT_EQ(gpu.pcie.max_width, 16);
    EXPECT_TRUE(gpu.name.empty());  // sysfs has no names
    EXPECT_FALSE(gpu.nvlinks_active.has_value());
  }
}

TEST(SysfsGpuSource, SeesTheGpuThatTrainedAtX8) {
  SysfsGpuSource source(fixture("dgx_h100_faulty"));
  const GpuListing listing = source.list();
  ASSERT_EQ(listing.gpus.size(), 8u);
  for (const GpuDevice& gpu : listing.gpus) {
    EXPECT_EQ(gpu.pcie.current_width, gpu.placement.bus_id == "0000:9a:00.0" ? 8 : 16) << gpu.placement.bus_id;
    EXPECT_EQ(gpu.pcie.max_width, 16);
  }
}

TEST(SysfsGpuSource, NoNvidiaDevicesIsAReasonNotAnError) {
  SysfsGpuSource missing(SysfsRoot("/no/such/root"));
  EXPECT_TRUE(missing.list().gpus.empty());
  EXPECT_EQ(missing.list().reason, "/sys/bus/pci/devices missing");
}

TEST(NvmlLibrary, AMissingLibraryIsAReason) {
  const NvmlLibrary nvml = NvmlLibrary::open("libnvidia-ml-railcheck-test-absent.so.1");
  EXPECT_FALSE(nvml.ok());
  EXPECT_EQ(nvml.reason(), "libnvidia-ml-railcheck-test-absent.so.1 not found");
}

TEST(NvmlGpuSource, ListsOrSaysWhyNot) {
  // On a machine without the driver this is the "no NVML" reason; with one, GPUs with names and bus ids.
  const auto source = make_nvml_gpu_source();
  EXPECT_EQ(source->name(), "NVML");
  const GpuListing listing = source->list();
  if (listing.gpus.empty()) {
    EXPECT_FALSE(listing.reason.empty());
  } else {
    for (const GpuDevice& gpu : listing.gpus) {
      EXPECT_TRUE(is_pci_bus_id(gpu.placement.bus_id)) << gpu.placement.bus_id;
      EXPECT_FALSE(gpu.name.empty());
    }
  }
}

#ifdef RAILCHECK_FAKE_NVML
// The fake library's controls (tests/unit/fake_nvml.cpp), reached through its own dlopen handle.
class FakeNvml {
 public:
  FakeNvml() : handle_(dlopen(RAILCHECK_FAKE_NVML, RTLD_NOW | RTLD_LOCAL)) {}
  ~FakeNvml() {
    if (handle_) dlclose(handle_);
  }
  FakeNvml(const FakeNvml&) = delete;
  FakeNvml& operator=(const FakeNvml&) = delete;
  bool ok() const { return handle_ != nullptr; }
  void set_init_result(int result) const { call<void (*)(int)>("fake_nvml_set_init_result")(result); }
  int inits() const { return call<int (*)()>("fake_nvml_inits")(); }
  int shutdowns() const { return call<int (*)()>("fake_nvml_shutdowns")(); }

 private:
  template <typename F>
  F call(const char* symbol) const {
    return reinterpret_cast<F>(dlsym(handle_, symbol));
  }
  void* handle_;
};

TEST(NvmlGpuSource, ReadsNamesBusIdsLinksAndNvlinksThroughTheLibrary) {
  const FakeNvml fake;
  ASSERT_TRUE(fake.ok()) << dlerror();
  fake.set_init_result(0);
  const int inits = fake.inits(), shutdowns = fake.shutdowns();
  const GpuListing listing = make_nvml_gpu_source(RAILCHECK_FAKE_NVML)->list();
  EXPECT_EQ(fake.inits(), inits + 1);
  EXPECT_EQ(fake.shutdowns(), shutdowns + 1);  // the RAII handle shut NVML down
  ASSERT_EQ(listing.gpus.size(), 2u) << listing.reason;
  EXPECT_EQ(listing.gpus[0].placement.bus_id, "0000:18:00.0");  // sorted by bus id
  EXPECT_EQ(listing.gpus[1].placement.bus_id, "0000:9a:00.0");
  EXPECT_EQ(listing.gpus[1].name, "NVIDIA H100 80GB HBM3");
  EXPECT_EQ(listing.gpus[1].uuid, "GPU-9a9a9a9a-0000-0000-0000-000000000000");
  EXPECT_EQ(listing.gpus[1].pci_device_id, "0x2330");
  EXPECT_EQ(listing.gpus[1].pcie.current_gen, 1);
  EXPECT_EQ(listing.gpus[1].pcie.max_gen, 5);
  EXPECT_EQ(listing.gpus[1].pcie.current_width, 8);
  EXPECT_EQ(listing.gpus[1].pcie.max_width, 16);
  EXPECT_EQ(listing.gpus[1].nvlinks_active, std::optional<int>(18));
  EXPECT_TRUE(listing.gpus[1].placement.host_bridge.empty());  // NVML knows no PCIe path

  // Placement filled from sysfs; the NVML GPUs win over sysfs's eight.
  const SysfsRoot sysfs = fixture("dgx_h100");
  const auto nvml = make_nvml_gpu_source(RAILCHECK_FAKE_NVML);
  SysfsGpuSource from_sysfs(sysfs);
  std::vector<GpuSource*> sources{nvml.get(), &from_sysfs};
  const GpuDiscovery found = discover_gpus(sources, sysfs);
  EXPECT_EQ(found.source, "NVML");
  ASSERT_EQ(found.gpus.size(), 2u);
  EXPECT_EQ(found.gpus[1].placement.host_bridge, "pci0000:97");
}

TEST(NvmlGpuSource, AFailedInitIsAReasonAndNotShutDown) {
  const FakeNvml fake;
  ASSERT_TRUE(fake.ok()) << dlerror();
  fake.set_init_result(9);
  const int shutdowns = fake.shutdowns();
  const GpuListing listing = make_nvml_gpu_source(RAILCHECK_FAKE_NVML)->list();
  fake.set_init_result(0);
  EXPECT_TRUE(listing.gpus.empty());
  EXPECT_EQ(listing.reason, "nvmlInit_v2 failed: Driver Not Loaded");
  EXPECT_EQ(fake.shutdowns(), shutdowns);
}
#endif

TEST(DiscoverGpus, FirstSourceWithGpusWinsAndPlacementComesFromSysfs) {
  const SysfsRoot sysfs = fixture("dgx_h100");
  GpuDevice named;
  named.name = "NVIDIA H100 80GB HBM3";
  named.uuid = "GPU-00000000-0000-0000-0000-000000000000";
  named.placement.bus_id = "0000:9a:00.0";
  FakeGpuSource nvml_like(GpuListing{{named}, ""});
  SysfsGpuSource from_sysfs(sysfs);
  std::vector<GpuSource*> sources{&nvml_like, &from_sysfs};
  const GpuDiscovery found = discover_gpus(sources, sysfs);
  EXPECT_EQ(found.source, "fake");
  ASSERT_EQ(found.gpus.size(), 1u);
  EXPECT_EQ(found.gpus[0].name, "NVIDIA H100 80GB HBM3");
  EXPECT_EQ(found.gpus[0].placement.host_bridge, "pci0000:97");  // filled from the fixture
  EXPECT_EQ(found.gpus[0].placement.numa_node, 1);
}

TEST(DiscoverGpus, FallsBackAndJoinsEveryReason) {
  const SysfsRoot sysfs = fixture("dgx_h100");
  FakeGpuSource no_nvml(GpuListing{{}, "libnvidia-ml.so.1 not found"});
  SysfsGpuSource from_sysfs(sysfs);
  std::vector<GpuSource*> sources{&no_nvml, &from_sysfs};
  GpuDiscovery found = discover_gpus(sources, sysfs);
  EXPECT_EQ(found.source, "sysfs");
  EXPECT_EQ(found.gpus.size(), 8u);
  EXPECT_TRUE(found.reason.empty());

  SysfsGpuSource empty(SysfsRoot("/no/such/root"));
  std::vector<GpuSource*> none{&no_nvml, &empty};
  found = discover_gpus(none, SysfsRoot("/no/such/root"));
  EXPECT_EQ(found.source, "none");
  EXPECT_EQ(found.reason, "fake: libnvidia-ml.so.1 not found; sysfs: /sys/bus/pci/devices missing");
}

TEST(DiscoverNics, ReadsPortsRatesNetdevsAndSkipsVirtualAndIpoib) {
  const NicDiscovery found = discover_nics(fixture("dgx_h100"));
  EXPECT_TRUE(found.notes.empty());
  ASSERT_EQ(found.nics.size(), 10u);  // mlx5_0..7, enp1s0f0, enp129s0f0 (not lo, not the ibp* IPoIB netdevs)
  for (int i = 0; i < 8; ++i) {
    const NicDevice& nic = found.nics[static_cast<std::size_t>(i)];
    EXPECT_EQ(nic.name, "mlx5_" + std::to_string(i));
    EXPECT_EQ(nic.kind, NicKind::kRdma);
    ASSERT_EQ(nic.ports.size(), 1u);
    EXPECT_EQ(nic.ports[0].state, "ACTIVE");
    EXPECT_EQ(nic.ports[0].phys_state, "LinkUp");
    EXPECT_EQ(nic.ports[0].rate_gbps, 400.0);
    EXPECT_EQ(nic.ports[0].rate_text, "400 Gb/sec (4X NDR)");
    EXPECT_EQ(nic.ports[0].link_layer, "InfiniBand");
    EXPECT_TRUE(nic.ports[0].has_gid);
    EXPECT_EQ(nic.pcie.current_gen, 5);
    EXPECT_EQ(nic.pcie.current_width, 16);
    EXPECT_EQ(nic.placement.numa_node, i < 4 ? 0 : 1);
  }
  const NicDevice& mlx5_0 = nic_named(found.nics, "mlx5_0");
  EXPECT_EQ(mlx5_0.placement.bus_id, "0000:19:00.0");
  EXPECT_EQ(mlx5_0.netdev, "ibp25s0");
  EXPECT_EQ(found.nics[8].name, "enp1s0f0");
  EXPECT_EQ(found.nics[8].kind, NicKind::kEthernet);
  EXPECT_EQ(found.nics[8].ports[0].state, "UP");
  EXPECT_EQ(found.nics[8].ports[0].rate_gbps, 10.0);
  EXPECT_EQ(found.nics[9].name, "enp129s0f0");
  EXPECT_EQ(found.nics[9].placement.numa_node, 1);
}

TEST(DiscoverNics, FaultyFixturePortStatesAndRates) {
  const NicDiscovery found = discover_nics(fixture("dgx_h100_faulty"));
  EXPECT_EQ(nic_named(found.nics, "mlx5_3").ports[0].state, "DOWN");
  EXPECT_EQ(nic_named(found.nics, "mlx5_3").ports[0].phys_state, "Polling");
  EXPECT_EQ(nic_named(found.nics, "mlx5_2").ports[0].rate_gbps, 200.0);
  EXPECT_EQ(nic_named(found.nics, "mlx5_1").ports[0].rate_gbps, 400.0);
}

TEST(DiscoverNics, PortTextParsing) {
  EXPECT_EQ(port_state_name("4: ACTIVE"), "ACTIVE");
  EXPECT_EQ(port_state_name("5: LinkUp"), "LinkUp");
  EXPECT_EQ(port_state_name("DOWN"), "DOWN");
  EXPECT_EQ(port_rate_gbps("400 Gb/sec (4X NDR)"), 400.0);
  EXPECT_EQ(port_rate_gbps("53.125 Gb/sec (1X HDR)"), 53.125);
  EXPECT_EQ(port_rate_gbps("garbage"), 0.0);
}

TEST(DiscoverTopology, AnEmptyMachineSaysSoPlainly) {
  const SysfsRoot nothing("/no/such/root");
  FakeGpuSource no_nvml(GpuListing{{}, "libnvidia-ml.so.1 not found"});
  SysfsGpuSource from_sysfs(nothing);
  std::vector<GpuSource*> sources{&no_nvml, &from_sysfs};
  const NodeTopology t = discover_topology(nothing, sources, {}, nullptr);
  EXPECT_TRUE(t.empty());
  EXPECT_EQ(t.gpu_source, "none");
  EXPECT_EQ(t.notes, (std::vector<std::string>{
                         "no GPUs found (fake: libnvidia-ml.so.1 not found; sysfs: /sys/bus/pci/devices missing)",
                         "no RDMA devices (/sys/class/infiniband missing)"}));
  EXPECT_TRUE(t.rails.rails.empty());
  const nlohmann::json j = to_json(t);
  EXPECT_EQ(j.at("kind"), "railcheck.topology");
  EXPECT_TRUE(j.at("gpus").empty());
  EXPECT_TRUE(j.at("affinity").empty());
}

TEST(DiscoverTopology, CudaOrdinalsAttachByBusId) {
  const SysfsRoot sysfs = fixture("dgx_h100");
  SysfsGpuSource from_sysfs(sysfs);
  std::vector<GpuSource*> sources{&from_sysfs};
  const NodeTopology t = discover_topology(sysfs, sources, {"0000:9a:00.0", "0000:18:00.0"}, nullptr);
  EXPECT_EQ(t.gpus[0].cuda_device, std::optional<int>(1));
  EXPECT_EQ(t.gpus[4].cuda_device, std::optional<int>(0));
  EXPECT_FALSE(t.gpus[1].cuda_device.has_value());
}

}  // namespace
}  // namespace railcheck
