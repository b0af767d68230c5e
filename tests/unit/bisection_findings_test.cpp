// bisection_findings(): isolated groups from "bisection" records, confirmed or explained by the other findings.
#include "railcheck/analysis/bisection_findings.h"

#include <gtest/gtest.h>

#include <stdexcept>
#include <string>
#include <vector>

namespace railcheck::analysis {
namespace {

using nlohmann::json;

json step(int round, std::vector<std::string> hosts, double busbw, bool slow, bool split) {
  json members = json::array();
  for (const std::string& h : hosts) members.push_back({{"host", h}});
  return {{"kind", "bisection"},
          {"test", "all_reduce"},
          {"test_key", "all_reduce.float.sum"},
          {"collective", "all_reduce"},
          {"backend", "mpi"},
          {"round", round},
          {"group_index", 0},
          {"units", "node"},
          {"members", members},
          {"nranks", static_cast<int>(hosts.size())},
          {"size_bytes", 1048576},
          {"iters", 10},
          {"time_us", 100.0},
          {"busbw_gbps", busbw},
          {"expected_busbw_gbps", 40.0},
          {"expected_from", "suite expected_busbw_gbps"},
          {"slow", slow},
          {"split", split}};
}

/// node1..node4, node3 slow: round 1 slow and split, round 2 node1,node2 ok, node3,node4 slow and isolated.
json slow_node3_records() {
  return json::array({step(1, {"node1", "node2", "node3", "node4"}, 12.0, true, true),
                      step(2, {"node1", "node2"}, 39.0, false, false), step(2, {"node3", "node4"}, 11.0, true, false)});
}

const Finding* find(const std::vector<Finding>& findings, const ComponentId& id) {
  for (const Finding& f : findings) {
    if (f.component == id) return &f;
  }
  return nullptr;
}

TEST(BisectionFindings, IsolatedGroupWarnsWithEveryRoundAsEvidenceWhenNothingConfirmsIt) {
  const std::vector<Finding> findings = bisection_findings(slow_node3_records(), {});
  ASSERT_EQ(findings.size(), 2u) << "only the isolated group's members";
  for (const char* host : {"node3", "node4"}) {
    const Finding* f = find(findings, make_node(host));
    ASSERT_NE(f, nullptr) << host;
    EXPECT_EQ(f->status, VerdictStatus::kWarn);
    EXPECT_EQ(f->evidence.source, "bisection");
    EXPECT_DOUBLE_EQ(f->evidence.measured, 11.0);
    EXPECT_DOUBLE_EQ(f->evidence.expected, 40.0);
    EXPECT_NEAR(f->evidence.deviation, -0.725, 1e-9);
    ASSERT_EQ(f->evidence.refs.size(), 2u);
    EXPECT_NE(f->evidence.refs[1].find("slow, isolated"), std::string::npos) << f->evidence.refs[1];
    EXPECT_NE(f->evidence.text.find("re-test"), std::string::npos) << f->evidence.text;
  }
  EXPECT_EQ(find(findings, make_node("node1")), nullptr);
}

TEST(BisectionFindings, AFailingNicOnOneMemberConfirmsItAndExplainsTheOthers) {
  Finding nic;
  nic.component = make_nic("node3", "mlx5_0", 0);
  nic.status = VerdictStatus::kFail;
  const std::vector<Finding> findings = bisection_findings(slow_node3_records(), {nic});
  EXPECT_EQ(find(findings, make_node("node3"))->status, VerdictStatus::kFail);
  const Finding* node4 = find(findings, make_node("node4"));
  EXPECT_EQ(node4->status, VerdictStatus::kPass);
  EXPECT_NE(node4->evidence.text.find("explained by node3"), std::string::npos) << node4->evidence.text;
}

TEST(BisectionFindings, AFailingLinkBetweenTwoMembersConfirmsNeither) {
  Finding nic;
  nic.component = make_nic("node3", "mlx5_0", 0);
  nic.status = VerdictStatus::kFail;
  Finding link;
  link.component = make_link("node3", "mlx5_0", "node4", "mlx5_0", 0);
  link.status = VerdictStatus::kFail;
  const std::vector<Finding> findings = bisection_findings(slow_node3_records(), {nic, link});
  EXPECT_EQ(find(findings, make_node("node3"))->status, VerdictStatus::kFail);
  EXPECT_EQ(find(findings, make_node("node4"))->status, VerdictStatus::kPass) << "the link is not node4's part";
  EXPECT_EQ(bisection_findings(slow_node3_records(), {link})[0].status, VerdictStatus::kWarn)
      << "a link alone confirms no member";
}

TEST(BisectionFindings, SlowGroupWhoseHalvesAreBothFineMakesEveryMemberASuspect) {
  const json records =
      json::array({step(1, {"node1", "node2", "node3", "node4"}, 12.0, true, true),
                   step(2, {"node1", "node2"}, 39.0, false, false), step(2, {"node3", "node4"}, 38.0, false, false)});
  const std::vector<Finding> findings = bisection_findings(records, {});
  ASSERT_EQ(findings.size(), 4u);
  for (const Finding& f : findings) EXPECT_EQ(f.status, VerdictStatus::kWarn) << label(f.component);
}

TEST(BisectionFindings, HealthyFirstRoundPassesEveryMemberAndOtherRecordKindsAreIgnored) {
  const json records = json::array({step(1, {"node1", "node2"}, 39.0, false, false), {{"kind", "p2p"}}});
  const std::vector<Finding> findings = bisection_findings(records, {});
  ASSERT_EQ(findings.size(), 2u);
  for (const Finding& f : findings) EXPECT_EQ(f.status, VerdictStatus::kPass);
}

TEST(BisectionFindings, GpuUnitsAreConfirmedOnlyByThatGpu) {
  json records = slow_node3_records();
  for (json& r : records) {
    r["units"] = "gpu";
    for (json& m : r["members"]) {
      const std::string host = m["host"];
      m = {{"host", "vm"}, {"local_rank", std::stoi(host.substr(4)) - 1}};  // node3 -> GPU 2
    }
  }
  Finding check;
  check.component = make_gpu("vm", 2);
  check.status = VerdictStatus::kFail;
  const std::vector<Finding> findings = bisection_findings(records, {check});
  EXPECT_EQ(find(findings, make_gpu("vm", 2))->status, VerdictStatus::kFail);
  EXPECT_EQ(find(findings, make_gpu("vm", 3))->status, VerdictStatus::kPass);
}

TEST(BisectionFindings, MalformedRecordNamesIndexAndField) {
  json records = slow_node3_records();
  records[1].erase("busbw_gbps");
  try {
    bisection_findings(records, {});
    FAIL() << "expected std::invalid_argument";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("records[1].busbw_gbps"), std::string::npos) << e.what();
  }
  records = slow_node3_records();
  records[2]["members"] = json::array();
  EXPECT_THROW(bisection_findings(records, {}), std::invalid_argument);
}

}  // namespace
}  // namespace railcheck::analysis
