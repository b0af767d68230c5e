// The HTML report (report/): what a person sees first, which cells are marked, that nothing in the page can
// make a request or run a script, and that bad input is named. The page is read back with an XML parser
// (the writer keeps it well-formed) and checked on its DOM.
#include <gtest/gtest.h>

#include <pugixml.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "railcheck/analysis/compare_runs.h"
#include "railcheck/analysis/component.h"
#include "railcheck/analysis/results_document.h"
#include "railcheck/analysis/verdict.h"
#include "railcheck/core/error.h"
#include "railcheck/output/html_report_sink.h"
#include "railcheck/report/html_report.h"
#include "railcheck/report/html_writer.h"
#include "railcheck/report/report_data.h"
#include "railcheck/report/svg_chart.h"

namespace railcheck::report {
namespace {

using nlohmann::json;

const std::vector<std::string> kHosts = {"node1", "node2", "node3", "node4"};

json p2p_bw(const std::string& src, const std::string& dst, double gbps, int interval = -1) {
  json r = {{"kind", "p2p"},
            {"test", "tcp_links"},
            {"test_key", "p2p.bw"},
            {"op", "bw"},
            {"transport", "tcp"},
            {"round", 0},
            {"within_node", false},
            {"src_rank", 0},
            {"dst_rank", 1},
            {"src_host", src},
            {"dst_host", dst},
            {"src_nic", "eth0"},
            {"dst_nic", "eth0"},
            {"src_addr", "10.0.0.1"},
            {"dst_addr", "10.0.0.2"},
            {"rail", 0},
            {"size_bytes", 1048576},
            {"iters", 16},
            {"streams", 2},
            {"tx_depth", 8},
            {"status", "ok"},
            {"start_unix_s", 1796600000.0 + 10 * std::max(interval, 0)},
            {"end_unix_s", 1796600001.0},
            {"bw_gbps", gbps},
            {"bw_gbits", gbps * 8},
            {"lat_us", nullptr}};
  if (interval >= 0) r["interval"] = interval;
  return r;
}

json all_reduce(std::size_t size, double busbw, const std::string& slow_host, int interval = -1) {
  json ranks = json::array();
  for (int i = 0; i < 4; ++i) {
    ranks.push_back({{"rank", i},
                     {"host", kHosts[i]},
                     {"local_rank", 0},
                     {"time_us", kHosts[i] == slow_host ? 900.0 : 300.0},
                     {"wrong_elements", 0}});
  }
  json r = {{"kind", "collective"},
            {"test", "all_reduce"},
            {"test_key", "all_reduce.float.sum"},
            {"collective", "all_reduce"},
            {"backend", "mpi"},
            {"group", "world"},
            {"nranks", 4},
            {"size_bytes", size},
            {"count", size / 4},
            {"dtype", "float"},
            {"redop", "sum"},
            {"root", nullptr},
            {"in_place", false},
            {"iters", 10},
            {"warmup_iters", 2},
            {"graph_launches", 0},
            {"status", "ok"},
            {"time_us", 400.0},
            {"time_us_min", 300.0},
            {"time_us_max", 900.0},
            {"slowest_rank", 2},
            {"algbw_gbps", busbw / 1.5},
            {"busbw_gbps", busbw},
            {"wrong_elements", 0},
            {"ranks", ranks},
            {"start_unix_s", 1796600000.0 + 10 * std::max(interval, 0)}};
  if (interval >= 0) r["interval"] = interval;
  return r;
}

json manifest() {
  return {{"railcheck_version", "0.1.0"},
          {"git_revision", "abc"},
          {"command_line", "railcheck run acceptance.json"},
          {"suite", "acceptance"},
          {"backend", "mpi"},
          {"backend_reason", ""},
          {"start_time", "2026-12-07T06:00:00Z"},
          {"end_time", "2026-12-07T06:01:00Z"},
          {"versions", json::object()},
          {"slurm_job_id", "42"},
          {"nranks", 4},
          {"hosts", kHosts},
          {"ranks", json::array()}};
}

json verdict(const analysis::ComponentId& component, analysis::VerdictStatus status, const std::string& text) {
  analysis::Verdict v;
  v.component = component;
  v.status = status;
  analysis::Evidence e;
  e.source = "pair_matrix";
  e.metric = "p2p.bw bw_gbps";
  e.text = text;
  e.status = status;
  v.evidence.push_back(e);
  v.action = status == analysis::VerdictStatus::kFail ? "drain " + component.host : "";
  return analysis::to_json(v);
}

// node3's links run at a tenth of the others'; its NIC and node fail.
json degraded_run() {
  json records = json::array();
  for (const std::string& a : kHosts) {
    for (const std::string& b : kHosts) {
      if (a != b) records.push_back(p2p_bw(a, b, a == "node3" || b == "node3" ? 0.1 : 1.0));
    }
  }
  for (const std::size_t size : {65536u, 1048576u, 16777216u}) records.push_back(all_reduce(size, 2.0, "node3"));
  json verdicts =
      json::array({verdict(analysis::make_node("node3"), analysis::VerdictStatus::kFail, "1 of 1 parts fail"),
                   verdict(analysis::make_nic("node3", "eth0", 0), analysis::VerdictStatus::kFail,
                           "node3 NIC eth0 (rail 0): p2p.bw 0.1 GB/s, 90% below the rail"),
                   verdict(analysis::make_node("node1"), analysis::VerdictStatus::kPass, "")});
  return {{"schema_version", "1.3"},
          {"kind", "railcheck.results"},
          {"manifest", manifest()},
          {"records", records},
          {"summary",
           {{"records", records.size()},
            {"skipped_records", 0},
            {"wrong_records", 0},
            {"wrong_elements", 0},
            {"avg_busbw_gbps", 2.0},
            {"problems", json::array()},
            {"exit_code", 1}}},
          {"analysis", {{"options", json::object()}, {"baseline", nullptr}, {"profile", ""}}},
          {"verdicts", verdicts}};
}

pugi::xml_document parse(const std::string& page) {
  pugi::xml_document doc;
  const pugi::xml_parse_result result = doc.load_string(page.c_str(), pugi::parse_default | pugi::parse_doctype);
  EXPECT_TRUE(result) << result.description() << " at offset " << result.offset;
  return doc;
}

bool has_class(pugi::xml_node node, const std::string& cls) {
  std::istringstream words(node.attribute("class").value());
  for (std::string w; words >> w;) {
    if (w == cls) return true;
  }
  return false;
}

std::vector<pugi::xml_node> select(const pugi::xml_document& doc, const char* xpath) {
  std::vector<pugi::xml_node> out;
  for (const pugi::xpath_node& n : doc.select_nodes(xpath)) out.push_back(n.node());
  return out;
}

TEST(HtmlWriter, EscapesTextAndAttributesAndClosesEveryElement) {
  HtmlWriter out;
  out.open("html").open("body", {{"data-host", "a\"b<c>&'"}, {"", "skipped"}});
  out.element("p", "<script>alert(1)</script> & more");
  out.empty("meta", {{"charset", "utf-8"}});
  const std::string page = out.finish();
  EXPECT_EQ(page.find("<script>"), std::string::npos);
  EXPECT_NE(page.find("&lt;script&gt;alert(1)&lt;/script&gt; &amp; more"), std::string::npos);
  EXPECT_NE(page.find("data-host=\"a&quot;b&lt;c&gt;&amp;&#39;\""), std::string::npos);
  EXPECT_EQ(page.find("skipped"), std::string::npos);
  EXPECT_EQ(page.rfind("</html>"), page.size() - 8);  // every open element closed
  const pugi::xml_document doc = parse(page);
  EXPECT_STREQ(doc.child("html").child("body").attribute("data-host").value(), "a\"b<c>&'");
}

TEST(HtmlReport, VerdictsWithEvidenceAndActionComeBeforeAnyChart) {
  const std::string page = render_report(make_run_view(degraded_run(), "results.json"));
  const pugi::xml_document doc = parse(page);
  const auto rows = select(doc, "//table[@class='verdicts']/tr[@data-status]");
  ASSERT_GE(rows.size(), 2u);
  EXPECT_STREQ(rows[0].attribute("data-status").value(), "fail");
  EXPECT_STREQ(rows[0].attribute("data-host").value(), "node3");
  const auto action = select(doc, "//table[@class='verdicts']/tr[@data-status='fail'][1]/td[@class='action']");
  ASSERT_EQ(action.size(), 1u);
  EXPECT_STREQ(action[0].text().get(), "drain node3");
  EXPECT_LT(page.find("class=\"verdicts\""), page.find("<svg"));
  EXPECT_NE(page.find("node3 NIC eth0 (rail 0): p2p.bw 0.1 GB/s, 90% below the rail"), std::string::npos);
  const auto banner = select(doc, "//div[@id='outcome']");
  ASSERT_EQ(banner.size(), 1u);
  EXPECT_TRUE(has_class(banner[0], "banner-fail"));
  EXPECT_NE(std::string(banner[0].text().get()).find("failing: node3 NIC eth0 (rail 0)"), std::string::npos)
      << banner[0].text().get();
}

TEST(HtmlReport, TheFailingHostsCellsAreMarkedInItsHeatmapAndNoOtherCell) {
  const pugi::xml_document doc = parse(render_report(make_run_view(degraded_run(), "results.json")));
  const auto heatmaps = select(doc, "//svg[@class='heatmap']");
  ASSERT_EQ(heatmaps.size(), 1u);
  EXPECT_STREQ(heatmaps[0].attribute("data-metric").value(), "p2p.bw bw_gbps");
  int marked = 0, cells = 0;
  for (pugi::xml_node cell : heatmaps[0].children("rect")) {
    ++cells;
    const std::string src = cell.attribute("data-src").value(), dst = cell.attribute("data-dst").value();
    const bool node3 = src == "node3" || dst == "node3";
    EXPECT_EQ(has_class(cell, "failing-host"), node3) << src << " -> " << dst;
    EXPECT_EQ(std::string(cell.attribute("stroke").value()) == kFailColour, node3) << src << " -> " << dst;
    if (node3) {
      ++marked;
      EXPECT_NE(std::string(cell.child("title").text().get()).find("node3 FAILS"), std::string::npos);
    }
    if (node3 && src != dst) EXPECT_EQ(cell.attribute("fill").value(), ratio_colour(0.1 / 0.55));
  }
  EXPECT_EQ(cells, 16);
  EXPECT_EQ(marked, 7);  // node3's row and column
  const auto labels = select(doc, "//svg[@class='heatmap']/text[@data-host='node3']");
  ASSERT_EQ(labels.size(), 2u);
  for (pugi::xml_node label : labels) EXPECT_STREQ(label.attribute("fill").value(), kFailColour);
  // The rank on node3 is the marked bar of the ranks' spread.
  const auto bars = select(doc, "//svg[@class='bars']/rect[@data-host='node3']");
  ASSERT_EQ(bars.size(), 1u);
  EXPECT_TRUE(has_class(bars[0], "failing-host"));
}

TEST(RailMarks, ANicMarksItsOwnRailAGpuOrANodeOfItsOwnEveryRail) {
  using analysis::VerdictStatus;
  std::vector<analysis::Verdict> verdicts;
  for (const json& v : {verdict(analysis::make_nic("node7", "mlx5_3", 3), VerdictStatus::kFail, "slow"),
                        verdict(analysis::make_node("node7"), VerdictStatus::kFail, "1 of 8 parts fail"),
                        verdict(analysis::make_gpu("node2", 5), VerdictStatus::kWarn, "slow GPU"),
                        verdict(analysis::make_node("node2"), VerdictStatus::kWarn, "1 of 8 parts warn"),
                        verdict(analysis::make_node("node9"), VerdictStatus::kFail, "4 GPUs, expected 8"),
                        verdict(analysis::make_nic("node4", "eth9", -1), VerdictStatus::kFail, "carrier lost")}) {
    verdicts.push_back(analysis::verdict_from_json(v));
  }
  const RailMarks rail3 = rail_marks(verdicts, 3), rail0 = rail_marks(verdicts, 0);
  EXPECT_EQ(rail3.failing, (std::set<std::string>{"node4", "node7", "node9"}));
  EXPECT_EQ(rail0.failing, (std::set<std::string>{"node4", "node9"}));  // node7's NIC is on rail 3 only
  EXPECT_EQ(rail0.warning, std::set<std::string>{"node2"});
  EXPECT_EQ(rail3.warning, std::set<std::string>{"node2"});
}

TEST(HtmlReport, AOneWayFailingLinkMarksThatDirectionsCellOnly) {
  json run = degraded_run();
  for (json& r : run["records"]) r["bw_gbps"] = 1.0;
  analysis::Verdict link = analysis::verdict_from_json(
      verdict(analysis::make_link("node1", "eth0", "node4", "eth0", 0), analysis::VerdictStatus::kFail, "one way"));
  link.direction = "b_to_a";  // node4 -> node1
  run["verdicts"] = json::array({analysis::to_json(link)});
  const pugi::xml_document doc = parse(render_report(make_run_view(run, "results.json")));
  const auto marked = select(doc, "//svg[@class='heatmap']/rect[contains(@class,'failing-link')]");
  ASSERT_EQ(marked.size(), 1u);
  EXPECT_STREQ(marked[0].attribute("data-src").value(), "node4");
  EXPECT_STREQ(marked[0].attribute("data-dst").value(), "node1");
  EXPECT_STREQ(marked[0].attribute("stroke-width").value(), "4");
  EXPECT_TRUE(select(doc, "//svg[@class='heatmap']/rect[contains(@class,'failing-host')]").empty());
}

TEST(HtmlReport, AFabricTestsFlowsAreListedByStageWithTheFailingLinkInBoldOnItsFlowsOnly) {
  json run = degraded_run();
  run["records"] = json::array();
  auto flow = [](const std::string& src, const std::string& dst, int stage, double gbps,
                 const std::vector<std::string>& route) {
    json r = p2p_bw(src, dst, gbps);
    r["test"] = "fabric_tcp";
    r["phase"] = "fabric";
    r["round"] = stage;
    r["route"] = route;
    r["return_route"] = json::array({"x -> y"});
    return r;
  };
  run["records"].push_back(flow("node1", "node4", 0, 0.02, {"node1/fab0 -> leaf1:1", "leaf1:4 -> spine2:1"}));
  run["records"].push_back(flow("node2", "node3", 0, 0.7, {"node2/fab0 -> leaf1:2", "leaf1:3 -> spine1:1"}));
  run["records"].push_back(flow("node1", "node2", 1, 0.8, {"node1/fab0 -> leaf1:1", "leaf1:2 -> node2/fab0"}));
  run["verdicts"] = json::array({verdict(analysis::make_fabric_link("leaf1:4", "spine2:1"),
                                         analysis::VerdictStatus::kFail, "2 of 2 flows slow")});
  const pugi::xml_document doc = parse(render_report(make_run_view(run, "results.json")));
  ASSERT_EQ(select(doc, "//h2[@id='fabric']").size(), 1u);
  const auto rows = select(doc, "//table[@data-test='fabric_tcp']/tr[td]");
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_TRUE(has_class(rows[0], "row-fail"));  // stage 0, over leaf1:4 -> spine2:1
  EXPECT_TRUE(has_class(rows[1], "row-pass"));
  EXPECT_TRUE(has_class(rows[2], "row-pass"));
  const auto bold = select(doc, "//table[@data-test='fabric_tcp']//strong[@class='failing-link']");
  ASSERT_EQ(bold.size(), 1u);
  EXPECT_STREQ(bold[0].child_value(), "leaf1:4 -> spine2:1");
}

TEST(HtmlReport, NothingInThePageCanMakeARequestOrRunAScript) {
  json run = degraded_run();
  run["manifest"]["hosts"][0] = "<script src=\"http://evil.example/x.js\"></script>";
  run["manifest"]["command_line"] = "<img src=x onerror=alert(1)>";
  const std::string page = render_report(make_run_view(run, "results.json"));
  const pugi::xml_document doc = parse(page);
  const auto policy = select(doc, "/html/head/meta[@http-equiv='Content-Security-Policy']");
  ASSERT_EQ(policy.size(), 1u);
  EXPECT_NE(std::string(policy[0].attribute("content").value()).find("default-src 'none'"), std::string::npos);
  EXPECT_TRUE(select(doc, "//script").empty());
  EXPECT_TRUE(select(doc, "//img").empty());
  EXPECT_TRUE(select(doc, "//link").empty());
  EXPECT_TRUE(select(doc, "//iframe").empty());
  // No attribute names anything outside the page (xmlns is a name, not a request; data- attributes hold the
  // host names, which are text).
  for (const pugi::xpath_node& n : doc.select_nodes("//*")) {
    for (pugi::xml_attribute a : n.node().attributes()) {
      const std::string name = a.name(), value = a.value();
      if (name == "xmlns") continue;
      EXPECT_FALSE(name == "src" || name == "href" || name == "xlink:href" || name.starts_with("on")) << name;
      if (!name.starts_with("data-")) EXPECT_EQ(value.find("http"), std::string::npos) << name << "=" << value;
    }
  }
  EXPECT_EQ(page.find("url("), std::string::npos);
  EXPECT_EQ(page.find("@import"), std::string::npos);
}

TEST(HtmlReport, AStreamWithoutVerdictsIsJudgedAndSaysSo) {
  json run = degraded_run();
  run.erase("verdicts");
  run.erase("summary");
  const RunView view = make_run_view(run, "results.jsonl");
  EXPECT_FALSE(view.verdicts_recorded);
  const std::string page = render_report(view);
  EXPECT_NE(page.find("judged here with the thresholds it recorded"), std::string::npos);
  EXPECT_NE(page.find("the run did not finish"), std::string::npos);
  parse(page);
}

TEST(HtmlReport, SoakTimelinesMarkTheIntervalADriftBeganAndTheTelemetryOfIt) {
  json records = json::array();
  for (int interval = 0; interval < 4; ++interval) {
    for (const std::string& a : kHosts) {
      for (const std::string& b : kHosts) {
        if (a != b)
          records.push_back(p2p_bw(a, b, interval >= 2 && (a == "node3" || b == "node3") ? 0.2 : 1.0, interval));
      }
    }
    records.push_back(all_reduce(1048576, interval >= 2 ? 0.5 : 2.0, "node3", interval));
    records.push_back(
        {{"kind", "telemetry"},
         {"host", "node3"},
         {"rank", 2},
         {"window", "interval 2"},
         {"ticks", 3},
         {"interval", interval},
         {"start_unix_s", 1796600000.0 + 10 * interval},
         {"end_unix_s", 1796600010.0 + 10 * interval},
         {"unread", json::array()},
         {"devices", json::array({{{"source", "netdev"},
                                   {"device", "eth0"},
                                   {"resets", json::array()},
                                   {"first_grew_in", json::object()},
                                   {"gauges", json::object()},
                                   {"deltas", interval == 2 ? json{{"carrier_changes", 2}, {"rx_bytes", 99}}
                                                            : json{{"rx_bytes", 99}}}}})}});
  }
  json run = degraded_run();
  run["records"] = records;
  analysis::Verdict drift = analysis::verdict_from_json(run["verdicts"][1]);
  drift.evidence[0].interval = 2;
  drift.evidence[0].text = "node3 drifted to 20% of its reference from interval 2";
  run["verdicts"][1] = analysis::to_json(drift);
  const RunView view = make_run_view(run, "results.json");
  ASSERT_EQ(view.telemetry.size(), 1u);  // traffic counters left out, only interval 2 shows something
  EXPECT_EQ(view.telemetry[0].counters, std::vector<std::string>{"eth0 carrier_changes +2"});
  const pugi::xml_document doc = parse(render_report(view));
  const auto markers = select(doc, "//svg[@class='chart']/line[@class='marker']");
  ASSERT_FALSE(markers.empty());
  bool drift_marked = false, telemetry_marked = false;
  for (pugi::xml_node m : markers) {
    const std::string title = m.child("title").text().get();
    drift_marked |=
        title.find("drifted to 20%") != std::string::npos && m.attribute("stroke").value() == std::string(kFailColour);
    telemetry_marked |= title.find("carrier_changes +2") != std::string::npos;
  }
  EXPECT_TRUE(drift_marked);
  EXPECT_TRUE(telemetry_marked);
  const auto node3_line = select(doc, "//svg[@class='chart']/g[@data-host='node3']");
  ASSERT_EQ(node3_line.size(), 1u);
  EXPECT_TRUE(has_class(node3_line[0], "failing-host"));
  EXPECT_EQ(std::distance(node3_line[0].children("circle").begin(), node3_line[0].children("circle").end()), 4);
}

TEST(HtmlReport, TwoRunsSideBySideNameWhatNewlyFails) {
  json healthy = degraded_run();
  for (json& r : healthy["records"]) {
    if (r["kind"] == "p2p") r["bw_gbps"] = 1.0;
  }
  healthy["verdicts"] =
      json::array({verdict(analysis::make_node("node3"), analysis::VerdictStatus::kPass, ""),
                   verdict(analysis::make_nic("node3", "eth0", 0), analysis::VerdictStatus::kPass, "")});
  const json degraded = degraded_run();
  const RunView before = make_run_view(healthy, "old.json"), after = make_run_view(degraded, "new.json");
  const analysis::Comparison comparison =
      analysis::compare_runs(analysis::samples_from_records(healthy["records"]), before.verdicts,
                             analysis::samples_from_records(degraded["records"]), after.verdicts, 0.05);
  const pugi::xml_document doc = parse(render_comparison(before, after, comparison));
  const auto newly = select(doc, "//table[@class='verdict-changes']/tr[@data-change='newly_failing']");
  ASSERT_FALSE(newly.empty());
  EXPECT_STREQ(newly[0].attribute("data-host").value(), "node3");
  EXPECT_FALSE(select(doc, "//table[@class='value-changes']/tr[@data-change='regressed']").empty());
  const auto heatmaps = select(doc, "//svg[@class='heatmap']");
  ASSERT_EQ(heatmaps.size(), 2u);  // before and after, side by side
  EXPECT_TRUE(select(doc, "(//svg[@class='heatmap'])[1]/rect[contains(@class,'failing-host')]").empty());
  EXPECT_FALSE(select(doc, "(//svg[@class='heatmap'])[2]/rect[contains(@class,'failing-host')]").empty());
  EXPECT_EQ(select(doc, "//div[@data-side]").size(), 2u);
}

TEST(HtmlReport, SingleGpuChecksAreATableWithTheFailingGpuMarked) {
  json run = degraded_run();
  json records = json::array();
  for (const std::string& host : {"node1", "node2"}) {
    for (int device = 0; device < 4; ++device) {
      const double gbps = host == std::string("node2") && device == 2 ? 900.0 : 3000.0;
      records.push_back({{"kind", "gpu_check"},
                         {"test_key", "gpu.hbm_copy"},
                         {"host", host},
                         {"device", device},
                         {"size_bytes", 1 << 30},
                         {"bw_gbps", gbps},
                         {"tflops", nullptr},
                         {"status", "ok"},
                         {"wrong", 0}});
    }
  }
  run["records"] = records;
  run["verdicts"] = json::array({verdict(analysis::make_gpu("node2", 2), analysis::VerdictStatus::kFail, "slow HBM")});
  const pugi::xml_document doc = parse(render_report(make_run_view(run, "results.json")));
  const auto rows = select(doc, "//table[@class='gpu-checks']/tr[@data-gpu]");
  ASSERT_EQ(rows.size(), 8u);
  const auto failing = select(doc, "//table[@class='gpu-checks']/tr[@class='row-fail']");
  ASSERT_EQ(failing.size(), 1u);
  EXPECT_STREQ(failing[0].attribute("data-host").value(), "node2");
  EXPECT_STREQ(failing[0].attribute("data-gpu").value(), "2");
  EXPECT_STREQ(doc.select_node("//table[@class='gpu-checks']/tr[@class='row-fail']/td[3]").node().text().get(), "900");
}

TEST(HtmlReport, ManyHostsGetOneBarPerHostInsteadOfAMatrix) {
  json run = degraded_run();
  json records = json::array();
  std::vector<std::string> hosts;
  for (int i = 0; i < 200; ++i) hosts.push_back("n" + std::to_string(i));
  for (int i = 0; i < 200; ++i) records.push_back(p2p_bw(hosts[i], hosts[(i + 1) % 200], i == 7 ? 0.1 : 1.0));
  run["records"] = records;
  run["manifest"]["hosts"] = hosts;
  const std::string page = render_report(make_run_view(run, "results.json"));
  const pugi::xml_document doc = parse(page);
  EXPECT_TRUE(select(doc, "//svg[@class='heatmap']").empty());
  EXPECT_EQ(select(doc, "//svg[@class='bars']/rect").size(), 200u);
  EXPECT_LT(page.size(), 400'000u);
}

TEST(HtmlReport, AMalformedRecordIsAnInputErrorNamingTheFile) {
  json run = degraded_run();
  run["records"][0].erase("src_host");
  run.erase("verdicts");
  try {
    make_run_view(run, "bad/results.json");
    FAIL() << "no error";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("bad/results.json"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("src_host"), std::string::npos) << e.what();
  }
}

TEST(HtmlReportFile, WrittenFromAResultsFileAndRefusedForOneThatIsNot) {
  const std::filesystem::path dir = std::filesystem::temp_directory_path() / "railcheck_html_report_test";
  std::filesystem::create_directories(dir);
  std::ofstream(dir / "results.json") << degraded_run().dump();
  write_html_report(dir / "results.json", dir / "results.html");
  std::ifstream page(dir / "results.html");
  std::stringstream text;
  text << page.rdbuf();
  EXPECT_NE(text.str().find("data-host=\"node3\""), std::string::npos);
  std::ofstream(dir / "not.json") << "{\"kind\": \"something else\"}";
  EXPECT_THROW(write_html_report(dir / "not.json", dir / "not.html"), InputError);
  EXPECT_FALSE(std::filesystem::exists(dir / "not.html"));
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace railcheck::report
