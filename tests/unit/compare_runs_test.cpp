// `railcheck compare`'s core (analysis/compare_runs.h) on crafted runs: what regressed, what is better, new or
// missing, which parts newly fail or were fixed, and the exit code.
#include "railcheck/analysis/compare_runs.h"

#include <gtest/gtest.h>

#include <sstream>

namespace railcheck::analysis {
namespace {

LinkSample link(const std::string& a, const std::string& b, double gbps, bool ok = true) {
  LinkSample l;
  l.test = "links";
  l.host_a = a;
  l.host_b = b;
  l.nic_a = l.nic_b = "eth0";
  l.metric = "p2p.bw bw_gbps";
  l.size_bytes = 1 << 20;
  l.directional = true;
  l.value = gbps;
  l.ok = ok;
  return l;
}

GroupSample group(double busbw, std::size_t size = 1 << 20) {
  GroupSample g;
  g.group = "world";
  g.nranks = 4;
  g.metric = "all_reduce.float.sum busbw_gbps";
  g.size_bytes = size;
  g.value = busbw;
  return g;
}

LinkSample latency(const std::string& a, const std::string& b, double us) {
  LinkSample l = link(a, b, us);
  l.metric = "p2p.lat lat_us.typical";
  l.directional = false;
  l.higher_is_better = false;
  return l;
}

Verdict verdict(ComponentId id, VerdictStatus status, std::string text = "") {
  Verdict v;
  v.component = std::move(id);
  v.status = status;
  Evidence e;
  e.text = std::move(text);
  e.status = status;
  v.evidence.push_back(e);
  return v;
}

const ComparedValue& value_at(const Comparison& c, const std::string& where_part) {
  for (const ComparedValue& v : c.values) {
    if (v.where.find(where_part) != std::string::npos) return v;
  }
  throw std::runtime_error("no value at " + where_part);
}

// Last night healthy, tonight node3 slow: its links regress (worst first), its latency rose, the collective
// regressed too; node3's NIC newly fails; a link measured only tonight is new, one only last night missing.
TEST(CompareRuns, ASlowHostRegressesItsValuesAndNewlyFailsWithTheWorstFirst) {
  Samples old_run, new_run;
  old_run.links = {link("node1", "node3", 2.0), link("node3", "node1", 2.0), link("node1", "node2", 2.0),
                   link("node2", "node4", 2.0), latency("node1", "node3", 20.0)};
  new_run.links = {link("node1", "node3", 1.0), link("node3", "node1", 0.2), link("node1", "node2", 2.02),
                   link("node4", "node2", 2.0), latency("node1", "node3", 40.0)};
  old_run.groups = {group(1.8), group(1.7)};  // two cycles: the median 1.75
  new_run.groups = {group(0.9)};
  const ComponentId nic3 = make_nic("node3", "eth0", 0);
  const Comparison c = compare_runs(old_run, {verdict(nic3, VerdictStatus::kPass)}, new_run,
                                    {verdict(nic3, VerdictStatus::kFail, "node3 slow")}, 0.05);
  EXPECT_EQ(c.count(ValueChange::kRegressed), 4);
  EXPECT_EQ(c.values[0].where, "links: node3(eth0) -> node1(eth0) rail 0") << "the worst ratio (0.1) first";
  EXPECT_DOUBLE_EQ(c.values[0].ratio, 0.1);
  EXPECT_DOUBLE_EQ(c.values[0].delta, -1.8);
  EXPECT_EQ(value_at(c, "node1(eth0) <-> node3").change, ValueChange::kRegressed) << "latency up is worse";
  const ComparedValue& collective = value_at(c, "world (4 ranks)");
  EXPECT_EQ(collective.change, ValueChange::kRegressed);
  EXPECT_DOUBLE_EQ(*collective.old_value, 1.75);
  EXPECT_EQ(value_at(c, "node1(eth0) -> node2").change, ValueChange::kSame) << "+1 % is within 5 %";
  EXPECT_EQ(value_at(c, "node4(eth0) -> node2").change, ValueChange::kNew);
  EXPECT_EQ(value_at(c, "node2(eth0) -> node4").change, ValueChange::kMissing);
  ASSERT_EQ(c.verdicts.size(), 1u);
  EXPECT_EQ(c.verdicts[0].change, VerdictChange::kNewlyFailing);
  EXPECT_EQ(c.verdicts[0].evidence, "node3 slow");
  EXPECT_EQ(c.exit_code(), 1);
  std::ostringstream out;
  print_comparison(out, c);
  EXPECT_NE(out.str().find("# REGRESSED links: node3(eth0) -> node1(eth0) rail 0: p2p.bw bw_gbps at 1 MiB 2.00 GB/s -> "
                           "0.2 GB/s (10.0% of the old)"),
            std::string::npos)
      << out.str();
  EXPECT_NE(out.str().find("# NEWLY FAILING node3 NIC eth0 (rail 0): node3 slow"), std::string::npos) << out.str();
  EXPECT_NE(out.str().find("# compare: 4 regressed, 0 better, 1 same"), std::string::npos) << out.str();
}

// The other way round: what was slow is better and the part is fixed; nothing regressed, exit 0. A transfer
// that failed (0) and now works is better, not a division by zero.
TEST(CompareRuns, TheFixedRunIsBetterAndExitsZero) {
  Samples old_run, new_run;
  old_run.links = {link("node3", "node1", 0.2), link("node3", "node2", 0.0, false)};
  new_run.links = {link("node3", "node1", 2.0), link("node3", "node2", 2.0)};
  const ComponentId nic3 = make_nic("node3", "eth0", 0);
  const Comparison c = compare_runs(old_run, {verdict(nic3, VerdictStatus::kFail)}, new_run,
                                    {verdict(nic3, VerdictStatus::kPass)}, 0.05);
  EXPECT_EQ(c.count(ValueChange::kBetter), 2);
  EXPECT_EQ(c.count(ValueChange::kRegressed), 0);
  ASSERT_EQ(c.verdicts.size(), 1u);
  EXPECT_EQ(c.verdicts[0].change, VerdictChange::kFixed);
  EXPECT_EQ(c.exit_code(), 0);
  const nlohmann::json j = to_json(c);
  EXPECT_EQ(j.at("counts").at("better"), 2);
  EXPECT_EQ(j.at("counts").at("fixed"), 1);
  EXPECT_EQ(j.at("exit_code"), 0);
  for (const auto& v : j.at("values")) {
    if (v.at("where").get<std::string>().find("node2") != std::string::npos) {
      EXPECT_EQ(v.at("ratio"), nullptr) << "no ratio from an old 0";
    }
  }
}

// The tolerance is the user's: 8 % down regresses at 5 %, not at 10 %. A part that keeps failing is still
// failing, not newly; a newly warning part is listed but does not fail the comparison.
TEST(CompareRuns, TheToleranceDecidesAndStillFailingOrWarningPartsDoNotRegress) {
  Samples old_run, new_run;
  old_run.groups = {group(1.0)};
  new_run.groups = {group(0.92)};
  EXPECT_EQ(compare_runs(old_run, {}, new_run, {}, 0.05).exit_code(), 1);
  EXPECT_EQ(compare_runs(old_run, {}, new_run, {}, 0.10).exit_code(), 0);
  const ComponentId gpu = make_gpu("node2", 1), nic = make_nic("node4", "eth0", 0);
  const Comparison c =
      compare_runs(Samples{}, {verdict(gpu, VerdictStatus::kFail), verdict(nic, VerdictStatus::kPass)}, Samples{},
                   {verdict(gpu, VerdictStatus::kFail), verdict(nic, VerdictStatus::kWarn)}, 0.05);
  EXPECT_EQ(c.count(VerdictChange::kStillFailing), 1);
  EXPECT_EQ(c.count(VerdictChange::kNewlyWarning), 1);
  EXPECT_EQ(c.exit_code(), 0);
}

}  // namespace
}  // namespace railcheck::analysis
