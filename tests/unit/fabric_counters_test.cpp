// A NIC port or its cable (issue #18, fabric_counters.h): a fabric link with a NIC end named from its flows is
// split by the NIC's own counters over the fabric test. Through analyze_records, as `railcheck run` judges: the
// testbed's plan with leaf1:1 -> node1/fab0 slow, and node1's telemetry for the test. The RDMA counters are
// crafted (no RDMA port here: a mock of the sampler's record, as the sampler writes it).
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "fabric_fixtures.h"
#include "railcheck/analysis/analyze.h"
#include "railcheck/analysis/fabric_counters.h"

namespace railcheck::analysis {
namespace {

using nlohmann::json;

constexpr const char* kSlowLink = "leaf1:1 -> node1/fab0";

/// The testbed plan's flows as p2p records of phase "fabric" (test "fabric_rdma"), those over `slow` at 0.02
/// GB/s, the rest at 0.7 with a small spread.
json fabric_records(const std::string& slow) {
  const fabric::DmodkTwoTierFabric f = test::testbed_fabric();
  json records = json::array();
  const std::vector<fabric::Stage> plan = f.tiered_plan();
  int n = 0;
  for (std::size_t s = 0; s < plan.size(); ++s) {
    for (const fabric::Flow& flow : plan[s].flows) {
      json route = json::array(), back = json::array();
      bool crosses = false;
      for (const int link : f.route(flow.src, flow.dst)) {
        route.push_back(f.fabric().describe(link));
        crosses |= f.fabric().describe(link) == slow;
      }
      for (const int link : f.route(flow.dst, flow.src)) back.push_back(f.fabric().describe(link));
      records.push_back({{"kind", "p2p"},
                         {"test", "fabric_rdma"},
                         {"test_key", "p2p.bw"},
                         {"op", "bw"},
                         {"transport", "verbs"},
                         {"phase", "fabric"},
                         {"round", s},
                         {"within_node", false},
                         {"src_rank", flow.src},
                         {"dst_rank", flow.dst},
                         {"src_host", f.fabric().device(f.nic_device(flow.src)).host},
                         {"dst_host", f.fabric().device(f.nic_device(flow.dst)).host},
                         {"src_nic", "fab0"},
                         {"dst_nic", "fab0"},
                         {"rail", 0},
                         {"size_bytes", 1048576},
                         {"status", "ok"},
                         {"bw_gbps", crosses ? 0.02 : 0.7 + 0.01 * (n++ % 5)},
                         {"route", route},
                         {"return_route", back}});
    }
  }
  return records;
}

/// node1's telemetry over the fabric test: its RDMA port fab0/1 with `deltas`.
json node1_telemetry(const json& deltas, const std::string& window = "fabric_rdma") {
  return {{"kind", "telemetry"},
          {"host", "node1"},
          {"rank", 0},
          {"window", window},
          {"ticks", 2},
          {"start_unix_s", 1796600000.0},
          {"end_unix_s", 1796600006.0},
          {"devices", json::array({{{"source", "rdma"}, {"device", "fab0/1"}, {"deltas", deltas}}})}};
}

/// The verdict on `id` (a copy: the verdicts are often a temporary).
Verdict verdict_of(const std::vector<Verdict>& verdicts, const ComponentId& id) {
  for (const Verdict& v : verdicts) {
    if (v.component == id) return v;
  }
  ADD_FAILURE() << "no verdict on " << label(id);
  return {};
}

const Evidence* counter_evidence(const Verdict& v) {
  for (const Evidence& e : v.evidence) {
    if (e.source == "counters") return &e;
  }
  return nullptr;
}

const ComponentId kLink = make_fabric_link("leaf1:1", "node1/fab0");

TEST(FabricCounters, SymbolErrorsAtTheNicEndPutTheFaultOnTheCableAndThePlaybookReplacesIt) {
  json records = fabric_records(kSlowLink);
  records.push_back(node1_telemetry({{"symbol_error", 412}, {"port_rcv_data", 123456}}));
  const std::vector<Verdict> verdicts = analyze_records(records, AnalysisOptions{}, nullptr);
  const Verdict v = verdict_of(verdicts, kLink);
  EXPECT_EQ(v.status, VerdictStatus::kFail);
  const Evidence* e = counter_evidence(v);
  ASSERT_NE(e, nullptr);
  EXPECT_EQ(e->status, VerdictStatus::kFail);
  ASSERT_EQ(e->refs.size(), 1u);  // traffic counters are not link errors
  EXPECT_EQ(e->refs[0], "fab0/1 symbol_error +412 during fabric_rdma");
  EXPECT_NE(e->text.find("not node1's NIC"), std::string::npos) << e->text;
  EXPECT_NE(v.action.find("replace the cable leaf1:1 -> node1/fab0"), std::string::npos) << v.action;
}

TEST(FabricCounters, ACleanNicEndSaysWhereTheOtherEndsCountersAreAndKeepsTheCheckTheCableAction) {
  json records = fabric_records(kSlowLink);
  records.push_back(node1_telemetry({{"port_rcv_data", 123456}}));
  const Verdict v = verdict_of(analyze_records(records, AnalysisOptions{}, nullptr), kLink);
  EXPECT_EQ(v.status, VerdictStatus::kFail);
  const Evidence* e = counter_evidence(v);
  ASSERT_NE(e, nullptr);
  EXPECT_EQ(e->status, VerdictStatus::kPass);
  EXPECT_NE(e->text.find("no link errors"), std::string::npos) << e->text;
  EXPECT_NE(e->text.find("leaf1:1"), std::string::npos) << e->text;
  EXPECT_EQ(v.action.find("replace the cable leaf1:1"), std::string::npos) << v.action;
  EXPECT_NE(v.action.find("check the cable leaf1:1 -> node1/fab0"), std::string::npos) << v.action;
}

TEST(FabricCounters, ReceiveErrorsOnANicWhoseSendingDirectionIsNamedSayTheCablesOtherDirectionErrsToo) {
  json records = fabric_records("node1/fab0 -> leaf1:1");
  records.push_back(node1_telemetry({{"port_rcv_errors", 7}}));
  const Verdict v =
      verdict_of(analyze_records(records, AnalysisOptions{}, nullptr), make_fabric_link("node1/fab0", "leaf1:1"));
  const Evidence* e = counter_evidence(v);
  ASSERT_NE(e, nullptr);
  EXPECT_EQ(e->status, VerdictStatus::kFail);
  EXPECT_NE(e->text.find("other direction errs too"), std::string::npos) << e->text;
}

TEST(FabricCounters, CountersOfAnotherTestAnotherHostOrASwitchToSwitchLinkAddNothing) {
  // Errors outside the fabric test's window, or on another host, say nothing of this cable.
  json records = fabric_records(kSlowLink);
  records.push_back(node1_telemetry({{"symbol_error", 9}}, "all_reduce"));
  json other = node1_telemetry({{"symbol_error", 9}});
  other["host"] = "node2";
  records.push_back(other);
  EXPECT_EQ(counter_evidence(verdict_of(analyze_records(records, AnalysisOptions{}, nullptr), kLink)), nullptr);
  // A spine link has no NIC end.
  json spine = fabric_records("spine2:1 -> leaf1:4");
  spine.push_back(node1_telemetry({{"symbol_error", 9}}));
  const Verdict v =
      verdict_of(analyze_records(spine, AnalysisOptions{}, nullptr), make_fabric_link("spine2:1", "leaf1:4"));
  EXPECT_EQ(v.status, VerdictStatus::kFail);
  EXPECT_EQ(counter_evidence(v), nullptr);
}

TEST(FabricCounters, LinkErrorCountersAreTheSamplersPhysicalLayerNamesNotTraffic) {
  EXPECT_TRUE(is_link_error_counter("rdma", "symbol_error"));
  EXPECT_TRUE(is_link_error_counter("rdma", "link_downed"));
  EXPECT_TRUE(is_link_error_counter("netdev", "rx_crc_errors"));
  EXPECT_TRUE(is_link_error_counter("netdev", "carrier_changes"));
  EXPECT_FALSE(is_link_error_counter("rdma", "port_rcv_data"));
  EXPECT_FALSE(is_link_error_counter("rdma", "port_xmit_discards"));  // congestion, not the cable
  EXPECT_FALSE(is_link_error_counter("tcp", "RetransSegs"));
}

}  // namespace
}  // namespace railcheck::analysis
