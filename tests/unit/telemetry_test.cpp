// The telemetry: counter growth over a window (resets, devices that come and go, the step a counter first grew
// in), the sources on real inputs where this machine has them (netlink interface statistics, /proc/net/snmp)
// and on sysfs fixture trees whose RDMA counters change between reads, the sampler thread, and the rules that
// turn the records into verdicts.
#include <arpa/inet.h>
#include <dlfcn.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <functional>
#include <thread>

#include <gtest/gtest.h>

#include "in_process.h"
#include "railcheck/analysis/analysis_options.h"
#include "railcheck/analysis/telemetry_rules.h"
#include "railcheck/core/error.h"
#include "railcheck/record/record.h"
#include "railcheck/telemetry/counter_sources.h"
#include "railcheck/telemetry/telemetry_sampler.h"

namespace railcheck {
namespace {

using nlohmann::json;
using telemetry::CounterGrowth;
using telemetry::CounterSnapshot;
using telemetry::DeviceKey;

CounterSnapshot snapshot(std::initializer_list<std::tuple<DeviceKey, std::string, std::uint64_t>> values) {
  CounterSnapshot s;
  for (const auto& [device, name, value] : values) s.set(device, name, value);
  return s;
}

const TelemetryDevice* find_device(const std::vector<TelemetryDevice>& devices, const std::string& source,
                                   const std::string& name) {
  for (const TelemetryDevice& d : devices) {
    if (d.source == source && d.device == name) return &d;
  }
  return nullptr;
}

const DeviceKey kEth0{"netdev", "eth0"};
const DeviceKey kMlx{"rdma", "mlx5_0/1"};

TEST(CounterGrowth, SumsTheIncreasesOfEveryReadAndCountsAResetFromItsNewValue) {
  CounterGrowth growth(snapshot({{kEth0, "carrier_changes", 4}, {kEth0, "rx_bytes", 1000}, {kMlx, "symbol_error", 7}}));
  growth.add(snapshot({{kEth0, "carrier_changes", 5}, {kEth0, "rx_bytes", 3000}, {kMlx, "symbol_error", 9}}));
  // The port was reset: symbol_error restarted from 0 and is 3 now; 2 + 3 grew in the window.
  growth.add(snapshot({{kEth0, "carrier_changes", 6}, {kEth0, "rx_bytes", 3500}, {kMlx, "symbol_error", 3}}));
  const auto devices = growth.devices();
  ASSERT_EQ(devices.size(), 2u);
  EXPECT_EQ(devices[0].source, "netdev") << "netdev before rdma";
  EXPECT_EQ(devices[0].deltas.at("carrier_changes"), 2u);
  EXPECT_EQ(devices[0].deltas.at("rx_bytes"), 2500u);
  EXPECT_TRUE(devices[0].resets.empty());
  EXPECT_EQ(devices[1].deltas.at("symbol_error"), 5u);
  EXPECT_EQ(devices[1].resets, std::vector<std::string>{"symbol_error"});
  EXPECT_EQ(growth.reads(), 2);
}

TEST(CounterGrowth, CountersThatDidNotGrowAreLeftOutButTheirDeviceIsKept) {
  CounterGrowth growth(snapshot({{kEth0, "carrier_changes", 4}, {kEth0, "rx_crc_errors", 0}}));
  growth.add(snapshot({{kEth0, "carrier_changes", 4}, {kEth0, "rx_crc_errors", 0}}));
  const auto devices = growth.devices();
  ASSERT_EQ(devices.size(), 1u) << "the device was watched: it stays in the record";
  EXPECT_TRUE(devices[0].deltas.empty());
}

TEST(CounterGrowth, ADeviceThatAppearsCountsFromItsFirstReadAndOneThatVanishesKeepsItsGrowth) {
  CounterGrowth growth(snapshot({{kEth0, "tx_errors", 1}}));
  growth.add(snapshot({{kEth0, "tx_errors", 3}, {kMlx, "link_downed", 40}}));  // mlx5_0 appears at 40
  growth.add(snapshot({{kMlx, "link_downed", 41}}));                           // eth0 unread this time
  growth.add(snapshot({{kEth0, "tx_errors", 3}, {kMlx, "link_downed", 41}}));  // eth0 back, unchanged
  const auto devices = growth.devices();
  EXPECT_EQ(find_device(devices, "netdev", "eth0")->deltas.at("tx_errors"), 2u);
  EXPECT_TRUE(find_device(devices, "netdev", "eth0")->resets.empty()) << "an unread device is not a reset";
  EXPECT_EQ(find_device(devices, "rdma", "mlx5_0/1")->deltas.at("link_downed"), 1u);
}

TEST(CounterGrowth, AnErrorCounterNamesTheStepItFirstGrewInAndTrafficCountersDoNot) {
  CounterGrowth growth(snapshot({{kEth0, "carrier_changes", 0}, {kEth0, "tx_bytes", 0}}));
  growth.add(snapshot({{kEth0, "carrier_changes", 0}, {kEth0, "tx_bytes", 10}}), "warm-up");
  growth.add(snapshot({{kEth0, "carrier_changes", 1}, {kEth0, "tx_bytes", 20}}), "p2p first round 2");
  growth.add(snapshot({{kEth0, "carrier_changes", 2}, {kEth0, "tx_bytes", 30}}), "p2p first round 3");
  const auto devices = growth.devices();
  EXPECT_EQ(devices[0].first_grew_in, (std::map<std::string, std::string>{{"carrier_changes", "p2p first round 2"}}));
}

TEST(TelemetryRecordJson, RoundTripsAndTheConsoleLineListsErrorCountersBeforeTraffic) {
  TelemetryRecord r;
  r.host = "node2";
  r.rank = 3;
  r.window = "tcp_links";
  r.ticks = 4;
  TelemetryDevice eth0;
  eth0.source = "netdev";
  eth0.device = "eth0";
  eth0.deltas = {{"carrier_changes", 2}, {"rx_bytes", 1200000000}};
  eth0.first_grew_in = {{"carrier_changes", "p2p first round 1"}};
  TelemetryDevice tcp;
  tcp.source = "tcp";
  tcp.deltas = {{"OutSegs", 9000}, {"RetransSegs", 310}};
  r.devices = {eth0, tcp};
  r.unread = {"rdma: no /sys/class/infiniband (no RDMA devices)"};
  r.start_unix_s = 100;
  r.end_unix_s = 130;
  r.interval = 2;
  const json j = to_json(Record{r});
  EXPECT_EQ(j.at("kind"), "telemetry");
  const TelemetryRecord back = telemetry_record_from_json(j);
  EXPECT_EQ(to_json(Record{back}), j);
  EXPECT_TRUE(shows_trouble(r));
  EXPECT_EQ(format_telemetry_line(r, 3),
            "node2 during tcp_links: eth0 carrier_changes +2, tcp RetransSegs +310, eth0 rx_bytes +1.2e+09, ... (4)");
  r.devices = {tcp};
  EXPECT_FALSE(shows_trouble(r)) << "TCP retransmits alone are ordinary congestion";
  r.devices[0].resets = {"OutSegs"};
  EXPECT_TRUE(shows_trouble(r)) << "a reset is worth a line";
}

// A sysfs tree with one RDMA device and port, written as the kernel shows it.
class RdmaFixture {
 public:
  RdmaFixture() : dir_("rdma-counters") {}
  void write(const std::string& device, const std::string& group, const std::string& name, const std::string& text) {
    const auto dir = dir_.path() / "sys/class/infiniband" / device / "ports/1" / group;
    std::filesystem::create_directories(dir);
    std::ofstream(dir / name) << text << "\n";
  }
  SysfsRoot root() const { return SysfsRoot(dir_.path()); }

