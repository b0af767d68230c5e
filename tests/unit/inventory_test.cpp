// Inventory verdicts (--expect-gpus): a host showing fewer GPUs than expected fails its node, with what
// discovery said and the playbook's step; enough GPUs pass; a manifest without counts warns; nothing is
// judged when nothing is expected. Through analyze_records, as `railcheck run` and `analyze` judge.
#include "railcheck/analysis/inventory.h"

#include <gtest/gtest.h>

#include "railcheck/analysis/analysis_options.h"
#include "railcheck/analysis/analyze.h"

namespace railcheck::analysis {
namespace {

nlohmann::json manifest_of(const nlohmann::json& host_gpus) {
  nlohmann::json m = {{"hosts", {"node1", "node2"}}};
  if (!host_gpus.is_null()) m["host_gpus"] = host_gpus;
  return m;
}

const nlohmann::json kNode1ShortOfGpus = nlohmann::json::array(
    {{{"host", "node1"}, {"gpus", 6}, {"source", "NVML"}, {"pci_bus_ids", nlohmann::json::array()}},
     {{"host", "node2"}, {"gpus", 8}, {"source", "NVML"}, {"pci_bus_ids", nlohmann::json::array()}}});

const Verdict& verdict_of(const std::vector<Verdict>& verdicts, const ComponentId& component) {
  for (const Verdict& v : verdicts) {
    if (v.component == component) return v;
  }
  throw std::logic_error("no verdict for " + label(component));
}

TEST(Inventory, AHostShortOfGpusFailsItsNodeAndOneWithEnoughPasses) {
  InventoryOptions options;
  options.expect_gpus = 8;
  const std::vector<Finding> findings = inventory_findings(manifest_of(kNode1ShortOfGpus), options);
  ASSERT_EQ(findings.size(), 2u);
  EXPECT_EQ(findings[0].component, make_node("node1"));
  EXPECT_EQ(findings[0].status, VerdictStatus::kFail);
  EXPECT_EQ(findings[0].evidence.source, "inventory");
  EXPECT_EQ(findings[0].evidence.measured, 6);
  EXPECT_EQ(findings[0].evidence.expected, 8);
  EXPECT_EQ(findings[0].evidence.text, "node1 shows 6 GPUs, expected 8 GPUs (counted by NVML)");
  EXPECT_EQ(findings[1].component, make_node("node2"));
  EXPECT_EQ(findings[1].status, VerdictStatus::kPass);
}

TEST(Inventory, NoneFoundSaysWhatDiscoverySaidAndNothingIsJudgedWhenNothingIsExpected) {
  const nlohmann::json none = nlohmann::json::array(
      {{{"host", "node1"}, {"gpus", 0}, {"source", "none"}, {"note", "no GPUs found (NVML: not loaded; sysfs: none)"}},
       {{"host", "node2"}, {"gpus", 0}, {"source", "none"}, {"note", "no GPUs found"}}});
  EXPECT_TRUE(inventory_findings(manifest_of(none), InventoryOptions{}).empty());
  EXPECT_TRUE(inventory_findings(nullptr, InventoryOptions{8}).empty());
  const std::vector<Finding> findings = inventory_findings(manifest_of(none), InventoryOptions{1});
  ASSERT_EQ(findings.size(), 2u);
  EXPECT_EQ(findings[0].evidence.text,
            "node1 shows 0 GPUs, expected 1 GPU (no GPUs found (NVML: not loaded; sysfs: none))");
}

TEST(Inventory, AManifestWithoutCountsWarnsForEveryHostInsteadOfPassing) {
  const std::vector<Finding> findings = inventory_findings(manifest_of(nullptr), InventoryOptions{8});
  ASSERT_EQ(findings.size(), 2u);
  for (const Finding& finding : findings) {
    EXPECT_EQ(finding.status, VerdictStatus::kWarn);
    EXPECT_NE(finding.evidence.text.find("not in the results"), std::string::npos) << finding.evidence.text;
  }
}

TEST(Inventory, AnalyzeRecordsFailsTheNodeWithThePlaybooksStepFromTheSuitesExpectation) {
  const AnalysisOptions options =
      parse_analysis_options(nlohmann::json::parse(R"({"inventory": {"expect_gpus": 8}})"), "suite.json", "analysis");
  EXPECT_EQ(options.inventory.expect_gpus, 8);
  EXPECT_EQ(to_json(options).at("inventory").at("expect_gpus"), 8);
  const std::vector<Verdict> verdicts =
      analyze_records(nlohmann::json::array(), options, nullptr, manifest_of(kNode1ShortOfGpus));
  const Verdict& node1 = verdict_of(verdicts, make_node("node1"));
  EXPECT_EQ(node1.status, VerdictStatus::kFail);
  EXPECT_NE(node1.action.find("drain node1"), std::string::npos) << node1.action;
  EXPECT_NE(node1.action.find("Xid 79"), std::string::npos) << node1.action;
  EXPECT_EQ(verdict_of(verdicts, make_node("node2")).status, VerdictStatus::kPass);
  EXPECT_EQ(exit_code_of(verdicts), kExitDegraded);
  EXPECT_THROW(parse_analysis_options(nlohmann::json::parse(R"({"inventory": {"expect_gpus": -1}})"), "s.json", "a"),
               std::exception);
}

}  // namespace
}  // namespace railcheck::analysis
