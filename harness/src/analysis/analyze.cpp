#include "railcheck/analysis/analyze.h"

#include <set>
#include <stdexcept>

#include "railcheck/analysis/bisection_findings.h"
#include "railcheck/analysis/fleet_outliers.h"

namespace railcheck::analysis {
namespace {

using nlohmann::json;

std::vector<LinkSample> first_pass_links(const Samples& samples) {
  std::vector<LinkSample> links;
  for (const LinkSample& l : samples.links) {
    if (!l.retest) links.push_back(l);
  }
  return links;
}

std::vector<LinkSample> retest_links(const Samples& samples) {
  std::vector<LinkSample> links;
  for (const LinkSample& l : samples.links) {
    if (l.retest) links.push_back(l);
  }
  return links;
}

}  // namespace

std::vector<Finding> check_findings(const json& records) {
  std::vector<Finding> findings;
  if (!records.is_array()) throw std::invalid_argument("records must be an array");
  for (std::size_t i = 0; i < records.size(); ++i) {
    const json& r = records[i];
    if (!r.is_object() || r.value("kind", "collective") != "collective" || !r.contains("ranks")) continue;
    if (!r.at("ranks").is_array()) throw std::invalid_argument("records[" + std::to_string(i) + "].ranks must be an array");
    for (const json& rank : r.at("ranks")) {
      const auto wrong = rank.value("wrong_elements", std::int64_t{0});
      if (wrong <= 0) continue;
      Finding f;
      f.component = make_gpu(rank.value("host", std::string("?")), rank.value("local_rank", -1));
      f.status = VerdictStatus::kFail;
      Evidence& e = f.evidence;
      e.source = "check";
      e.metric = r.value("test_key", std::string("?")) + " wrong_elements";
      e.size_bytes = r.value("size_bytes", std::size_t{0});
      e.measured = static_cast<double>(wrong);
      e.expected = 0.0;
      e.expected_from = "exact results";
      e.refs.push_back("records[" + std::to_string(i) + "] rank " + std::to_string(rank.value("rank", -1)) +
                       (r.value("in_place", false) ? " in-place" : " out-of-place"));
      e.text = label(f.component) + ": " + std::to_string(wrong) + " wrong elements in " +
               r.value("test", std::string("?")) + " at " + std::to_string(e.size_bytes) + " B";
      findings.push_back(std::move(f));
    }
  }
  return findings;
}

std::vector<RetestPair> plan_second_pass(const Samples& samples, const AnalysisOptions& options) {
  const std::vector<LinkSample> links = first_pass_links(samples);
  if (links.empty()) return {};
  return plan_retests(analyze_pair_matrix(links, options.pairs), options.pairs);
}

void explain_links_by_failing_nics(std::vector<Finding>& findings) {
  std::set<ComponentId> failing_nics;
  for (const Finding& f : findings) {
    if (f.component.kind == ComponentKind::kNic && f.status == VerdictStatus::kFail) failing_nics.insert(f.component);
  }
  for (Finding& f : findings) {
    if (f.component.kind != ComponentKind::kLink || f.status < VerdictStatus::kWarn) continue;
    for (const ComponentId& end : {make_nic(f.component.host, f.component.nic, f.component.rail),
                                   make_nic(f.component.peer_host, f.component.peer_nic, f.component.rail)}) {
      if (!failing_nics.contains(end)) continue;
      f.status = VerdictStatus::kPass;
      f.evidence.text += "; explained by " + label(end) + ", which fails";
      break;
    }
  }
}

namespace {

std::vector<Finding> collect_findings(const Samples& samples, const AnalysisOptions& options, const Baseline* baseline,
                                      const std::vector<Finding>& extra) {
  std::vector<Finding> findings = extra;
  const std::vector<LinkSample> first = first_pass_links(samples);
  if (!first.empty()) {
    const PairMatrixResult matrix = analyze_pair_matrix(first, options.pairs);
    const std::vector<LinkSample> retests = retest_links(samples);
    const std::vector<Finding> pairs = confirm(matrix, first, retests, options.pairs);
    findings.insert(findings.end(), pairs.begin(), pairs.end());
  }
  if (!samples.units.empty()) {
    const std::vector<Finding> fleet = fleet_outliers(samples.units, options.fleet);
    findings.insert(findings.end(), fleet.begin(), fleet.end());
  }
  if (baseline != nullptr) {
    const std::vector<Finding> judged = compare_to_baseline(samples, *baseline);
    findings.insert(findings.end(), judged.begin(), judged.end());
  }
  explain_links_by_failing_nics(findings);
  return findings;
}

}  // namespace

std::vector<Verdict> analyze_records(const json& records, const AnalysisOptions& options, const Baseline* baseline) {
  std::vector<Finding> findings = collect_findings(samples_from_records(records), options, baseline, check_findings(records));
  // Bisection suspects are confirmed (or explained) by what the other analyses found.
  const std::vector<Finding> bisected = bisection_findings(records, findings);
  findings.insert(findings.end(), bisected.begin(), bisected.end());
  return combine(findings);
}

json verdicts_json(const std::vector<Verdict>& verdicts) {
  json out = json::array();
  for (const Verdict& v : verdicts) out.push_back(to_json(v));
  return out;
}

}  // namespace railcheck::analysis