 private:
  test::ScratchDir dir_;
};

TEST(RdmaSource, ReadsCountersAndHwCountersAsTheyChangeBetweenReadsWithDataInBytes) {
  RdmaFixture sysfs;
  sysfs.write("mlx5_0", "counters", "symbol_error", "0");
  sysfs.write("mlx5_0", "counters", "link_downed", "1");
  sysfs.write("mlx5_0", "counters", "port_xmit_data", "1000");  // 4-byte words
  sysfs.write("mlx5_0", "hw_counters", "rnr_nak_retry_err", "0");
  const auto source = telemetry::rdma_source(sysfs.root(), {});
  CounterSnapshot first;
  source->read(first);
  CounterGrowth growth(first);
  EXPECT_EQ(first.counters.at(kMlx).at("port_xmit_data"), 4000u);
  sysfs.write("mlx5_0", "counters", "symbol_error", "12");
  sysfs.write("mlx5_0", "counters", "link_downed", "3");
  sysfs.write("mlx5_0", "counters", "port_xmit_data", "1500");
  sysfs.write("mlx5_0", "hw_counters", "rnr_nak_retry_err", "1");
  CounterSnapshot second;
  source->read(second);
  growth.add(second);
  const auto devices = growth.devices();
  ASSERT_EQ(devices.size(), 1u);
  EXPECT_EQ(devices[0].deltas,
            (std::map<std::string, std::uint64_t>{
                {"link_downed", 2}, {"port_xmit_data", 2000}, {"rnr_nak_retry_err", 1}, {"symbol_error", 12}}));
}

TEST(RdmaSource, NotANumberIsSkippedAndNotedExcludedDevicesAreNotReadAndNoDevicesIsANote) {
  RdmaFixture sysfs;
  sysfs.write("mlx5_0", "counters", "VL15_dropped", "N/A (no PMA)");
  sysfs.write("mlx5_0", "counters", "symbol_error", "5");
  sysfs.write("mlx5_4", "counters", "symbol_error", "5");
  CounterSnapshot s;
  telemetry::rdma_source(sysfs.root(), {"mlx5_4"})->read(s);
  EXPECT_EQ(s.counters.size(), 1u) << "mlx5_4 is excluded";
  EXPECT_EQ(s.counters.at(kMlx), (std::map<std::string, std::uint64_t>{{"symbol_error", 5}}));
  ASSERT_EQ(s.unread.size(), 1u);
  EXPECT_EQ(*s.unread.begin(), "rdma: mlx5_0/1 counters/VL15_dropped: 'N/A (no PMA)' is not a count");

  test::ScratchDir empty("no-rdma");
  CounterSnapshot none;
  telemetry::rdma_source(SysfsRoot(empty.path()), {})->read(none);
  EXPECT_TRUE(none.counters.empty());
  EXPECT_EQ(*none.unread.begin(), "rdma: no /sys/class/infiniband (no RDMA devices)");
}

TEST(TcpSource, ReadsTheCountersOfProcNetSnmpAndLeavesSettingsAndGaugesOut) {
  test::ScratchDir dir("tcp-snmp");
  std::filesystem::create_directories(dir.path() / "proc/net");
  std::ofstream(dir.path() / "proc/net/snmp")
      << "Ip: Forwarding DefaultTTL\nIp: 1 64\n"
         "Tcp: RtoAlgorithm RtoMin RtoMax MaxConn ActiveOpens PassiveOpens AttemptFails EstabResets CurrEstab InSegs "
         "OutSegs RetransSegs InErrs OutRsts InCsumErrors\n"
         "Tcp: 1 200 120000 -1 34425 12281 22507 44 7 378814 377775 58 0 22547 0\n";
  CounterSnapshot s;
  telemetry::tcp_source(SysfsRoot(dir.path()))->read(s);
  const auto& tcp = s.counters.at({"tcp", ""});
  EXPECT_EQ(tcp.at("RetransSegs"), 58u);
  EXPECT_EQ(tcp.at("OutSegs"), 377775u);
  EXPECT_FALSE(tcp.contains("MaxConn")) << "a setting (and -1)";
  EXPECT_FALSE(tcp.contains("CurrEstab")) << "a gauge";
  EXPECT_TRUE(s.unread.empty());
}

TEST(TcpSource, ThisMachinesCountersGrowWhenItSendsTcp) {
  CounterSnapshot before;
  const auto source = telemetry::tcp_source(SysfsRoot("/"));
  source->read(before);
  ASSERT_TRUE(before.unread.empty()) << *before.unread.begin();
  // A connection to a closed port of this host: the SYN counts as an active open and an outgoing segment.
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  ASSERT_GE(fd, 0);
  sockaddr_in to{};
  to.sin_family = AF_INET;
  to.sin_port = htons(9);  // discard: nothing listens here
  to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  (void)::connect(fd, reinterpret_cast<const sockaddr*>(&to), sizeof to);
  ::close(fd);
  CounterSnapshot after;
  source->read(after);
  CounterGrowth growth(before);
  growth.add(after);
  EXPECT_GE(growth.devices().at(0).deltas["OutSegs"], 1u);
}

TEST(NetdevSource, ReadsLoopbackThroughNetlinkAndItsCountersGrowWithTraffic) {
  const auto with_lo = telemetry::netdev_source({});
  CounterSnapshot before;
  with_lo->read(before);
  ASSERT_TRUE(before.unread.empty()) << *before.unread.begin();
  const DeviceKey lo{"netdev", "lo"};
  ASSERT_TRUE(before.counters.contains(lo)) << "every namespace has lo";
  EXPECT_TRUE(before.counters.at(lo).contains("carrier_changes"));
  EXPECT_TRUE(before.counters.at(lo).contains("rx_crc_errors"));
  const int fd = ::socket(AF_INET, SOCK_DGRAM, 0);
  ASSERT_GE(fd, 0);
  sockaddr_in to{};
  to.sin_family = AF_INET;
  to.sin_port = htons(9);
  to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  const char payload[1000] = {};
  for (int i = 0; i < 10; ++i)
    (void)::sendto(fd, payload, sizeof payload, 0, reinterpret_cast<const sockaddr*>(&to), sizeof to);
  ::close(fd);
  CounterSnapshot after;
  with_lo->read(after);
  CounterGrowth growth(before);
  growth.add(after);
  const std::vector<TelemetryDevice> devices = growth.devices();
  const TelemetryDevice* grown = find_device(devices, "netdev", "lo");
  ASSERT_NE(grown, nullptr);
  EXPECT_GE(grown->deltas.at("tx_bytes"), 10u * 1000u);
  EXPECT_GE(grown->deltas.at("rx_packets"), 10u);

  CounterSnapshot excluded;
  telemetry::netdev_source({"l?"})->read(excluded);
  EXPECT_FALSE(excluded.counters.contains(lo)) << "the exclude list takes shell patterns";
}

// A source that replays a script of values for one counter, one per read, then repeats the last.
class ScriptedSource final : public telemetry::CounterSource {
 public:
  explicit ScriptedSource(std::vector<std::uint64_t> values) : values_(std::move(values)) {}
  void read(CounterSnapshot& into) const override {
    const std::lock_guard lock(mutex_);
    into.set(kMlx, "link_downed", values_[std::min(next_, values_.size() - 1)]);
    ++next_;
  }

