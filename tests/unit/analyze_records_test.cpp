// analyze_records() in-process: the whole pipeline on crafted results records of every kind.
#include "railcheck/analysis/analyze.h"

#include <gtest/gtest.h>

#include <string>

namespace railcheck::analysis {
namespace {

using nlohmann::json;

json gpu_check(const std::string& host, int device, double gbps, const std::string& status = "ok") {
  return {{"kind", "gpu_check"}, {"test_key", "gpu.hbm_copy"}, {"host", host},
          {"device", device},    {"size_bytes", 1 << 30},      {"bw_gbps", gbps},
          {"tflops", nullptr},   {"status", status},           {"wrong", status == "wrong" ? 12 : 0}};
}

const Verdict& verdict_of(const std::vector<Verdict>& verdicts, const ComponentId& id) {
  for (const Verdict& verdict : verdicts) {
    if (verdict.component == id) return verdict;
  }
  throw std::runtime_error("no verdict for " + label(id));
}

TEST(AnalyzeRecords, SingleGpuChecksAreJudgedAgainstTheFleetsGpus) {
  json records = json::array();
  for (int node = 1; node <= 6; ++node)
    records.push_back(gpu_check("node" + std::to_string(node), 0, node == 4 ? 900.0 : 3000.0 + node));
  const std::vector<Verdict> verdicts = analyze_records(records, AnalysisOptions{}, nullptr);
  const Verdict& slow = verdict_of(verdicts, make_gpu("node4", 0));
  EXPECT_EQ(slow.status, VerdictStatus::kFail);
  EXPECT_EQ(slow.evidence.front().source, "fleet");
  EXPECT_NE(slow.action.find("gpu-check"), std::string::npos) << slow.action;
  EXPECT_EQ(verdict_of(verdicts, make_gpu("node1", 0)).status, VerdictStatus::kPass);
  EXPECT_EQ(exit_code_of(verdicts), 1);
}

TEST(AnalyzeRecords, AGpuCheckWithWrongElementsOrACudaErrorFailsItsGpu) {
  json records = json::array({gpu_check("node1", 0, 3000.0), gpu_check("node2", 1, 3000.0, "wrong")});
  json error = gpu_check("node3", 2, 0.0, "error");
  error["bw_gbps"] = nullptr;
  error["error"] = "cudaMemcpy: an illegal memory access was encountered";
  records.push_back(error);
  const std::vector<Verdict> verdicts = analyze_records(records, AnalysisOptions{}, nullptr);
  const Verdict& wrong = verdict_of(verdicts, make_gpu("node2", 1));
  EXPECT_EQ(wrong.status, VerdictStatus::kFail);
  EXPECT_NE(wrong.evidence.front().text.find("12 wrong elements in gpu.hbm_copy"), std::string::npos);
  const Verdict& failed = verdict_of(verdicts, make_gpu("node3", 2));
  EXPECT_EQ(failed.status, VerdictStatus::kFail);
  EXPECT_NE(failed.evidence.front().text.find("illegal memory access"), std::string::npos);
}

TEST(AnalyzeRecords, MalformedGpuCheckNamesTheRecordAndField) {
  json bad = gpu_check("node1", 0, -5.0);
  try {
    analyze_records(json::array({bad}), AnalysisOptions{}, nullptr);
    ADD_FAILURE() << "a negative bandwidth was accepted";
  } catch (const std::invalid_argument& e) {
    EXPECT_STREQ(e.what(), "records[0].bw_gbps: must be a finite number >= 0, got -5.0");
  }
}

}  // namespace
}  // namespace railcheck::analysis
