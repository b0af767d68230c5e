// Draining and resuming Slurm nodes from verdicts: against a fake sinfo / scontrol (FakeSlurm: a node table that
// answers sinfo's format and records every scontrol argv; the real Slurm is tests/cluster/test_slurm_drain.sh),
// and the real program runner on real programs (argv passed verbatim, time limit, missing program).
#include <gtest/gtest.h>

#include <map>
#include <sstream>

#include "railcheck/core/error.h"
#include "railcheck/fleet/drain_plan.h"
#include "railcheck/fleet/node_actions.h"
#include "railcheck/fleet/node_labels.h"
#include "railcheck/fleet/program_runner.h"
#include "railcheck/fleet/slurm_nodes.h"

namespace railcheck::fleet {
namespace {

using analysis::Verdict;
using analysis::VerdictStatus;

class FakeSlurm final : public ProgramRunner {
 public:
  std::map<std::string, SlurmNode> nodes;
  std::vector<std::vector<std::string>> scontrol_calls;

  void add(const std::string& name, const std::string& state, const std::string& reason = "") {
    nodes[name] = SlurmNode{name, state, "", reason};
  }
  ProgramResult run(const std::vector<std::string>& argv) override {
    ProgramResult r;
    r.exit_code = 0;
    if (argv.at(0) == "sinfo") {
      std::set<std::string> wanted;
      for (std::size_t i = 0; i + 1 < argv.size(); ++i) {
        if (argv[i] != "-n") continue;
        std::stringstream list(argv[i + 1]);
        for (std::string n; std::getline(list, n, ',');) wanted.insert(n);
      }
      for (const auto& [name, node] : nodes) {
        if (!wanted.empty() && !wanted.contains(name)) continue;
        r.out += name + "|" + node.state + node.flags + "|" + (node.reason.empty() ? "none" : node.reason) + "\n";
      }
      return r;
    }
    scontrol_calls.push_back(argv);
    SlurmNode& node = nodes.at(argv.at(2).substr(std::string("nodename=").size()));
    if (argv.at(3) == "state=drain") {
      node.state = node.state == "allocated" ? "draining" : "drained";
      node.reason = argv.at(4).substr(std::string("reason=").size());
    } else if (argv.at(3) == "state=resume") {
      node.state = "idle";
      node.reason.clear();
    }
    return r;
  }
};

Verdict verdict(analysis::ComponentId id, VerdictStatus status, const std::string& source = "pair_matrix") {
  Verdict v;
  v.component = std::move(id);
  v.status = status;
  analysis::Evidence e;
  e.source = source;
  e.status = status;
  v.evidence.push_back(e);
  return v;
}

/// node3's NIC fails (and so node3); node1 passes; one link fails.
std::vector<Verdict> node3_fails() {
  return {verdict(analysis::make_node("node3"), VerdictStatus::kFail, "rollup"),
          verdict(analysis::make_nic("node3", "eth0", 0), VerdictStatus::kFail),
          verdict(analysis::make_link("node1", "eth0", "node2", "eth0", 0), VerdictStatus::kFail),
          verdict(analysis::make_node("node1"), VerdictStatus::kPass, "rollup")};
}

DrainOptions run57() {
  DrainOptions o;
  o.run_id = "57";
  return o;
}

TEST(FakeSlurmDrain, AFailingNodeIsDrainedThroughArgvWithAReasonNamingItsPartSourceAndRun) {
  FakeSlurm slurm;
  for (const char* n : {"node1", "node2", "node3", "node4"}) slurm.add(n, "idle");
  SlurmNodes nodes(slurm);
  std::ostringstream out;
  const auto plan = drain_failing_nodes(node3_fails(), 4, run57(), true, nodes, out);
  ASSERT_EQ(plan.size(), 1u) << "node3 only: a failing link drains nobody";
  ASSERT_EQ(slurm.scontrol_calls.size(), 1u);
  EXPECT_EQ(slurm.scontrol_calls[0],
            (std::vector<std::string>{"scontrol", "update", "nodename=node3", "state=drain",
                                      "reason=railcheck: NIC eth0 (rail 0) pair_matrix run 57"}))
      << "the reason is one argument: no shell, no quoting";
  EXPECT_EQ(slurm.nodes["node3"].state, "drained");
  EXPECT_NE(out.str().find("# drain node3: fails (reason \"railcheck: NIC eth0 (rail 0) pair_matrix run 57\")"),
            std::string::npos)
      << out.str();
}

TEST(FakeSlurmDrain, ANodeSomeoneElseDrainedKeepsTheirReasonAndNoReasonIsLeftAloneToo) {
  for (const std::string reason : {"admin: reseating cable", ""}) {
    FakeSlurm slurm;
    slurm.add("node3", "drained", reason);
    SlurmNodes nodes(slurm);
    std::ostringstream out;
    const auto plan = drain_failing_nodes(node3_fails(), 4, run57(), true, nodes, out);
    ASSERT_EQ(plan.size(), 1u);
    EXPECT_EQ(plan[0].action, NodeAction::kKeep);
    EXPECT_TRUE(slurm.scontrol_calls.empty()) << "'" << reason << "'";
    EXPECT_EQ(slurm.nodes["node3"].reason, reason);
  }
}

TEST(FakeSlurmDrain, DownAndNotRespondingNodesAreLeftToSlurm) {
  FakeSlurm slurm;
  slurm.add("node3", "idle");
  slurm.nodes["node3"].flags = "*";
  SlurmNodes nodes(slurm);
  std::ostringstream out;
  EXPECT_EQ(drain_failing_nodes(node3_fails(), 4, run57(), true, nodes, out).at(0).action, NodeAction::kKeep);
  slurm.nodes["node3"] = SlurmNode{"node3", "down", "", "Not responding"};
  EXPECT_EQ(drain_failing_nodes(node3_fails(), 4, run57(), true, nodes, out).at(0).action, NodeAction::kKeep);
  EXPECT_TRUE(slurm.scontrol_calls.empty());
}

TEST(FakeSlurmDrain, MoreFailingNodesThanTheLimitDrainNone) {
  FakeSlurm slurm;
  for (const char* n : {"node1", "node2", "node3", "node4"}) slurm.add(n, "idle");
  std::vector<Verdict> verdicts = node3_fails();
  verdicts.push_back(verdict(analysis::make_node("node2"), VerdictStatus::kFail, "rollup"));
  SlurmNodes nodes(slurm);
  std::ostringstream out;
  const auto plan = drain_failing_nodes(verdicts, 4, run57(), true, nodes, out);
  ASSERT_EQ(plan.size(), 2u);
  for (const NodePlan& p : plan) EXPECT_EQ(p.action, NodeAction::kOverLimit) << p.node;
  EXPECT_TRUE(slurm.scontrol_calls.empty()) << "a quarter of 4 hosts is 1";
  DrainOptions two = run57();
  two.max_nodes = 2;
  drain_failing_nodes(verdicts, 4, two, true, nodes, out);
  EXPECT_EQ(slurm.scontrol_calls.size(), 2u) << "--max-drain 2";
}

TEST(FakeSlurmDrain, ADryRunSaysWhatItWouldDoAndDoesNothing) {
  FakeSlurm slurm;
  slurm.add("node3", "allocated");
  SlurmNodes nodes(slurm);
  std::ostringstream out;
  drain_failing_nodes(node3_fails(), 4, run57(), false, nodes, out);
  EXPECT_TRUE(slurm.scontrol_calls.empty());
  EXPECT_NE(out.str().find("[dry run: --apply to act]"), std::string::npos) << out.str();
}

TEST(FakeSlurmDrain, ResumeBringsBackOnlyWhatRailcheckDrained) {
  FakeSlurm slurm;
  slurm.add("node1", "idle");
  slurm.add("node2", "drained", "admin: bad DIMM");
  slurm.add("node3", "drained", "railcheck: NIC eth0 (rail 0) pair_matrix run 57");
  slurm.add("node4", "draining", "railcheck: GPU 1 check run 58");
  SlurmNodes nodes(slurm);
  std::ostringstream out;
  const auto plan = resume_railcheck_nodes({}, true, nodes, out);
  EXPECT_EQ(plan.size(), 3u);
  EXPECT_EQ(slurm.nodes["node2"].state, "drained");
  EXPECT_EQ(slurm.nodes["node2"].reason, "admin: bad DIMM");
  EXPECT_EQ(slurm.nodes["node3"].state, "idle");
  EXPECT_EQ(slurm.nodes["node4"].state, "idle");
  EXPECT_EQ(slurm.scontrol_calls.size(), 2u);
  std::ostringstream named;
  slurm.scontrol_calls.clear();
  slurm.add("node3", "drained", "railcheck: x");
  resume_railcheck_nodes({"node2"}, true, nodes, named);
  EXPECT_TRUE(slurm.scontrol_calls.empty()) << "only the nodes named";
}

TEST(SlurmNodes, SinfoLinesParseWithFlagsAndNoReason) {
  const auto nodes = parse_sinfo_nodes(
      "node1|idle|none\nnode2|down*|Not responding\nnode1|idle|none\nnode3|drained|"
      "railcheck: GPU 2 check run 9\n");
  ASSERT_EQ(nodes.size(), 3u) << "a node in two partitions once";
  EXPECT_EQ(nodes[0].reason, "");
  EXPECT_EQ(nodes[1].state, "down");
  EXPECT_EQ(nodes[1].flags, "*");
  EXPECT_TRUE(nodes[2].drained_by_railcheck());
}

TEST(DrainReason, TheWorstPartOfTheNodeElseTheNodeItself) {
  EXPECT_EQ(drain_reason(node3_fails(), "node3", "57"), "railcheck: NIC eth0 (rail 0) pair_matrix run 57");
  const std::vector<Verdict> node_only = {
      verdict(analysis::make_node("node5.cluster"), VerdictStatus::kFail, "inventory")};
  EXPECT_EQ(drain_reason(node_only, "node5.cluster", ""), "railcheck: node inventory");
  EXPECT_EQ(node_name_of("node5.cluster.example"), "node5");
}

TEST(SystemProgramRunner, ArgvIsPassedVerbatimWithoutAShell) {
  SystemProgramRunner runner(10);
  const ProgramResult r = runner.run({"printf", "%s|", "a b", "$(touch /tmp/x);y", "'q'"});
  EXPECT_TRUE(r.ok()) << r.describe();
  EXPECT_EQ(r.out, "a b|$(touch /tmp/x);y|'q'|");
}

TEST(SystemProgramRunner, ATimeLimitAMissingProgramAndAFailureAreSaid) {
  SystemProgramRunner quick(0.3);
  ProgramResult r = quick.run({"sleep", "10"});
  EXPECT_FALSE(r.ok());
  EXPECT_NE(r.failure.find("did not finish"), std::string::npos) << r.failure;
  r = quick.run({"railcheck-no-such-program"});
  EXPECT_NE(r.failure.find("cannot run railcheck-no-such-program"), std::string::npos) << r.failure;
  r = quick.run({"sh", "-c", "echo one >&2; echo two >&2; exit 3"});
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_EQ(r.describe(), "exit 3: one; two");
}

}  // namespace
}  // namespace railcheck::fleet