 private:
  std::vector<std::uint64_t> values_;
  mutable std::mutex mutex_;
  mutable std::size_t next_ = 0;
};

TEST(TelemetrySampler, ItsThreadCatchesAResetBetweenTheWindowsSnapshotsAndNamesTheStep) {
  std::vector<std::unique_ptr<telemetry::CounterSource>> sources;
  sources.push_back(std::make_unique<ScriptedSource>(std::vector<std::uint64_t>{100, 110, 2, 5}));
  telemetry::TelemetrySampler sampler(std::move(sources), 0.005);
  sampler.on_step_begin({7, StepKind::kRound, "p2p first round 7"});
  sampler.begin_window("tcp_links");
  while (sampler.cost().reads < 5) std::this_thread::sleep_for(std::chrono::milliseconds(2));
  const std::optional<TelemetryRecord> window = sampler.end_window();
  ASSERT_TRUE(window);
  EXPECT_EQ(window->window, "tcp_links");
  EXPECT_GE(window->ticks, 3);
  ASSERT_EQ(window->devices.size(), 1u);
  // 100 -> 110 (+10), reset, 2 (+2), 5 (+3): the two snapshots alone (100 -> 5) would have shown a reset only.
  EXPECT_EQ(window->devices[0].deltas.at("link_downed"), 15u);
  EXPECT_EQ(window->devices[0].resets, std::vector<std::string>{"link_downed"});
  EXPECT_EQ(window->devices[0].first_grew_in.at("link_downed"), "p2p first round 7");
  EXPECT_GE(window->end_unix_s, window->start_unix_s);
  EXPECT_FALSE(sampler.end_window()) << "closed";
}

// The fake libnvidia-ml's script (tests/unit/fake_nvml.cpp), through its own dlopen handle: the same library
// the source loads, so values set here are what NVML "reports".
class FakeNvmlScript {
 public:
  FakeNvmlScript() : handle_(dlopen(RAILCHECK_FAKE_NVML, RTLD_NOW | RTLD_LOCAL)) {
    set_ = reinterpret_cast<void (*)(int, const char*, long long)>(dlsym(handle_, "fake_nvml_set_value"));
    post_ = reinterpret_cast<void (*)(int, unsigned long long)>(dlsym(handle_, "fake_nvml_post_xid"));
    clear_ = reinterpret_cast<void (*)()>(dlsym(handle_, "fake_nvml_clear_values"));
    clear_();
  }
  ~FakeNvmlScript() {
    clear_();
    dlclose(handle_);
  }
  FakeNvmlScript(const FakeNvmlScript&) = delete;
  FakeNvmlScript& operator=(const FakeNvmlScript&) = delete;
  void set(int gpu, const char* name, long long value) { set_(gpu, name, value); }
  void post_xid(int gpu, unsigned long long xid) { post_(gpu, xid); }
  /// A healthy H100 at work: every counter the sampler reads, none growing.
  void healthy(int gpu) {
    for (const auto& [name, value] :
         std::initializer_list<std::pair<const char*, long long>>{{"temperature", 61},
                                                                  {"temperature_max", 87},
                                                                  {"sm_clock", 1980},
                                                                  {"energy_mj", 5000000},
                                                                  {"clock_reasons", 0},
                                                                  {"ecc_uncorrected", 0},
                                                                  {"ecc_corrected", 0},
                                                                  {"remap_correctable", 0},
                                                                  {"remap_uncorrectable", 0},
                                                                  {"remap_pending", 0},
                                                                  {"remap_failure", 0},
                                                                  {"pcie_replay", 0},
                                                                  {"field_38", 0},
                                                                  {"field_45", 0},
                                                                  {"field_52", 0},
                                                                  {"field_59", 0},
                                                                  {"field_82", 70}}) {
      set(gpu, name, value);
    }
  }

