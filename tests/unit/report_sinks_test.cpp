// The JUnit and Prometheus reports from crafted verdicts and samples: what each status becomes, the labels that
// join with DCGM exporter's, links left out while they pass, the last success carried over a failing run,
// escaping, and the atomic write. (The files' validity against xmllint / promtool / node_exporter is checked
// on real runs: tests/mpi/test_junit_and_prometheus.py.)
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "railcheck/core/error.h"
#include "railcheck/output/atomic_file.h"
#include "railcheck/output/junit_sink.h"
#include "railcheck/output/prometheus_sink.h"

namespace railcheck {
namespace {

using analysis::Evidence;
using analysis::Verdict;
using analysis::VerdictStatus;

Verdict verdict(analysis::ComponentId id, VerdictStatus status, const std::string& text, std::string action = "") {
  Verdict v;
  v.component = std::move(id);
  v.status = status;
  Evidence e;
  e.status = status;
  e.text = text;
  v.evidence.push_back(e);
  v.action = std::move(action);
  return v;
}

RunManifest manifest() {
  RunManifest m;
  m.suite = "acceptance";
  m.railcheck_version = "0.1.0";
  m.start_time = "2026-12-07T03:00:00Z";
  m.hosts = {"node1", "node2"};
  RankEntry r;
  r.info.host = "node2";
  r.info.local_rank = 1;
  r.gpu = GpuDescription{3, "H200", "GPU-1234", "0000:1b:00.0"};
  m.ranks.push_back(r);
  return m;
}

int count(const std::string& text, const std::string& needle) {
  int n = 0;
  for (std::size_t at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) ++n;
  return n;
}

TEST(JunitReport, FailIsAFailureWithEvidenceAndActionWarnPassesWithItsTextSkipIsSkipped) {
  const std::vector<Verdict> verdicts = {
      verdict(analysis::make_nic("node2", "eth0", 0), VerdictStatus::kFail,
              "node2 NIC eth0 sending at 12% <of> \"ref\"", "drain node2; check the cable"),
      verdict(analysis::make_gpu("node1", 0), VerdictStatus::kWarn, "node1 GPU 0 dipped"),
      verdict(analysis::make_node("node1"), VerdictStatus::kPass, "fine"),
      verdict(analysis::make_node("node3"), VerdictStatus::kSkip, "not measured")};
  RunSummary summary;
  const std::string xml = junit_document(manifest(), &verdicts, &summary, nullptr, 12.3456);
  EXPECT_NE(
      xml.find("<testsuites name=\"railcheck acceptance\" tests=\"5\" failures=\"1\" errors=\"0\" time=\"12.346\""),
      std::string::npos)
      << xml;
  EXPECT_NE(xml.find("classname=\"railcheck.nic\" name=\"node2 NIC eth0 (rail 0)\""), std::string::npos) << xml;
  EXPECT_NE(xml.find("<failure type=\"FAIL\" message=\"node2 NIC eth0 sending at 12% &lt;of> &quot;ref&quot;\">"),
            std::string::npos)
      << "escaped" << xml;
  EXPECT_NE(xml.find("action: drain node2; check the cable"), std::string::npos);
  EXPECT_NE(xml.find("<system-out>WARN warn: node1 GPU 0 dipped"), std::string::npos) << xml;
  EXPECT_NE(xml.find("<skipped message=\"not measured\""), std::string::npos) << xml;
  EXPECT_EQ(count(xml, "<failure"), 1);
}

TEST(JunitReport, TheRunFailsOnItsProblemsAndIsAnErrorWhenUnfinishedOrEndedByTheWatchdog) {
  RunSummary summary;
  summary.problems = {"rank 2 (node2): 8 wrong elements"};
  std::string xml = junit_document(manifest(), nullptr, &summary, nullptr, 1.0);
  EXPECT_NE(xml.find("classname=\"railcheck.run\" name=\"acceptance\""), std::string::npos) << xml;
  EXPECT_NE(xml.find("<failure type=\"FAIL\" message=\"rank 2 (node2): 8 wrong elements\""), std::string::npos);
  WatchdogReport stuck;
  stuck.step = "all_reduce 1 MiB";
  stuck.text = "lost ranks: 3\x01";
  xml = junit_document(manifest(), nullptr, nullptr, &stuck, 1.0);
  EXPECT_NE(xml.find("<error type=\"WATCHDOG\" message=\"step 'all_reduce 1 MiB' did not complete"), std::string::npos)
      << xml;
  EXPECT_NE(xml.find("lost ranks: 3 </error>"), std::string::npos) << "a control character is not XML: " << xml;
  EXPECT_NE(xml.find("errors=\"1\""), std::string::npos);
  xml = junit_document(manifest(), nullptr, nullptr, nullptr, 1.0);
  EXPECT_NE(xml.find("<error type=\"UNFINISHED\""), std::string::npos) << xml;
}

TEST(PrometheusReport, VerdictsAreOneHotWithDcgmsGpuLabelsAndPassingLinksAreLeftOut) {
  const std::vector<Verdict> verdicts = {
      verdict(analysis::make_gpu("node2", 1), VerdictStatus::kFail, "wrong"),
      verdict(analysis::make_link("node1", "eth0", "node2", "eth0", 0), VerdictStatus::kPass, "ok"),
      verdict(analysis::make_link("node1", "eth1", "node2", "eth1", 1), VerdictStatus::kWarn, "slow")};
  RunSummary summary;
  summary.exit_code = 1;
  const std::string text = prometheus_text(manifest(), {}, verdicts, summary, 1000.0, 5.0, std::nullopt);
  EXPECT_NE(
      text.find("railcheck_verdict{component=\"gpu\",hostname=\"node2\",gpu=\"1\",UUID=\"GPU-1234\",state=\"fail\"} 1"),
      std::string::npos)
      << text;
  EXPECT_NE(
      text.find("railcheck_verdict{component=\"gpu\",hostname=\"node2\",gpu=\"1\",UUID=\"GPU-1234\",state=\"pass\"} 0"),
      std::string::npos);
  EXPECT_EQ(count(text, "nic=\"eth0\""), 0) << "a passing link is left out";
  EXPECT_EQ(count(text, "peer_nic=\"eth1\""), 4) << "a warning link: its four states";
  EXPECT_NE(text.find("railcheck_verdicts{state=\"pass\"} 1"), std::string::npos) << "but counted";
  EXPECT_EQ(count(text, "# HELP railcheck_verdict "), 1) << "one HELP per family";
  EXPECT_EQ(text.find("railcheck_last_success_timestamp_seconds"), std::string::npos) << "never succeeded";
}

TEST(PrometheusReport, FiguresInBaseUnitsAndTheMedianOfRepeats) {
  analysis::Samples samples;
  for (double v : {1.0, 3.0, 2.0}) {
    analysis::GroupSample g;
    g.group = "world";
    g.nranks = 8;
    g.metric = "all_reduce.bfloat16.sum busbw_gbps_in_place";
    g.size_bytes = 1 << 20;
    g.value = v;
    samples.groups.push_back(g);
  }
  analysis::LinkSample l;
  l.test = "links";
  l.host_a = "node1";
  l.nic_a = "eth0";
  l.host_b = "node\"2";
  l.nic_b = "eth0";
  l.metric = "p2p.lat lat_us.typical";
  l.value = 4.0;
  samples.links.push_back(l);
  l.ok = false;
  l.metric = "p2p.bw bw_gbps";
  samples.links.push_back(l);
  analysis::UnitSample u;
  u.unit = analysis::make_gpu("node2", 3);
  u.metric = "gpu.gemm.bf16 tflops";
  u.value = 700;
  samples.units.push_back(u);
  const std::string text = prometheus_text(manifest(), samples, {}, RunSummary{}, 1000.0, 5.0, std::nullopt);
  EXPECT_NE(text.find("railcheck_collective_busbw_bytes_per_second{test_key=\"all_reduce.bfloat16.sum\","
                      "placement=\"in_place\",size_bytes=\"1048576\",group=\"world\",nranks=\"8\"} 2000000000"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("railcheck_link_latency_seconds{test=\"links\",size_bytes=\"0\",hostname=\"node1\",nic=\"eth0\","
                      "peer_hostname=\"node\\\"2\",peer_nic=\"eth0\",rail=\"0\"} 4e-06"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("railcheck_link_failed_transfers{test=\"links\",op=\"bw\""), std::string::npos) << text;
  EXPECT_NE(text.find("railcheck_gpu_check_flops_per_second{check=\"gpu.gemm.bf16\",size_bytes=\"0\","
                      "hostname=\"node2\",gpu=\"3\",UUID=\"GPU-1234\"} 7e+14"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("railcheck_last_success_timestamp_seconds 1000\n"), std::string::npos) << "exit 0: a success";
}

TEST(PrometheusReport, AFailingRunKeepsTheLastSuccessOfTheFileBeforeIt) {
  const std::string before = "# HELP x y\nrailcheck_last_success_timestamp_seconds 1796600000.5\n";
  ASSERT_EQ(last_success_in(before), 1796600000.5);
  EXPECT_EQ(last_success_in("railcheck_last_run_timestamp_seconds 5\n"), std::nullopt);
  RunSummary failed;
  failed.exit_code = 1;
  const std::string text = prometheus_text(manifest(), {}, {}, failed, 1796700000.0, 5.0, last_success_in(before));
  EXPECT_NE(text.find("railcheck_last_success_timestamp_seconds 1796600000.5\n"), std::string::npos) << text;
  EXPECT_NE(text.find("railcheck_last_run_timestamp_seconds 1796700000\n"), std::string::npos) << text;
}

TEST(ReportFiles, NamesAndDirectoriesAreCheckedBeforeAnythingIsMeasured) {
  EXPECT_THROW(JunitSink("/tmp/report.txt"), InputError);
  EXPECT_THROW(PrometheusSink("/tmp/metrics.txt"), InputError);
  EXPECT_THROW(PrometheusSink("/nonexistent-railcheck-dir/railcheck.prom"), InputError);
  EXPECT_NO_THROW(JunitSink(std::filesystem::temp_directory_path() / "railcheck-test.xml"));
}

TEST(ReportFiles, AnAtomicWriteReplacesTheFileWholeAndLeavesNoTemporaryBehind) {
  const std::filesystem::path dir = std::filesystem::temp_directory_path() / "railcheck-atomic-test";
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  const std::filesystem::path file = dir / "a.prom";
  EXPECT_EQ(write_file_atomically(file, "old\n"), "");
  EXPECT_EQ(write_file_atomically(file, "new\n"), "");
  std::ifstream in(file);
  std::stringstream text;
  text << in.rdbuf();
  EXPECT_EQ(text.str(), "new\n");
  EXPECT_EQ(std::distance(std::filesystem::directory_iterator(dir), std::filesystem::directory_iterator()), 1);
  EXPECT_NE(write_file_atomically(dir / "missing" / "a.prom", "x"), "") << "a reason, not an exception";
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace railcheck