namespace railcheck::fleet {
namespace {

TEST(NodeLabels, OnlyRailchecksOwnPrefixIsAccepted) {
  EXPECT_NO_THROW(check_label_prefix("railcheck.io/"));
  EXPECT_NO_THROW(check_label_prefix("railcheck.example.com/"));
  for (const char* bad :
       {"node.kubernetes.io/", "railcheck.k8s.io/", "nvidia.com/", "railcheck.io", "Railcheck.io/", ""}) {
    EXPECT_THROW(check_label_prefix(bad), InputError) << bad;
  }
}

TEST(NodeLabels, ValuesAreWhatKubernetesAccepts) {
  EXPECT_EQ(label_value("2026-12-07T04:22:40Z"), "2026-12-07T04-22-40Z");
  EXPECT_EQ(label_value("NIC eth0 (rail 0) pair_matrix"), "NIC-eth0--rail-0--pair_matrix");
  EXPECT_EQ(label_value("(x)"), "x");
  EXPECT_EQ(label_value(std::string(80, 'a')).size(), 63u);
}

TEST(NodeLabels, APatchKeepsForeignTaintsAndCarriesTheResourceVersion) {
  const nlohmann::json node = {
      {"metadata", {{"resourceVersion", "7"}, {"labels", {{"team", "ml"}}}}},
      {"spec",
       {{"taints",
         nlohmann::json::array({{{"key", "gpu"}, {"effect", "NoSchedule"}},
                                {{"key", "railcheck.io/unhealthy"}, {"value", "old"}, {"effect", "NoSchedule"}}})}}}};
  LabelOptions options;
  options.taint = true;
  NodeLabelPlan plan;
  plan.labels["railcheck.io/verdict"] = "pass";
  plan.labels["railcheck.io/part"] = std::nullopt;
  const nlohmann::json patch = node_patch(node, plan, options);
  EXPECT_EQ(patch.at("metadata").at("resourceVersion"), "7");
  EXPECT_TRUE(patch.at("metadata").at("labels").at("railcheck.io/part").is_null()) << "removes our old label";
  EXPECT_FALSE(patch.at("metadata").at("labels").contains("team")) << "never names a foreign label";
  ASSERT_EQ(patch.at("spec").at("taints").size(), 1u);
  EXPECT_EQ(patch.at("spec").at("taints")[0].at("key"), "gpu");
  options.taint = false;
  EXPECT_FALSE(node_patch(node, plan, options).contains("spec")) << "without --taint, taints are left alone";
}

}  // namespace
}  // namespace railcheck::fleet