 private:
  void* handle_;
  void (*set_)(int, const char*, long long) = nullptr;
  void (*post_)(int, unsigned long long) = nullptr;
  void (*clear_)() = nullptr;
};

// One window over the fake GPUs: `during` scripts what happens between the first and last snapshot, with
// `reads` reads in between (as the sampler's ticks).
std::vector<TelemetryDevice> gpu_window(const std::function<void(int read)>& during, int reads = 4) {
  const auto source = telemetry::nvml_source(RAILCHECK_FAKE_NVML);
  CounterSnapshot first;
  source->read(first);
  CounterGrowth growth(first);
  for (int read = 0; read < reads; ++read) {
    during(read);
    CounterSnapshot next;
    source->read(next);
    growth.add(next);
  }
  return growth.devices();
}

json window_records(const std::vector<TelemetryDevice>& devices) {
  TelemetryRecord r;
  r.host = "gpu-node";
  r.window = "soak";
  r.devices = devices;
  r.start_unix_s = 1000;
  r.end_unix_s = 1060;
  return json::array({to_json(Record{r})});
}

std::vector<std::string> finding_texts(const std::vector<analysis::Finding>& findings) {
  std::vector<std::string> texts;
  for (const analysis::Finding& f : findings) texts.push_back(analysis::label(f.component) + ": " + f.evidence.text);
  return texts;
}

TEST(NvmlTelemetry, ACleanGpuReadsEveryCounterAndNoRuleFires) {
  FakeNvmlScript nvml;
  nvml.healthy(0);
  nvml.healthy(1);
  const auto devices = gpu_window([&](int read) { nvml.set(0, "energy_mj", 5000000 + 700 * (read + 1)); });
  ASSERT_EQ(devices.size(), 2u);
  EXPECT_EQ(devices[0].source, "gpu");
  EXPECT_EQ(devices[0].device, "0");
  EXPECT_EQ(devices[0].deltas, (std::map<std::string, std::uint64_t>{{"energy_mj", 2800}})) << "only energy grew";
  EXPECT_EQ(devices[0].gauges.at("temperature_c"), (GaugeSummary{61, 61, 5, 5}));
  EXPECT_EQ(devices[0].gauges.at("temperature_over_max_c").max, -26.0);
  EXPECT_EQ(devices[0].gauges.at("memory_temperature_c").max, 70.0);
  EXPECT_EQ(devices[0].gauges.at("clocks_event_hw_slowdown").longest_nonzero_run, 0);
  EXPECT_TRUE(analysis::telemetry_findings(window_records(devices), {}).empty())
      << testing::PrintToString(finding_texts(analysis::telemetry_findings(window_records(devices), {})));
}

TEST(NvmlTelemetry, HardwareSlowdownHeldForThreeReadsFailsTheGpuAndTwoReadsDoNot) {
  FakeNvmlScript nvml;
  nvml.healthy(0);
  nvml.healthy(1);
  // GPU 1: HW slowdown (0x8) on reads 0-2 of 4; GPU 0: power brake (0x80) on reads 1-2 only, SW power cap always.
  const auto devices = gpu_window([&](int read) {
    nvml.set(1, "clock_reasons", read <= 2 ? 0x8 : 0);
    nvml.set(0, "clock_reasons", 0x4 | (read == 1 || read == 2 ? 0x80 : 0));
  });
  const auto findings = analysis::telemetry_findings(window_records(devices), {});
  ASSERT_EQ(findings.size(), 1u) << testing::PrintToString(finding_texts(findings));
  EXPECT_EQ(findings[0].component, analysis::make_gpu("gpu-node", 1));
  EXPECT_EQ(findings[0].status, analysis::VerdictStatus::kFail);
  EXPECT_EQ(findings[0].evidence.metric, "gpu clocks_event_hw_slowdown nonzero_run");
  EXPECT_EQ(findings[0].evidence.text,
            "GPU 1 clocks_event_hw_slowdown held for 3 reads in a row during soak (3): hardware slowdown held for 3 "
            "reads or more (power supply, temperature)");
}

TEST(NvmlTelemetry, UncorrectableEccAPendingRemapAndAnXidEachFailTheirGpu) {
  FakeNvmlScript nvml;
  nvml.healthy(0);
  nvml.healthy(1);
  const auto devices = gpu_window([&](int read) {
    if (read == 1) {
      nvml.set(0, "ecc_uncorrected", 2);
      nvml.set(0, "ecc_corrected", 40);
      nvml.set(1, "remap_pending", 1);
      nvml.post_xid(1, 79);
    }
    if (read == 3) std::this_thread::sleep_for(std::chrono::milliseconds(50));  // the XID thread's wait returns
  });
  EXPECT_EQ(devices[0].deltas.at("ecc_uncorrected_volatile"), 2u);
  EXPECT_EQ(devices[1].deltas.at("xid_79"), 1u);
  EXPECT_EQ(devices[1].deltas.at("xid_events"), 1u);
  const auto findings = analysis::telemetry_findings(window_records(devices), {});
  const std::vector<std::string> texts = finding_texts(findings);
  ASSERT_EQ(texts.size(), 3u) << testing::PrintToString(texts);
  EXPECT_EQ(texts[0],
            "gpu-node GPU 0: GPU 0 ecc_uncorrected_volatile +2 during soak (+2): uncorrectable ECC errors "
            "in GPU memory");
  EXPECT_EQ(texts[1],
            "gpu-node GPU 1: GPU 1 xid_events +1 during soak (+1): the driver reported XID errors "
            "(xid_<code> names them; the kernel log has the detail)");
  EXPECT_EQ(texts[2],
            "gpu-node GPU 1: GPU 1 remapped_rows_pending reached 1 during soak (1): a memory row remap is "
            "pending (the GPU needs a reset)");
  for (const analysis::Finding& f : findings) EXPECT_EQ(f.status, analysis::VerdictStatus::kFail);
}

TEST(NvmlTelemetry, NoLibraryIsOneNoteAndNoCounters) {
  CounterSnapshot s;
  telemetry::nvml_source("libnvidia-ml-absent.so.1")->read(s);
  EXPECT_TRUE(s.counters.empty());
  ASSERT_EQ(s.unread.size(), 1u);
  EXPECT_EQ(*s.unread.begin(), "gpu: libnvidia-ml-absent.so.1 not found");
}

// The records of one run: a p2p record naming node2's eth0 on rail 0, and telemetry windows.
json telemetry_record(const std::string& host, const std::string& window, double seconds, const std::string& source,
                      const std::string& device, json deltas, json first = json::object()) {
  return {{"kind", "telemetry"},
          {"host", host},
          {"rank", 0},
          {"window", window},
          {"ticks", 3},
          {"devices", json::array({{{"source", source},
                                    {"device", device},
                                    {"deltas", deltas},
                                    {"resets", json::array()},
                                    {"first_grew_in", first}}})},
          {"unread", json::array()},
          {"start_unix_s", 1000.0},
          {"end_unix_s", 1000.0 + seconds}};
}

json p2p_on_rail0() {
  return {{"kind", "p2p"},       {"src_host", "node1"}, {"src_nic", "eth0"},
          {"dst_host", "node2"}, {"dst_nic", "eth0"},   {"rail", 0}};
}

TEST(TelemetryRules, CarrierChangesFailTheNicOnItsRailWithTheWindowsAndTheStep) {
  const json records =
      json::array({p2p_on_rail0(),
                   telemetry_record("node2", "tcp_links", 10, "netdev", "eth0", {{"carrier_changes", 1}},
                                    {{"carrier_changes", "p2p first round 2"}}),
                   telemetry_record("node2", "tcp_lat", 10, "netdev", "eth0", {{"carrier_changes", 1}}),
                   telemetry_record("node1", "tcp_links", 10, "netdev", "eth0", {{"rx_bytes", 5000}})});
  const auto findings = analysis::telemetry_findings(records, {});
  ASSERT_EQ(findings.size(), 1u) << "node1's traffic is no finding";
  const analysis::Finding& f = findings[0];
  EXPECT_EQ(f.component, analysis::make_nic("node2", "eth0", 0));
  EXPECT_EQ(f.status, analysis::VerdictStatus::kFail);
  EXPECT_EQ(f.evidence.source, "telemetry");
  EXPECT_EQ(f.evidence.metric, "netdev carrier_changes");
  EXPECT_EQ(f.evidence.measured, 2.0);
  EXPECT_EQ(f.evidence.refs, (std::vector<std::string>{"tcp_links (+1)", "tcp_lat (+1)"}));
  EXPECT_EQ(f.evidence.text,
            "eth0 carrier_changes +2 during tcp_links (+1), tcp_lat (+1), first in step 'p2p first round 2': the link "
            "went down and came back (carrier changes)");
  const auto verdicts = analysis::combine(findings);
  const auto nic = std::find_if(verdicts.begin(), verdicts.end(), [](const analysis::Verdict& v) {
    return v.component.kind == analysis::ComponentKind::kNic;
  });
  ASSERT_NE(nic, verdicts.end());
  const std::string action = nic->action;
  EXPECT_NE(action.find("its link went down and came back"), std::string::npos) << action;
}

TEST(TelemetryRules, RateRulesJudgeTheRateOverTheTimeWatchedAndWarnRulesWarn) {
  // 10 symbol errors in an hour is within 120/hour; the same 10 in one minute is 600/hour.
  const json slow = json::array({telemetry_record("n1", "soak", 3600, "rdma", "mlx5_0/1", {{"symbol_error", 10}})});
  EXPECT_TRUE(analysis::telemetry_findings(slow, {}).empty());
  const json fast = json::array({telemetry_record("n1", "soak", 60, "rdma", "mlx5_0/1", {{"symbol_error", 10}})});
  const auto failing = analysis::telemetry_findings(fast, {});
  ASSERT_EQ(failing.size(), 1u);
  EXPECT_EQ(failing[0].component, analysis::make_nic("n1", "mlx5_0", -1)) << "no p2p record names its rail";
  EXPECT_EQ(failing[0].status, analysis::VerdictStatus::kFail);
  EXPECT_DOUBLE_EQ(failing[0].evidence.measured, 600.0);
  EXPECT_EQ(analysis::label(failing[0].component), "n1 NIC mlx5_0");
  const json retrains =
      json::array({telemetry_record("n1", "soak", 60, "rdma", "mlx5_0/1", {{"link_error_recovery", 6}})});
  const auto warned = analysis::telemetry_findings(retrains, {});
  ASSERT_EQ(warned.size(), 1u);
  EXPECT_EQ(warned[0].status, analysis::VerdictStatus::kWarn);
}

TEST(TelemetryRules, TcpRetransmitsHaveNoDefaultRuleAndASuiteCanAddOneOrTurnOneOff) {
  const json records =
      json::array({telemetry_record("n3", "tcp_links", 10, "tcp", "", {{"RetransSegs", 500}}),
                   telemetry_record("n3", "tcp_links", 10, "netdev", "eth0", {{"carrier_changes", 1}})});
  const auto defaults = analysis::telemetry_findings(records, {});
  ASSERT_EQ(defaults.size(), 1u);
  EXPECT_EQ(defaults[0].evidence.metric, "netdev carrier_changes");
  const analysis::AnalysisOptions options = analysis::parse_analysis_options(json::parse(R"({"telemetry": {"rules": [
        {"source": "tcp", "counter": "RetransSegs", "above": 100, "status": "warn", "means": "TCP resent segments"},
        {"source": "netdev", "counter": "carrier_changes", "status": "off"}]}})"),
                                                                             "suite.json", "analysis");
  const auto custom = analysis::telemetry_findings(records, options.telemetry);
  ASSERT_EQ(custom.size(), 1u);
  EXPECT_EQ(custom[0].component, analysis::make_node("n3"));
  EXPECT_EQ(custom[0].status, analysis::VerdictStatus::kWarn);
  // The options travel with the run's verdicts and read back the same.
  const auto again = analysis::parse_analysis_options(analysis::to_json(options), "results.json", "analysis.options");
  EXPECT_EQ(analysis::to_json(again), analysis::to_json(options));
}

