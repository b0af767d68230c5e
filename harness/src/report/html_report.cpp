#include "railcheck/report/html_report.h"

#include <algorithm>
#include <map>
#include <set>

#include "railcheck/analysis/robust_stats.h"
#include "railcheck/record/wall_clock.h"
#include "railcheck/report/html_writer.h"
#include "railcheck/report/svg_chart.h"

namespace railcheck::report {
namespace {

using analysis::Verdict;
using analysis::VerdictStatus;
using nlohmann::json;

// Layout only: every colour that carries meaning is an SVG attribute or a word, so a viewer that blocks
// this sheet (Jenkins' default CSP) still shows what fails.
constexpr const char* kStyle = R"(
body { font-family: system-ui, sans-serif; margin: 24px; color: #1b1b1b; max-width: 1500px; }
h1 { font-size: 22px; margin-bottom: 4px; } h2 { border-bottom: 2px solid #ccc; padding-bottom: 3px; margin-top: 32px; }
h3 { font-size: 15px; margin: 18px 0 6px; }
table { border-collapse: collapse; margin: 6px 0 12px; font-size: 13px; }
td, th { border: 1px solid #ccc; padding: 3px 7px; text-align: left; vertical-align: top; }
th { background: #f2f2f2; } td.num { text-align: right; font-variant-numeric: tabular-nums; }
.status { font-weight: bold; padding: 1px 6px; border-radius: 3px; color: #fff; }
.status-fail { background: #d00000; } .status-warn { background: #e08a00; }
.status-pass { background: #2e7d32; } .status-skip { background: #777; }
.banner { font-size: 18px; padding: 10px 14px; margin: 10px 0; border-radius: 4px; border: 2px solid #777; }
.banner-fail { border-color: #d00000; background: #fde8e8; } .banner-warn { border-color: #e08a00; background: #fff4e0; }
.banner-pass { border-color: #2e7d32; background: #e8f5e9; }
tr.row-fail td { background: #fff0f0; } tr.row-warn td { background: #fff8ec; }
ul.evidence { margin: 0; padding-left: 18px; } .action { font-weight: bold; }
.pair { display: flex; gap: 28px; flex-wrap: wrap; align-items: flex-start; } .side { flex: 1 1 600px; min-width: 0; }
.legend { font-size: 12px; margin: 2px 0 10px; } .key { margin-right: 12px; white-space: nowrap; }
.note { color: #555; font-size: 13px; } code { font-size: 12px; }
svg text { font-family: system-ui, sans-serif; }
)";

std::string utc(double unix_s) {
  return unix_s > 0 ? format_unix_time(unix_s, "%Y-%m-%d %H:%M:%S UTC", TimeZone::kUtc) : "";
}

std::string text_of(const json& object, const char* key) {
  const auto it = object.find(key);
  if (it == object.end() || it->is_null()) return "";
  return it->is_string() ? it->get<std::string>() : it->dump();
}

std::string status_word(VerdictStatus s) {
  std::string word(analysis::key_of(s));
  std::transform(word.begin(), word.end(), word.begin(), ::toupper);
  return word;
}

std::string run_name(const RunView& run) {
  const std::string job = text_of(run.manifest, "slurm_job_id");
  return text_of(run.manifest, "suite") + (job.empty() ? "" : " (job " + job + ")") + " " +
         text_of(run.manifest, "start_time");
}

/// The worst status of a run: its verdicts', or fail when the run itself had problems.
VerdictStatus overall(const RunView& run) {
  VerdictStatus worst = VerdictStatus::kPass;
  for (const Verdict& v : run.verdicts) worst = std::max(worst, v.status);
  if (run.summary.is_object() && !run.summary.value("problems", json::array()).empty()) worst = VerdictStatus::kFail;
  return worst;
}

void page_head(HtmlWriter& out, const std::string& title) {
  out.open("html", {{"lang", "en"}});
  out.open("head");
  out.empty("meta", {{"charset", "utf-8"}});
  out.empty("meta", {{"http-equiv", "Content-Security-Policy"}, {"content", kReportPolicy}});
  out.empty("meta", {{"name", "referrer"}, {"content", "no-referrer"}});
  out.empty("meta", {{"name", "viewport"}, {"content", "width=device-width, initial-scale=1"}});
  out.element("title", title);
  out.open("style").raw(kStyle).close();
  out.close();
  out.open("body");
}

void status_badge(HtmlWriter& out, VerdictStatus s) {
  out.element("span", status_word(s), {{"class", "status status-" + std::string(analysis::key_of(s))}});
}

void run_facts(HtmlWriter& out, const RunView& run) {
  const json& m = run.manifest;
  out.open("table", {{"class", "facts"}});
  auto row = [&](const std::string& name, const std::string& value) {
    if (value.empty()) return;
    out.open("tr").element("th", name).element("td", value).close();
  };
  row("results", run.source);
  row("suite", text_of(m, "suite"));
  row("Slurm job", text_of(m, "slurm_job_id"));
  row("started", text_of(m, "start_time"));
  row("ended", text_of(m, "end_time"));
  std::string hosts = std::to_string(run.hosts.size());
  for (std::size_t i = 0; i < run.hosts.size(); ++i) hosts += (i == 0 ? ": " : " ") + run.hosts[i];
  row("hosts", hosts);
  row("ranks", text_of(m, "nranks"));
  row("backend",
      text_of(m, "backend") + (text_of(m, "backend_reason").empty() ? "" : " (" + text_of(m, "backend_reason") + ")"));
  row("railcheck", text_of(m, "railcheck_version") + " " + text_of(m, "git_revision"));
  row("command", text_of(m, "command_line"));
  row("records", std::to_string(run.records));
  if (run.summary.is_object())
    row("exit code", text_of(run.summary, "exit_code"));
  else
    row("exit code", "none: the run did not finish (read from its stream)");
  out.close();
}

void banner(HtmlWriter& out, const RunView& run) {
  const VerdictStatus worst = overall(run);
  int counts[4] = {0, 0, 0, 0};
  for (const Verdict& v : run.verdicts) ++counts[static_cast<int>(v.status)];
  std::string failing;
  for (const Verdict& v : run.verdicts) {
    if (v.status == VerdictStatus::kFail && v.component.kind != analysis::ComponentKind::kNode) {
      failing += (failing.empty() ? "" : ", ") + analysis::label(v.component);
    }
  }
  out.open("div", {{"class", "banner banner-" + std::string(analysis::key_of(worst))}, {"id", "outcome"}});
  status_badge(out, worst);
  out.text(" " + std::to_string(counts[3]) + " failing, " + std::to_string(counts[2]) + " warning, " +
           std::to_string(counts[1]) + " passing, " + std::to_string(counts[0]) + " skipped parts");
  if (!failing.empty()) out.text(" \u2014 failing: " + failing);
  out.close();
}

void evidence_list(HtmlWriter& out, const Verdict& v) {
  out.open("ul", {{"class", "evidence"}});
  for (const analysis::Evidence& e : v.evidence) {
    out.open("li");
    out.text(std::string(analysis::key_of(e.status)) + ": " + e.text);
    if (!e.refs.empty()) {
      std::string refs;
      for (std::size_t i = 0; i < e.refs.size() && i < 6; ++i) refs += (i ? "; " : "") + e.refs[i];
      if (e.refs.size() > 6) refs += "; ... " + std::to_string(e.refs.size() - 6) + " more";
      out.element("div", "seen in: " + refs, {{"class", "note"}});
    }
    if (!e.explanation.empty()) out.element("div", "telemetry: " + e.explanation, {{"class", "note"}});
    out.close();
  }
  out.close();
}

void verdict_table(HtmlWriter& out, const RunView& run) {
  std::vector<const Verdict*> bad, good;
  for (const Verdict& v : run.verdicts) {
    (v.status == VerdictStatus::kFail || v.status == VerdictStatus::kWarn ? bad : good).push_back(&v);
  }
  if (run.summary.is_object() && !run.summary.value("problems", json::array()).empty()) {
    out.element("h3", "Problems with the run itself");
    out.open("ul", {{"class", "problems"}});
    for (const json& p : run.summary.at("problems")) out.element("li", p.is_string() ? p.get<std::string>() : p.dump());
    out.close();
  }
  if (!run.verdicts_recorded) {
    out.element("p", "The file holds no verdicts (a run cut short): judged here with the thresholds it recorded.",
                {{"class", "note"}});
  }
  if (run.verdicts.empty()) {
    out.element("p", "No verdicts: nothing in this run could be judged.", {{"class", "note"}});
    return;
  }
  if (bad.empty()) {
    out.element("p", "Every judged part passes.");
  } else {
    out.open("table", {{"class", "verdicts"}});
    out.open("tr")
        .element("th", "status")
        .element("th", "part")
        .element("th", "direction")
        .element("th", "evidence")
        .element("th", "what to do")
        .close();
    for (const Verdict* v : bad) {
      const std::string key(analysis::key_of(v->status));
      out.open("tr", {{"class", "row-" + key},
                      {"data-status", key},
                      {"data-host", v->component.host},
                      {"data-part", analysis::label(v->component)}});
      out.open("td");
      status_badge(out, v->status);
      out.close();
      out.element("td", analysis::label(v->component));
      out.element("td", v->direction.empty() ? "" : analysis::describe_direction(v->component, v->direction));
      out.open("td");
      evidence_list(out, *v);
      out.close();
      out.element("td", v->action, {{"class", "action"}});
      out.close();
    }
    out.close();
  }
  if (!good.empty()) {
    // Thousands of passing links say nothing a person reads: counted, and listed only when few.
    constexpr std::size_t kMaxListedLinks = 200;
    const auto links = std::count_if(
        good.begin(), good.end(), [](const Verdict* v) { return v->component.kind == analysis::ComponentKind::kLink; });
    const bool list_links = static_cast<std::size_t>(links) <= kMaxListedLinks;
    out.open("details");
    out.element("summary",
                std::to_string(good.size()) + " parts pass or were skipped" +
                    (list_links ? "" : " (" + std::to_string(links) + " links among them, not listed here)"));
    out.open("table", {{"class", "verdicts"}});
    for (const Verdict* v : good) {
      if (!list_links && v->component.kind == analysis::ComponentKind::kLink) continue;
      out.open("tr", {{"data-status", std::string(analysis::key_of(v->status))}, {"data-host", v->component.host}});
      out.open("td");
      status_badge(out, v->status);
      out.close();
      out.element("td", analysis::label(v->component));
      out.element("td", v->evidence.empty() ? "" : v->evidence.front().text);
      out.close();
    }
    out.close();
    out.close();
  }
}

std::string matrix_title(const LinkMatrix& m) {
  return (m.test.empty() ? std::string() : m.test + ": ") + m.metric + " @ " + size_label(m.size_bytes) + ", rail " +
         std::to_string(m.rail);
}

// Beyond this many hosts, one bar per host instead of n^2 cells: a 64-host matrix is already 4096 cells per
// rail and metric (docs/bench.md: the report of 64 hosts x 8 rails).
constexpr std::size_t kMaxMatrixHosts = 64;

void link_section(HtmlWriter& out, const RunView& run, const LinkMatrix& m) {
  const RailMarks marks = rail_marks(run.verdicts, m.rail);
  out.element("h3", matrix_title(m));
  int most = 0;
  for (const LinkCell& c : m.cells) most = std::max(most, c.samples + c.failed);
  if (most > 1) {
    out.element("p",
                "each cell: the median of up to " + std::to_string(most) +
                    " measurements (a soak's intervals; the soak timelines below show them over time)",
                {{"class", "note"}});
  }
  if (m.hosts.size() > kMaxMatrixHosts) {
    // Too many hosts for a readable matrix: each host's median over its links.
    std::map<std::string, std::vector<double>> per_host;
    for (const LinkCell& c : m.cells) {
      if (c.samples == 0) continue;
      per_host[c.src].push_back(c.value);
      per_host[c.dst].push_back(c.value);
    }
    std::vector<Bar> bars;
    for (auto& [host, values] : per_host) {
      const double mid = analysis::median(values);
      bars.push_back({host, mid, host + ": median of " + std::to_string(values.size()) + " links " + figure(mid), host,
                      marks.failing.contains(host)});
    }
    std::sort(bars.begin(), bars.end(),
              [&](const Bar& a, const Bar& b) { return m.higher_is_better ? a.value < b.value : a.value > b.value; });
    out.element("p",
                std::to_string(m.hosts.size()) +
                    " hosts: each host's median link, worst first (the full "
                    "matrix is in the results file)",
                {{"class", "note"}});
    bar_chart(out, bars, m.higher_is_better ? "GB/s" : "us");
    return;
  }
  out.element("p",
              std::string("rows send, columns receive; colour: share of the rail's median (") + figure(m.reference) +
                  (m.higher_is_better ? " GB/s" : " us") +
                  "), green at 100 %, amber at 70 %, red at 40 % and below; black: failed; outlined red: a "
                  "failing host's links (thick: a failing link). Hover a cell for its numbers.",
              {{"class", "note"}});
  heatmap(out, m, marks.failing, marks.warning);
}

LineChart size_chart(const std::vector<std::pair<const SizeSeries*, std::string>>& series) {
  LineChart chart;
  chart.y_label = "busbw GB/s";
  chart.x_label = "message size";
  chart.log2_x = true;
  chart.x_tick = [](double x) { return size_label(static_cast<std::size_t>(x)); };
  static constexpr const char* kColours[] = {"#1f5fa8", "#8a3ffc", "#007d79", "#b28600", "#9f1853"};
  int k = 0;
  for (const auto& [s, prefix] : series) {
    ChartSeries line;
    line.name = prefix + s->test_key + " " + s->group + (s->in_place ? " in-place" : "");
    line.colour = kColours[k++ % 5];
    line.dashed = prefix.starts_with("before");
    for (const SizePoint& p : s->points) {
      line.points.push_back({static_cast<double>(p.size_bytes), p.busbw_gbps, p.busbw_gbps, p.busbw_gbps,
                             prefix + size_label(p.size_bytes) + ": busbw " + figure(p.busbw_gbps) + " GB/s, algbw " +
                                 figure(p.algbw_gbps) + " GB/s, " + figure(p.time_us) + " us" +
                                 (p.wrong_elements > 0 ? ", " + std::to_string(p.wrong_elements) + " WRONG" : "")});
    }
    chart.series.push_back(std::move(line));
  }
  return chart;
}

void size_table(HtmlWriter& out, const SizeSeries& s) {
  out.open("details");
  out.element("summary", std::string("nccl-tests columns, ") + (s.in_place ? "in-place" : "out-of-place"));
  out.open("table", {{"class", "sizes"}});
  out.open("tr");
  for (const char* h : {"size (B)", "count (elements)", "time (us)", "algbw (GB/s)", "busbw (GB/s)", "#wrong"}) {
    out.element("th", h);
  }
  out.close();
  for (const SizePoint& p : s.points) {
    out.open("tr");
    out.element("td", std::to_string(p.size_bytes), {{"class", "num"}});
    out.element("td", std::to_string(p.count), {{"class", "num"}});
    out.element("td", figure(p.time_us), {{"class", "num"}});
    out.element("td", figure(p.algbw_gbps), {{"class", "num"}});
    out.element("td", figure(p.busbw_gbps), {{"class", "num"}});
    out.element("td", std::to_string(p.wrong_elements), {{"class", "num"}});
    out.close();
  }
  out.close();
  out.close();
}

void spread_section(HtmlWriter& out, const RunView& run, const RankSpread& s) {
  out.element("h3", s.test_key + " " + s.group + (s.in_place ? " in-place" : "") + " @ " + size_label(s.size_bytes) +
                        ": each rank's time");
  std::vector<Bar> bars;
  for (const RankTime& r : s.ranks) {
    bars.push_back({"r" + std::to_string(r.rank) + " " + r.host, r.time_us,
                    "rank " + std::to_string(r.rank) + " on " + r.host + ": " + figure(r.time_us) + " us" +
                        (r.wrong_elements > 0 ? ", " + std::to_string(r.wrong_elements) + " wrong elements" : ""),
                    r.host, run.failing_hosts.contains(r.host)});
  }
  bar_chart(out, bars, "time (us)");
}

// Markers on a soak chart: where the verdicts say a drift began or a dip was worst, and intervals whose
// telemetry shows something besides traffic.
std::vector<ChartMarker> soak_markers(const RunView& run, const std::set<std::string>& hosts) {
  std::vector<ChartMarker> markers;
  for (const Verdict& v : run.verdicts) {
    if (v.status != VerdictStatus::kFail && v.status != VerdictStatus::kWarn) continue;
    for (const analysis::Evidence& e : v.evidence) {
      if (e.interval < 0) continue;
      markers.push_back({static_cast<double>(e.interval),
                         analysis::label(v.component) + ": " + e.text +
                             (e.explanation.empty() ? "" : " (telemetry: " + e.explanation + ")"),
                         v.status == VerdictStatus::kFail ? kFailColour : kWarnColour});
    }
  }
  for (const TelemetryNote& t : run.telemetry) {
    if (!hosts.empty() && !hosts.contains(t.host)) continue;
    std::string text = "interval " + std::to_string(t.interval) + " on " + t.host + ":";
    for (const std::string& c : t.counters) text += " " + c + ";";
    markers.push_back({static_cast<double>(t.interval), text, "#7a4ea8"});
  }
  return markers;
}

void soak_section(HtmlWriter& out, const RunView& run) {
  std::map<std::string, std::vector<const Timeline*>> charts;
  for (const Timeline& t : run.timelines) charts[t.chart].push_back(&t);
  std::map<int, double> interval_start;
  for (const Timeline& t : run.timelines) {
    for (const TimelinePoint& p : t.points) {
      if (p.start_unix_s > 0 && (!interval_start.contains(p.interval) || p.start_unix_s < interval_start[p.interval])) {
        interval_start[p.interval] = p.start_unix_s;
      }
    }
  }
  for (const auto& [title, lines] : charts) {
    out.element("h3", title);
    LineChart chart;
    chart.y_label = "GB/s";
    chart.x_label = "soak interval (start time in each point's tooltip)";
    chart.legend = lines.size() <= 16;
    chart.x_tick = [](double x) { return std::to_string(static_cast<int>(x)); };
    std::set<std::string> hosts;
    for (const Timeline* t : lines) {
      ChartSeries s;
      s.name = t->name;
      s.host = t->host;
      s.marked = !t->host.empty() && run.failing_hosts.contains(t->host);
      s.colour = s.marked ? kFailColour : (t->host.empty() ? "#1f5fa8" : "#8c8c8c");
      if (!t->host.empty()) hosts.insert(t->host);
      for (const TimelinePoint& p : t->points) {
        // A group's line shows its passes' range; a host's many lines only their medians.
        const bool band = t->host.empty();
        s.points.push_back({static_cast<double>(p.interval), p.value, band ? p.low : p.value, band ? p.high : p.value,
                            t->name + ", interval " + std::to_string(p.interval) + " (" +
                                utc(interval_start.contains(p.interval) ? interval_start[p.interval] : p.start_unix_s) +
                                "): median " + figure(p.value) + ", min " + figure(p.low) + ", max " + figure(p.high)});
      }
      chart.series.push_back(std::move(s));
    }
    chart.markers = soak_markers(run, hosts);
    line_chart(out, chart);
  }
  if (!run.telemetry.empty()) {
    out.element("h3", "Telemetry per interval (besides traffic)");
    out.open("table", {{"class", "telemetry"}});
    out.open("tr")
        .element("th", "interval")
        .element("th", "began")
        .element("th", "host")
        .element("th", "what grew")
        .close();
    for (const TelemetryNote& t : run.telemetry) {
      std::string counters;
      for (const std::string& c : t.counters) counters += (counters.empty() ? "" : "; ") + c;
      out.open("tr", {{"data-host", t.host}});
      out.element("td", std::to_string(t.interval), {{"class", "num"}});
      out.element("td", utc(t.start_unix_s));
      out.element("td", t.host);
      out.element("td", counters);
      out.close();
    }
    out.close();
  }
}

// Hosts down, GPUs across: each GPU's single-GPU checks, a failing or warning GPU's row marked.
void gpu_check_section(HtmlWriter& out, const RunView& run) {
  std::set<std::string> metrics;
  for (const GpuChecks& g : run.gpu_checks) {
    for (const auto& [metric, value] : g.values) metrics.insert(metric);
  }
  std::map<std::pair<std::string, int>, VerdictStatus> status;
  for (const Verdict& v : run.verdicts) {
    if (v.component.kind == analysis::ComponentKind::kGpu) status[{v.component.host, v.component.gpu}] = v.status;
  }
  out.open("table", {{"class", "gpu-checks"}});
  out.open("tr").element("th", "GPU").element("th", "verdict");
  for (const std::string& m : metrics) out.element("th", m);
  out.close();
  for (const GpuChecks& g : run.gpu_checks) {
    const auto found = status.find({g.host, g.gpu});
    const VerdictStatus s = found == status.end() ? VerdictStatus::kPass : found->second;
    const std::string key(analysis::key_of(s));
    out.open("tr", {{"class", "row-" + key}, {"data-host", g.host}, {"data-gpu", std::to_string(g.gpu)}});
    out.element("td", g.host + " GPU " + std::to_string(g.gpu));
    out.open("td");
    if (found != status.end()) status_badge(out, s);
    out.close();
    for (const std::string& m : metrics) {
      const auto value = g.values.find(m);
      out.element("td", value == g.values.end() ? "" : figure(value->second), {{"class", "num"}});
    }
    out.close();
  }
  out.close();
}

// Per fabric test, every flow by stage with its rate, retransmits and route; a flow over a failing fabric link is a
// red row with that link in bold.
void fabric_section(HtmlWriter& out, const RunView& run) {
  std::map<std::string, std::vector<const analysis::FabricFlowSample*>> by_test;
  for (const analysis::FabricFlowSample& f : run.fabric_flows) by_test[f.test].push_back(&f);
  for (auto& [test, flows] : by_test) {
    std::stable_sort(flows.begin(), flows.end(), [](const auto* a, const auto* b) { return a->stage < b->stage; });
    out.element("h3", "fabric test " + test);
    out.open("table", {{"class", "fabric-flows"}, {"data-test", test}});
    out.open("tr").element("th", "stage").element("th", "flow").element("th", "GB/s").element("th", "retransmitted");
    out.element("th", "route (directed links, in order)").close();
    for (const analysis::FabricFlowSample* f : flows) {
      const bool over_failing = std::any_of(f->route.begin(), f->route.end(), [&](const std::string& link) {
        return run.failing_fabric_links.contains(link);
      });
      out.open("tr", {{"class", over_failing ? "row-fail" : "row-pass"}});
      out.element("td", std::to_string(f->stage), {{"class", "num"}});
      out.element("td", f->src_host + " -> " + f->dst_host);
      out.element("td", f->ok ? figure(f->gbps) : "failed", {{"class", "num"}});
      out.element("td", f->loss_rate ? figure(100.0 * *f->loss_rate) + " %" : "", {{"class", "num"}});
      out.open("td");
      for (std::size_t i = 0; i < f->route.size(); ++i) {
        if (i > 0) out.text(" \u00b7 ");
        if (run.failing_fabric_links.contains(f->route[i])) {
          out.element("strong", f->route[i], {{"class", "failing-link"}});
        } else {
          out.text(f->route[i]);
        }
      }
      out.close().close();
    }
    out.close();
  }
}

void contents(HtmlWriter& out, const RunView& run) {
  out.open("p", {{"class", "note"}});
  out.text("Sections: verdicts");
  if (!run.matrices.empty()) out.text(" \u00b7 links per rail");
  if (!run.collectives.empty()) out.text(" \u00b7 bandwidth against size \u00b7 ranks' spread");
  if (!run.gpu_checks.empty()) out.text(" \u00b7 single-GPU checks");
  if (!run.timelines.empty()) out.text(" \u00b7 soak timelines");
  if (!run.fabric_flows.empty()) out.text(" \u00b7 fabric stages");
  out.close();
}

void one_run_sections(HtmlWriter& out, const RunView& run) {
  out.element("h2", "Verdicts", {{"id", "verdicts"}});
  verdict_table(out, run);
  if (!run.matrices.empty()) {
    out.element("h2", "Links per rail", {{"id", "links"}});
    for (const LinkMatrix& m : run.matrices) link_section(out, run, m);
  }
  if (!run.collectives.empty()) {
    out.element("h2", "Bandwidth against size", {{"id", "collectives"}});
    for (const SizeSeries& s : run.collectives) {
      if (s.in_place) continue;  // drawn with its out-of-place series
      out.element("h3", s.test_key + " on " + s.group + " (" + std::to_string(s.nranks) + " ranks)" +
                            (s.test.empty() ? "" : ", test " + s.test));
      std::vector<std::pair<const SizeSeries*, std::string>> lines = {{&s, ""}};
      for (const SizeSeries& other : run.collectives) {
        if (other.in_place && other.test == s.test && other.test_key == s.test_key && other.group == s.group) {
          lines.push_back({&other, ""});
        }
      }
      line_chart(out, size_chart(lines));
      for (const auto& line : lines) size_table(out, *line.first);
    }
    out.element("h2", "Ranks' spread", {{"id", "ranks"}});
    for (const RankSpread& s : run.spreads) {
      if (!s.in_place) spread_section(out, run, s);
    }
  }
  if (!run.gpu_checks.empty()) {
    out.element("h2", "Single-GPU checks", {{"id", "gpus"}});
    out.element("p", "each GPU's median per check (bandwidth in GB/s, GEMM in TFLOP/s)", {{"class", "note"}});
    gpu_check_section(out, run);
  }
  if (!run.timelines.empty()) {
    out.element("h2", "Soak timelines", {{"id", "soak"}});
    out.element("p",
                "Dashed lines: red where a verdict says a drift began or a dip was worst, purple where the "
                "telemetry of that interval shows something besides traffic (hover for what).",
                {{"class", "note"}});
    soak_section(out, run);
  }
  if (!run.fabric_flows.empty()) {
    out.element("h2", "Fabric stages", {{"id", "fabric"}});
    out.element("p",
                "Every flow of a stage ran at once, each over links no other flow of the stage used; a red row "
                "crossed a failing fabric link (bold).",
                {{"class", "note"}});
    fabric_section(out, run);
  }
}

void footer(HtmlWriter& out) {
  out.element("p",
              "Written by railcheck: one file, no scripts, no requests (Content-Security-Policy: " +
                  std::string(kReportPolicy) + ").",
              {{"class", "note"}, {"id", "footer"}});
}

}  // namespace

std::string render_report(const RunView& run) {
  HtmlWriter out;
  const VerdictStatus worst = overall(run);
  page_head(out, "railcheck " + status_word(worst) + ": " + run_name(run));
  out.element("h1", "railcheck: " + run_name(run));
  banner(out, run);
  contents(out, run);
  run_facts(out, run);
  one_run_sections(out, run);
  footer(out);
  return out.finish();
}

std::string render_comparison(const RunView& before, const RunView& after, const analysis::Comparison& comparison) {
  HtmlWriter out;
  page_head(out, "railcheck: " + run_name(before) + " vs " + run_name(after));
  out.element("h1", "railcheck: two runs side by side");
  out.open("div", {{"class", "pair"}});
  for (const auto& [run, side] : {std::pair{&before, "before"}, std::pair{&after, "after"}}) {
    out.open("div", {{"class", "side"}, {"data-side", side}});
    out.element("h2", std::string(side) + ": " + run_name(*run));
    banner(out, *run);
    run_facts(out, *run);
    out.close();
  }
  out.close();

  out.element("h2", "What changed", {{"id", "changes"}});
  out.element("p", std::to_string(comparison.count(analysis::VerdictChange::kNewlyFailing)) + " parts newly fail, " +
                       std::to_string(comparison.count(analysis::VerdictChange::kFixed)) + " fixed; " +
                       std::to_string(comparison.count(analysis::ValueChange::kRegressed)) + " values regressed, " +
                       std::to_string(comparison.count(analysis::ValueChange::kBetter)) + " better (tolerance " +
                       figure(comparison.tolerance * 100) + " %)");
  if (!comparison.verdicts.empty()) {
    out.open("table", {{"class", "verdict-changes"}});
    out.open("tr")
        .element("th", "change")
        .element("th", "part")
        .element("th", "before")
        .element("th", "after")
        .element("th", "evidence")
        .close();
    for (const analysis::ComparedVerdict& v : comparison.verdicts) {
      out.open("tr", {{"data-change", std::string(analysis::key_of(v.change))}, {"data-host", v.component.host}});
      out.element("td", std::string(analysis::key_of(v.change)));
      out.element("td", analysis::label(v.component));
      out.element("td", v.old_status ? status_word(*v.old_status) : "not judged");
      out.element("td", v.new_status ? status_word(*v.new_status) : "not judged");
      out.element("td", v.evidence);
      out.close();
    }
    out.close();
  }
  std::vector<const analysis::ComparedValue*> moved;
  for (const analysis::ComparedValue& v : comparison.values) {
    if (v.change == analysis::ValueChange::kRegressed || v.change == analysis::ValueChange::kBetter)
      moved.push_back(&v);
  }
  if (!moved.empty()) {
    out.open("table", {{"class", "value-changes"}});
    out.open("tr")
        .element("th", "change")
        .element("th", "measurement")
        .element("th", "before")
        .element("th", "after")
        .element("th", "after / before")
        .close();
    for (std::size_t i = 0; i < moved.size() && i < 200; ++i) {
      const analysis::ComparedValue& v = *moved[i];
      out.open("tr", {{"data-change", std::string(analysis::key_of(v.change))}});
      out.element("td", std::string(analysis::key_of(v.change)));
      out.element("td", v.key);
      out.element("td", v.old_value ? figure(*v.old_value) : "", {{"class", "num"}});
      out.element("td", v.new_value ? figure(*v.new_value) : "", {{"class", "num"}});
      out.element("td", figure(v.ratio), {{"class", "num"}});
      out.close();
    }
    out.close();
    if (moved.size() > 200)
      out.element("p", std::to_string(moved.size() - 200) + " more in `railcheck compare`", {{"class", "note"}});
  }

  out.element("h2", "Verdicts", {{"id", "verdicts"}});
  out.open("div", {{"class", "pair"}});
  for (const RunView* run : {&before, &after}) {
    out.open("div", {{"class", "side"}});
    verdict_table(out, *run);
    out.close();
  }
  out.close();

  // Matrices of the same test, metric and rail beside each other; one only one run has, alone on its side.
  std::set<std::tuple<std::string, std::string, int>> keys;
  for (const RunView* run : {&before, &after}) {
    for (const LinkMatrix& m : run->matrices) keys.insert({m.test, m.metric, m.rail});
  }
  if (!keys.empty()) out.element("h2", "Links per rail", {{"id", "links"}});
  for (const auto& key : keys) {
    out.open("div", {{"class", "pair"}});
    for (const RunView* run : {&before, &after}) {
      out.open("div", {{"class", "side"}});
      const auto m = std::find_if(run->matrices.begin(), run->matrices.end(), [&](const LinkMatrix& x) {
        return std::tuple{x.test, x.metric, x.rail} == key;
      });
      if (m != run->matrices.end())
        link_section(out, *run, *m);
      else
        out.element("p", "not measured in this run", {{"class", "note"}});
      out.close();
    }
    out.close();
  }

  std::set<std::tuple<std::string, std::string>> series_keys;
  for (const RunView* run : {&before, &after}) {
    for (const SizeSeries& s : run->collectives) {
      if (!s.in_place) series_keys.insert({s.test_key, s.group});
    }
  }
  if (!series_keys.empty()) out.element("h2", "Bandwidth against size", {{"id", "collectives"}});
  for (const auto& key : series_keys) {
    std::vector<std::pair<const SizeSeries*, std::string>> lines;
    for (const auto& [run, prefix] : {std::pair{&before, "before: "}, std::pair{&after, "after: "}}) {
      for (const SizeSeries& s : run->collectives) {
        if (!s.in_place && std::tuple{s.test_key, s.group} == key) lines.push_back({&s, prefix});
      }
    }
    out.element("h3", std::get<0>(key) + " on " + std::get<1>(key) + " (dashed: before)");
    line_chart(out, size_chart(lines));
  }
  if (!before.timelines.empty() || !after.timelines.empty()) {
    out.element("h2", "Soak timelines", {{"id", "soak"}});
    out.open("div", {{"class", "pair"}});
    for (const RunView* run : {&before, &after}) {
      out.open("div", {{"class", "side"}});
      soak_section(out, *run);
      out.close();
    }
    out.close();
  }
  footer(out);
  return out.finish();
}

}  // namespace railcheck::report
