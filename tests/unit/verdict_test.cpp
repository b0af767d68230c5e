// Components and verdicts: identities, the playbook, combine()'s worst-wins and node rollup, JSON, console.
#include <gtest/gtest.h>

#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "railcheck/analysis/component.h"
#include "railcheck/analysis/verdict.h"

namespace railcheck::analysis {
namespace {

Finding finding(ComponentId component, VerdictStatus status, std::string text, std::string source = "fleet") {
  Finding result;
  result.component = std::move(component);
  result.status = status;
  result.evidence.source = std::move(source);
  result.evidence.metric = "p2p.bw bw_gbps";
  result.evidence.size_bytes = 1 << 20;
  result.evidence.text = std::move(text);
  return result;
}

const Verdict& verdict_for(const std::vector<Verdict>& verdicts, const ComponentId& id) {
  for (const Verdict& verdict : verdicts) {
    if (verdict.component == id) return verdict;
  }
  throw std::runtime_error("no verdict for " + label(id));
}

bool has_verdict(const std::vector<Verdict>& verdicts, const ComponentId& id) {
  for (const Verdict& verdict : verdicts) {
    if (verdict.component == id) return true;
  }
  return false;
}

TEST(ComponentTest, KindKeysRoundTrip) {
  for (ComponentKind kind : {ComponentKind::kNode, ComponentKind::kGpu, ComponentKind::kNic, ComponentKind::kLink}) {
    EXPECT_EQ(parse_component_kind(key_of(kind)), kind);
  }
  EXPECT_EQ(parse_component_kind("switch"), std::nullopt);
}

TEST(ComponentTest, LinkHasOneIdentityWhicheverWayItWasMeasured) {
  const ComponentId forward = make_link("node3", "mlx5_0", "node1", "mlx5_0", 0);
  const ComponentId backward = make_link("node1", "mlx5_0", "node3", "mlx5_0", 0);
  EXPECT_EQ(forward, backward);
  EXPECT_EQ(forward.host, "node1");
  EXPECT_EQ(forward.peer_host, "node3");
  EXPECT_NE(forward, make_link("node1", "mlx5_0", "node3", "mlx5_0", 1));
}

TEST(ComponentTest, LabelsReadAsAnOperatorWouldSayThem) {
  EXPECT_EQ(label(make_node("node3")), "node3");
  EXPECT_EQ(label(make_gpu("node3", 2)), "node3 GPU 2");
  EXPECT_EQ(label(make_nic("node3", "mlx5_2", 2)), "node3 NIC mlx5_2 (rail 2)");
  EXPECT_EQ(label(make_link("node3", "mlx5_0", "node1", "mlx5_0", 0)), "link node1(mlx5_0) <-> node3(mlx5_0) rail 0");
}

TEST(ComponentTest, JsonRoundTripForEveryKind) {
  for (const ComponentId& id : {make_node("n1"), make_gpu("n1", 7), make_nic("n1", "mlx5_3", 3),
                                make_link("n2", "mlx5_1", "n1", "mlx5_1", 1)}) {
    EXPECT_EQ(component_from_json(to_json(id)), id) << to_json(id).dump();
  }
  nlohmann::json missing = to_json(make_nic("n1", "mlx5_3", 3));
  missing.erase("rail");
  try {
    component_from_json(missing);
    FAIL() << "expected std::invalid_argument";
  } catch (const std::invalid_argument& error) {
    EXPECT_NE(std::string(error.what()).find("\"rail\""), std::string::npos) << error.what();
  }
  EXPECT_THROW(component_from_json({{"kind", "switch"}, {"host", "n1"}}), std::invalid_argument);
}

TEST(VerdictTest, StatusKeysRoundTripAndOrderBySeverity) {
  for (VerdictStatus status :
       {VerdictStatus::kSkip, VerdictStatus::kPass, VerdictStatus::kWarn, VerdictStatus::kFail}) {
    EXPECT_EQ(parse_verdict_status(key_of(status)), status);
  }
  EXPECT_EQ(parse_verdict_status("FAIL"), std::nullopt);
  EXPECT_LT(VerdictStatus::kSkip, VerdictStatus::kPass);
  EXPECT_LT(VerdictStatus::kWarn, VerdictStatus::kFail);
}

TEST(VerdictTest, CombineKeepsTheWorstFindingAndAllEvidenceWorstFirst) {
  const ComponentId nic = make_nic("node17", "mlx5_3", 3);
  const std::vector<Verdict> verdicts = combine({finding(nic, VerdictStatus::kPass, "8 B fine"),
                                                 finding(nic, VerdictStatus::kFail, "1 MiB slow", "pair_matrix"),
                                                 finding(nic, VerdictStatus::kWarn, "64 KiB a bit slow")});
  const Verdict& verdict = verdict_for(verdicts, nic);
  EXPECT_EQ(verdict.status, VerdictStatus::kFail);
  ASSERT_EQ(verdict.evidence.size(), 3u);
  EXPECT_EQ(verdict.evidence[0].text, "1 MiB slow");
  EXPECT_EQ(verdict.evidence[0].status, VerdictStatus::kFail);
  EXPECT_EQ(verdict.evidence[1].text, "64 KiB a bit slow");
  EXPECT_EQ(verdict.evidence[2].text, "8 B fine");
  EXPECT_NE(verdict.action.find("drain node17"), std::string::npos);
}

// A verdict's direction: its failing evidence's; both ways when that evidence is slow sending and receiving
// (or a -> b and b -> a); a warning's direction does not count against a failure's.
TEST(VerdictTest, DirectionIsBothWhenTheFailingEvidenceIsSlowBothWays) {
  const ComponentId nic = make_nic("node3", "eth0", 0);
  auto directed = [&](VerdictStatus status, std::string direction) {
    Finding f = finding(nic, status, direction, "soak");
    f.evidence.direction = std::move(direction);
    return f;
  };
  using S = VerdictStatus;
  EXPECT_EQ(verdict_for(combine({directed(S::kFail, "tx")}), nic).direction, "tx");
  EXPECT_EQ(verdict_for(combine({directed(S::kFail, "rx"), directed(S::kFail, "tx")}), nic).direction, "both");
  EXPECT_EQ(verdict_for(combine({directed(S::kFail, "tx"), directed(S::kWarn, "rx")}), nic).direction, "tx");
  const ComponentId link = make_link("node1", "eth0", "node2", "eth0", 0);
  Finding ab = finding(link, S::kFail, "a->b", "pair_matrix"), ba = ab;
  ab.evidence.direction = "a_to_b";
  ba.evidence.direction = "b_to_a";
  EXPECT_EQ(verdict_for(combine({ab, ba}), link).direction, "both");
}

TEST(VerdictTest, NodeRollsUpItsGpusAndNicsButNotItsLinks) {
  const std::vector<Verdict> verdicts = combine({
      finding(make_nic("node1", "mlx5_1", 1), VerdictStatus::kFail, "slow"),
      finding(make_nic("node1", "mlx5_3", 3), VerdictStatus::kFail, "slow"),
      finding(make_nic("node1", "mlx5_0", 0), VerdictStatus::kPass, "fine"),
      finding(make_gpu("node2", 4), VerdictStatus::kWarn, "a bit slow"),
      finding(make_gpu("node2", 5), VerdictStatus::kPass, "fine"),
      finding(make_nic("node3", "mlx5_0", 0), VerdictStatus::kPass, "fine"),
      finding(make_link("node3", "mlx5_0", "node4", "mlx5_0", 0), VerdictStatus::kFail, "bad cable"),
      finding(make_nic("node4", "mlx5_0", 0), VerdictStatus::kPass, "fine"),
  });
  const Verdict& node1 = verdict_for(verdicts, make_node("node1"));
  EXPECT_EQ(node1.status, VerdictStatus::kFail);
  ASSERT_FALSE(node1.evidence.empty());
  EXPECT_EQ(node1.evidence[0].source, "rollup");
  EXPECT_EQ(node1.evidence[0].slow, 2);
  EXPECT_EQ(node1.evidence[0].total, 3);
  EXPECT_EQ(node1.evidence[0].refs,
            (std::vector<std::string>{"node1 NIC mlx5_1 (rail 1)", "node1 NIC mlx5_3 (rail 3)"}));
  EXPECT_NE(node1.action.find("drain node1"), std::string::npos);
  EXPECT_EQ(verdict_for(verdicts, make_node("node2")).status, VerdictStatus::kWarn);
  // The bad cable fails the link only; both ends stay in service.
  EXPECT_EQ(verdict_for(verdicts, make_node("node3")).status, VerdictStatus::kPass);
  EXPECT_EQ(verdict_for(verdicts, make_node("node4")).status, VerdictStatus::kPass);
  EXPECT_EQ(verdict_for(verdicts, make_link("node4", "mlx5_0", "node3", "mlx5_0", 0)).status, VerdictStatus::kFail);
}

TEST(VerdictTest, CombineOrdersFailWarnPassSkipThenByComponent) {
  const std::vector<Verdict> verdicts = combine({
      finding(make_link("b", "x", "c", "x", 0), VerdictStatus::kSkip, "too few"),
      finding(make_link("a", "x", "c", "x", 0), VerdictStatus::kPass, "fine"),
      finding(make_link("a", "x", "b", "x", 0), VerdictStatus::kWarn, "hm"),
      finding(make_link("b", "y", "c", "y", 1), VerdictStatus::kFail, "bad"),
      finding(make_link("a", "y", "c", "y", 1), VerdictStatus::kFail, "bad"),
  });
  ASSERT_EQ(verdicts.size(), 5u);  // links only: no node verdicts
  EXPECT_EQ(verdicts[0].component, make_link("a", "y", "c", "y", 1));
  EXPECT_EQ(verdicts[1].component, make_link("b", "y", "c", "y", 1));
  EXPECT_EQ(verdicts[2].status, VerdictStatus::kWarn);
  EXPECT_EQ(verdicts[3].status, VerdictStatus::kPass);
  EXPECT_EQ(verdicts[4].status, VerdictStatus::kSkip);
  EXPECT_FALSE(has_verdict(verdicts, make_node("a")));
}

TEST(VerdictTest, NodeFindingOfItsOwnCombinesWithTheRollup) {
  const std::vector<Verdict> verdicts = combine({
      finding(make_node("node5"), VerdictStatus::kWarn, "check-node: driver differs", "check"),
      finding(make_gpu("node5", 0), VerdictStatus::kFail, "slow GPU"),
  });
  const Verdict& node = verdict_for(verdicts, make_node("node5"));
  EXPECT_EQ(node.status, VerdictStatus::kFail);
  ASSERT_EQ(node.evidence.size(), 2u);
  EXPECT_EQ(node.evidence[0].source, "rollup");
  EXPECT_EQ(node.evidence[1].source, "check");
}

TEST(VerdictTest, ExitCodeIsDegradedOnlyWhenSomethingFails) {
  EXPECT_EQ(exit_code_of({}), 0);
  EXPECT_EQ(exit_code_of(combine({finding(make_gpu("n", 0), VerdictStatus::kWarn, "w")})), 0);
  EXPECT_EQ(exit_code_of(combine({finding(make_gpu("n", 0), VerdictStatus::kFail, "f")})), railcheck::kExitDegraded);
}

TEST(VerdictTest, PlaybookIsConcretePerKindAndStatus) {
  const std::string nic = next_action(make_nic("node17", "mlx5_3", 3), VerdictStatus::kFail, {});
  EXPECT_EQ(nic.rfind("drain node17; check the cable and transceiver of mlx5_3 (rail 3)", 0), 0u) << nic;
  EXPECT_NE(nic.find("symbol errors"), std::string::npos);
  EXPECT_NE(nic.find("`railcheck p2p`"), std::string::npos);
  EXPECT_NE(nic.find("replace the NIC"), std::string::npos);

  const std::string link = next_action(make_link("node1", "mlx5_0", "node3", "mlx5_0", 0), VerdictStatus::kFail, {});
  EXPECT_NE(link.find("check the cable / switch port between node1(mlx5_0) and node3(mlx5_0) on rail 0"),
            std::string::npos)
      << link;
  EXPECT_EQ(link.find("drain"), std::string::npos);  // a path problem does not take nodes out

  const std::string gpu = next_action(make_gpu("node2", 6), VerdictStatus::kFail, {});
  EXPECT_EQ(gpu, "drain node2; run `railcheck gpu-check` on GPU 6; replace the GPU if it repeats");
  EXPECT_EQ(next_action(make_node("node2"), VerdictStatus::kFail, {}), "drain node2");

  for (const ComponentId& id :
       {make_node("n"), make_gpu("n", 1), make_nic("n", "x", 0), make_link("n", "x", "m", "x", 0)}) {
    EXPECT_EQ(next_action(id, VerdictStatus::kWarn, {}).rfind("re-test: ", 0), 0u) << label(id);
    EXPECT_EQ(next_action(id, VerdictStatus::kPass, {}), "");
    EXPECT_EQ(next_action(id, VerdictStatus::kSkip, {}), "");
  }
  Evidence unlocalized;
  unlocalized.text = "a slow pair cannot be attributed to either end: too few hosts to localize";
  EXPECT_NE(next_action(make_nic("n", "x", 0), VerdictStatus::kWarn, {unlocalized}).find("known-good"),
            std::string::npos);
}

TEST(VerdictTest, JsonRoundTrip) {
  Finding slow = finding(make_nic("node17", "mlx5_3", 3), VerdictStatus::kFail, "slow", "pair_matrix");
  slow.evidence.measured = 0.59;
  slow.evidence.expected = 1.0;
  slow.evidence.expected_from = "median of 21 healthy links on rail 3";
  slow.evidence.deviation = -0.41;
  slow.evidence.spreads = 20.5;
  slow.evidence.slow = 7;
  slow.evidence.total = 7;
  slow.evidence.refs = {"round 1: node17(mlx5_3)->node2(mlx5_3) 0.59 GB/s"};
  const std::vector<Verdict> verdicts = combine({slow, finding(make_gpu("node17", 0), VerdictStatus::kPass, "ok")});
  for (const Verdict& verdict : verdicts) {
    const nlohmann::json json = to_json(verdict);
    const Verdict back = verdict_from_json(nlohmann::json::parse(json.dump()));
    EXPECT_EQ(back.component, verdict.component);
    EXPECT_EQ(back.status, verdict.status);
    EXPECT_EQ(back.action, verdict.action);
    ASSERT_EQ(back.evidence.size(), verdict.evidence.size());
    EXPECT_EQ(to_json(back), json);
  }
  const Verdict& nic = verdict_for(verdicts, make_nic("node17", "mlx5_3", 3));
  const Verdict back = verdict_from_json(to_json(nic));
  EXPECT_DOUBLE_EQ(back.evidence[0].deviation, -0.41);
  EXPECT_EQ(back.evidence[0].refs, slow.evidence.refs);
  EXPECT_EQ(back.evidence[0].size_bytes, 1u << 20);
}

TEST(VerdictTest, FromJsonNamesTheBadField) {
  const Verdict verdict = combine({finding(make_gpu("n", 0), VerdictStatus::kWarn, "w")})[0];
  nlohmann::json json = to_json(verdict);
  json["evidence"][0].erase("measured");
  try {
    verdict_from_json(json);
    FAIL() << "expected std::invalid_argument";
  } catch (const std::invalid_argument& error) {
    EXPECT_NE(std::string(error.what()).find("evidence[0].measured: missing"), std::string::npos) << error.what();
  }
  json = to_json(verdict);
  json["status"] = "broken";
  EXPECT_THROW(verdict_from_json(json), std::invalid_argument);
  json = to_json(verdict);
  json["component"].erase("host");
  EXPECT_THROW(verdict_from_json(json), std::invalid_argument);
}

TEST(VerdictTest, PrintShowsFailAndWarnLinesAndTheCounts) {
  const std::vector<Verdict> verdicts = combine({
      finding(make_nic("node17", "mlx5_3", 3), VerdictStatus::kFail, "41% below"),
      finding(make_nic("node2", "mlx5_0", 0), VerdictStatus::kWarn, "not reproduced"),
      finding(make_nic("node3", "mlx5_0", 0), VerdictStatus::kPass, "fine"),
      finding(make_link("a", "x", "b", "x", 0), VerdictStatus::kSkip, "too few"),
  });
  std::ostringstream out;
  print_verdicts(out, verdicts);
  const std::string text = out.str();
  EXPECT_NE(text.find("# VERDICT FAIL node17 NIC mlx5_3 (rail 3): 41% below\n"), std::string::npos) << text;
  EXPECT_NE(text.find("# VERDICT FAIL node17: "), std::string::npos) << text;
  EXPECT_NE(text.find("# VERDICT WARN node2 NIC mlx5_0 (rail 0): not reproduced\n"), std::string::npos) << text;
  EXPECT_NE(text.find("#   action: drain node17"), std::string::npos) << text;
  EXPECT_EQ(text.find("VERDICT PASS"), std::string::npos);
  EXPECT_EQ(text.find("fine"), std::string::npos);
  // node17 NIC + node17; node2 NIC + node2; node3 NIC + node3; the link.
  EXPECT_NE(text.find("# verdicts: 2 fail, 2 warn, 2 pass, 1 skip\n"), std::string::npos) << text;
}

TEST(VerdictTest, TextHelpersFormatSizesAndUnits) {
  EXPECT_EQ(format_size_text(1 << 20), "1 MiB");
  EXPECT_EQ(format_size_text(256 * 1024), "256 KiB");
  EXPECT_EQ(format_size_text(1536), "1536 B");
  EXPECT_EQ(format_size_text(8), "8 B");
  EXPECT_EQ(format_value(0.61, "p2p.bw bw_gbps"), "0.61 GB/s");
  EXPECT_EQ(format_value(1.03, "p2p.bw bw_gbps"), "1.03 GB/s");
  EXPECT_EQ(format_value(381.27, "all_reduce.float.sum busbw_gbps"), "381 GB/s");
  EXPECT_EQ(format_value(3.25, "p2p.lat lat_us.typical"), "3.25 us");
  EXPECT_EQ(format_value(12.0, "x count"), "12.0");
}

}  // namespace
}  // namespace railcheck::analysis