TEST(TelemetryRules, ABadRuleIsAnInputErrorNamingTheField) {
  const auto error_of = [](const char* text) {
    try {
      (void)analysis::parse_analysis_options(json::parse(text), "suite.json", "analysis");
    } catch (const InputError& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  EXPECT_NE(error_of(R"({"telemetry": {"rules": [{"source": "nvme", "counter": "x", "status": "fail"}]}})")
                .find("analysis.telemetry.rules[0].source"),
            std::string::npos);
  EXPECT_NE(
      error_of(R"({"telemetry": {"rules": [{"source": "rdma", "counter": "x", "status": "fail", "per": "day"}]}})")
          .find("rules[0].per: must be run, second, minute or hour"),
      std::string::npos);
  EXPECT_NE(error_of(R"({"telemetry": {"rules": [{"source": "rdma", "counter": "x"}]}})").find("status"),
            std::string::npos);
  EXPECT_NE(error_of(R"({"telemetry": {"rule": []}})").find("analysis.telemetry.rule"), std::string::npos);
}

TEST(TelemetryRules, AMalformedTelemetryRecordNamesTheRecordAndField) {
  json bad = telemetry_record("n1", "t", 1, "netdev", "eth0", {{"carrier_changes", 1}});
  bad["devices"][0].erase("source");
  try {
    (void)analysis::telemetry_findings(json::array({p2p_on_rail0(), bad}), {});
    FAIL() << "no error";
  } catch (const std::invalid_argument& e) {
    EXPECT_EQ(std::string(e.what()), "records[1].devices[0].source: missing");
  }
}

}  // namespace
}  // namespace railcheck

