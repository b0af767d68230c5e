// What the HTML report costs (docs/bench.md): the view and the page of an all-pairs acceptance run over N hosts
// and 8 rails (p2p bandwidth every ordered pair, latency every pair, recorded verdicts: one NIC failing), the
// size of the page as a counter. results.html is rendered at the end of every run on rank 0.
//   BM_ReportView/N    make_run_view: samples, matrices, series (the document already parsed)
//   BM_ReportPage/N    render_report of that view
#include <benchmark/benchmark.h>

#include <string>

#include "railcheck/analysis/component.h"
#include "railcheck/analysis/verdict.h"
#include "railcheck/report/html_report.h"
#include "railcheck/report/report_data.h"

namespace {

using namespace railcheck;
using nlohmann::json;

json p2p(const std::string& op, const std::string& src, const std::string& dst, int rail, double value) {
  const std::string nic = "mlx5_" + std::to_string(rail);
  json r = {{"kind", "p2p"},
            {"test", "rdma_links"},
            {"test_key", "p2p." + op},
            {"op", op},
            {"transport", "verbs"},
            {"round", 0},
            {"within_node", false},
            {"src_rank", 0},
            {"dst_rank", 1},
            {"src_host", src},
            {"dst_host", dst},
            {"src_nic", nic},
            {"dst_nic", nic},
            {"src_addr", ""},
            {"dst_addr", ""},
            {"rail", rail},
            {"size_bytes", 1048576},
            {"iters", 200},
            {"streams", 1},
            {"tx_depth", 128},
            {"status", "ok"},
            {"start_unix_s", 1.8e9},
            {"end_unix_s", 1.8e9},
            {"bw_gbps", nullptr},
            {"bw_gbits", nullptr},
            {"lat_us", nullptr}};
  if (op == "lat") {
    r["lat_us"] = {{"typical", value}, {"p99", 2 * value}};
  } else {
    r["bw_gbps"] = value;
    r["bw_gbits"] = 8 * value;
  }
  return r;
}

json acceptance_run(int hosts) {
  std::vector<std::string> names;
  for (int i = 0; i < hosts; ++i) names.push_back("node" + std::to_string(i + 1));
  json records = json::array();
  for (int rail = 0; rail < 8; ++rail) {
    for (int a = 0; a < hosts; ++a) {
      for (int b = 0; b < hosts; ++b) {
        if (a == b) continue;
        records.push_back(p2p("bw", names[a], names[b], rail, (a == 6 || b == 6) && rail == 3 ? 13.0 : 45.0));
        if (a < b) records.push_back(p2p("lat", names[a], names[b], rail, 3.5));
      }
    }
  }
  analysis::Verdict nic;
  nic.component = analysis::make_nic("node7", "mlx5_3", 3);
  nic.status = analysis::VerdictStatus::kFail;
  nic.action = "drain node7";
  analysis::Evidence e;
  e.text = "node7 NIC mlx5_3 (rail 3): 13 GB/s, 71% below the rail's median";
  e.status = analysis::VerdictStatus::kFail;
  nic.evidence.push_back(e);
  json manifest = {{"suite", "acceptance"}, {"hosts", names}, {"nranks", hosts * 8}};
  return {{"schema_version", "1.3"},
          {"kind", "railcheck.results"},
          {"manifest", manifest},
          {"records", records},
          {"verdicts", json::array({analysis::to_json(nic)})}};
}

void BM_ReportView(benchmark::State& state) {
  const json document = acceptance_run(static_cast<int>(state.range(0)));
  for (auto _ : state) benchmark::DoNotOptimize(report::make_run_view(document, "results.json"));
  state.counters["records"] = static_cast<double>(document.at("records").size());
}
BENCHMARK(BM_ReportView)->Arg(16)->Arg(64)->Unit(benchmark::kMillisecond);

void BM_ReportPage(benchmark::State& state) {
  const report::RunView view = report::make_run_view(acceptance_run(static_cast<int>(state.range(0))), "results.json");
  std::size_t bytes = 0;
  for (auto _ : state) {
    const std::string page = report::render_report(view);
    bytes = page.size();
    benchmark::DoNotOptimize(page);
  }
  state.counters["page_MB"] = static_cast<double>(bytes) / 1e6;
}
BENCHMARK(BM_ReportPage)->Arg(16)->Arg(64)->Arg(128)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
