// The analysis pipeline's cross-analysis rules (analyze.h).
#include "railcheck/analysis/analyze.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace railcheck::analysis {
namespace {

Finding finding(ComponentId id, VerdictStatus status, std::string text) {
  Finding f;
  f.component = std::move(id);
  f.status = status;
  f.evidence.text = std::move(text);
  return f;
}

TEST(ExplainLinks, ALinkWithAFailingEndNicPassesAndSaysWhichNicExplainsIt) {
  std::vector<Finding> findings = {
      finding(make_nic("node3", "eth0", 0), VerdictStatus::kFail, "bw 97% below"),
      finding(make_link("node3", "eth0", "node4", "eth0", 0), VerdictStatus::kFail, "lat 578% above"),
      finding(make_link("node4", "eth0", "node3", "eth0", 1), VerdictStatus::kWarn,
              "other rail: node3 NIC on rail 1 is fine"),
      finding(make_link("node1", "eth0", "node2", "eth0", 0), VerdictStatus::kFail, "a real cable")};
  explain_links_by_failing_nics(findings);
  EXPECT_EQ(findings[0].status, VerdictStatus::kFail);
  EXPECT_EQ(findings[1].status, VerdictStatus::kPass);
  EXPECT_NE(findings[1].evidence.text.find("explained by node3 NIC eth0 (rail 0)"), std::string::npos)
      << findings[1].evidence.text;
  EXPECT_EQ(findings[2].status, VerdictStatus::kWarn) << "the end NIC on that link's rail does not fail";
  EXPECT_EQ(findings[3].status, VerdictStatus::kFail) << "healthy ends: the link stays blamed";
}

TEST(ExplainLinks, AWarningNicExplainsNothing) {
  std::vector<Finding> findings = {
      finding(make_nic("node3", "eth0", 0), VerdictStatus::kWarn, "a bit slow"),
      finding(make_link("node3", "eth0", "node4", "eth0", 0), VerdictStatus::kFail, "slow link")};
  explain_links_by_failing_nics(findings);
  EXPECT_EQ(findings[1].status, VerdictStatus::kFail);
}

}  // namespace
}  // namespace railcheck::analysis