namespace railcheck {
namespace {

// `devices`: a list of device() entries (an initializer list of one json is that json, not an array of it).
json interval_telemetry(const std::string& host, int interval, std::initializer_list<json> devices) {
  return {{"kind", "telemetry"},
          {"host", host},
          {"rank", 0},
          {"window", "interval " + std::to_string(interval)},
          {"ticks", 9},
          {"devices", devices},
          {"unread", json::array()},
          {"start_unix_s", 1000.0},
          {"end_unix_s", 1010.0},
          {"interval", interval}};
}

json device(const std::string& source, const std::string& name, json deltas, json gauges = json::object()) {
  return {{"source", source},
          {"device", name},
          {"deltas", deltas},
          {"resets", json::array()},
          {"first_grew_in", json::object()},
          {"gauges", gauges}};
}

json tcp(int retrans, int sent) { return device("tcp", "", {{"RetransSegs", retrans}, {"OutSegs", sent}}); }

analysis::Finding soak_finding(const std::string& host, int interval, analysis::VerdictStatus status) {
  analysis::Finding f;
  f.component = analysis::make_nic(host, "eth0", 0);
  f.status = status;
  f.evidence.source = "soak";
  f.evidence.status = status;
  f.evidence.interval = interval;
  f.evidence.text = host + " NIC eth0 (rail 0) sending: drifted";
  return f;
}

TEST(SoakExplanation, ADriftCarriesItsIntervalsTelemetryErrorCountersAndAnUnusualTcpResendShare) {
  const json records = json::array({
      interval_telemetry("node3", 6,
                         {device("netdev", "eth0", {{"tx_dropped", 120}, {"tx_bytes", 5000}}), tcp(500, 10000)}),
      interval_telemetry("node1", 6, {device("netdev", "eth0", {{"tx_bytes", 5000}}), tcp(10, 10000)}),
      interval_telemetry("node2", 6, {device("netdev", "eth0", {{"tx_bytes", 5000}}), tcp(20, 10000)}),
      interval_telemetry("node2", 3, {device("netdev", "eth0", {{"tx_bytes", 5000}}), tcp(20, 10000)}),
      interval_telemetry(
          "gpu1", 4,
          {device(
              "gpu", "2", {{"energy_mj", 90000}},
              {{"clocks_event_hw_thermal", {{"min", 0}, {"max", 1}, {"longest_nonzero_run", 4}, {"reads", 10}}},
               {"clocks_event_sw_power_cap", {{"min", 1}, {"max", 1}, {"longest_nonzero_run", 10}, {"reads", 10}}}})}),
  });
  std::vector<analysis::Finding> findings = {soak_finding("node3", 6, analysis::VerdictStatus::kFail),
                                             soak_finding("node2", 3, analysis::VerdictStatus::kWarn),
                                             soak_finding("gpu1", 4, analysis::VerdictStatus::kWarn),
                                             soak_finding("node1", 8, analysis::VerdictStatus::kWarn),
                                             soak_finding("node1", 6, analysis::VerdictStatus::kPass)};
  analysis::explain_soak_findings(findings, records);
  EXPECT_EQ(findings[0].evidence.explanation,
            "telemetry in interval 6 on node3: eth0 tx_dropped +120, TCP resent 5.0% of its segments (the other "
            "hosts' median 0.2%)");
  EXPECT_EQ(findings[1].evidence.explanation,
            "telemetry in interval 3 on node2: nothing unusual (no error counter grew, no throttling, TCP resent no "
            "more than elsewhere)");
  EXPECT_EQ(findings[2].evidence.explanation,
            "telemetry in interval 4 on gpu1: GPU 2 clocks_event_hw_thermal on 4 reads")
      << "the SW power cap alone is not an explanation";
  EXPECT_EQ(findings[3].evidence.explanation, "") << "no telemetry recorded for interval 8";
  EXPECT_EQ(findings[4].evidence.explanation, "") << "a passing part needs no explanation";
  // The explanation travels with the verdict and is printed under its evidence.
  const auto verdicts = analysis::combine({findings[0]});
  std::ostringstream console;
  analysis::print_verdicts(console, verdicts);
  EXPECT_NE(console.str().find("#   telemetry in interval 6 on node3: eth0 tx_dropped +120"), std::string::npos)
      << console.str();
  EXPECT_EQ(analysis::verdict_from_json(analysis::to_json(verdicts.back())).evidence[0].explanation,
            findings[0].evidence.explanation);
}

}  // namespace
}  // namespace railcheck
