#include "railcheck/analysis/analyze.h"

#include <set>
#include <stdexcept>

#include "field_reader.h"
#include "railcheck/analysis/analysis_options.h"
#include "railcheck/analysis/bisection_findings.h"
#include "railcheck/analysis/fabric_counters.h"
#include "railcheck/analysis/fabric_flows.h"
#include "railcheck/analysis/fleet_outliers.h"
#include "railcheck/analysis/inventory.h"
#include "railcheck/analysis/soak_drift.h"
#include "railcheck/analysis/telemetry_rules.h"
#include "railcheck/core/error.h"
#include "railcheck/record/record_kinds.h"

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
    const std::string where = "records[" + std::to_string(i) + "]";
    const FieldReader r(records[i], where);
    if (is_kind(r.optional_string("kind", std::string(kUnnamedRecordKind)), LineType::kGpuCheck)) {
      const std::string status = r.string("status");
      if (status != "wrong" && status != "error") continue;
      Finding f;
      f.component = make_gpu(r.string("host"), r.integer("device"));
      f.status = VerdictStatus::kFail;
      Evidence& e = f.evidence;
      e.source = "check";
      e.metric = r.string("test_key") + (status == "wrong" ? " wrong_elements" : " error");
      e.size_bytes = r.size("size_bytes");
      e.expected_from = status == "wrong" ? "exact results" : "a CUDA call that succeeds";
      e.refs.push_back(where);
      if (status == "wrong") {
        e.measured = static_cast<double>(r.integer("wrong"));
        e.text = label(f.component) + ": " + std::to_string(r.integer("wrong")) + " wrong elements in " +
                 r.string("test_key");
      } else {
        e.text = label(f.component) + ": " + r.string("test_key") + " failed: " + r.optional_string("error", "?");
      }
      findings.push_back(std::move(f));
      continue;
    }
    if (r.optional_string("kind", "collective") != "collective" || !r.has("ranks")) continue;
    const json& ranks = r.array("ranks");
    for (std::size_t k = 0; k < ranks.size(); ++k) {
      const FieldReader rank(ranks[k], where + ".ranks[" + std::to_string(k) + "]");
      // -1: the check did not run.
      const std::int64_t wrong = rank.has("wrong_elements") ? rank.integer("wrong_elements") : 0;
      if (wrong <= 0) continue;
      Finding f;
      f.component = make_gpu(rank.string("host"), rank.integer("local_rank"));
      f.status = VerdictStatus::kFail;
      Evidence& e = f.evidence;
      e.source = "check";
      e.metric = r.optional_string("test_key", "?") + " wrong_elements";
      e.size_bytes = r.has("size_bytes") ? r.size("size_bytes") : 0;
      e.measured = static_cast<double>(wrong);
      e.expected = 0.0;
      e.expected_from = "exact results";
      const bool in_place = r.has("in_place") && r.boolean("in_place");
      e.refs.push_back(where + " rank " + std::to_string(rank.has("rank") ? rank.integer("rank") : -1) +
                       (in_place ? " in-place" : " out-of-place"));
      e.text = label(f.component) + ": " + std::to_string(wrong) + " wrong elements in " +
               r.optional_string("test", "?") + " at " + std::to_string(e.size_bytes) + " B";
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

std::vector<Finding> sample_findings(const Samples& all_samples, const AnalysisOptions& options,
                                     const Baseline* baseline, std::vector<Finding> extra) {
  std::vector<Finding> findings = std::move(extra);
  Samples samples = all_samples;
  const Samples soak = take_soak_samples(samples);  // judged over time, not as one pass
  if (!soak.links.empty() || !soak.groups.empty()) {
    const std::vector<Finding> drift = soak_findings(soak, options.soak);
    findings.insert(findings.end(), drift.begin(), drift.end());
  }
  const std::vector<LinkSample> first = first_pass_links(samples);
  if (!first.empty()) {
    const PairMatrixResult matrix = analyze_pair_matrix(first, options.pairs);
    const std::vector<LinkSample> retests = retest_links(samples);
    const std::vector<Finding> pairs = confirm(matrix, first, retests, options.pairs);
    findings.insert(findings.end(), pairs.begin(), pairs.end());
  }
  if (!samples.fabric_flows.empty()) {
    const std::vector<Finding> fabric = fabric_findings(samples.fabric_flows, options.fabric);
    findings.insert(findings.end(), fabric.begin(), fabric.end());
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

std::vector<Verdict> analyze_records(const json& records, const AnalysisOptions& options, const Baseline* baseline,
                                     const json& manifest) {
  std::vector<Finding> extra = check_findings(records);
  for (Finding& finding : inventory_findings(manifest, options.inventory)) extra.push_back(std::move(finding));
  for (Finding& finding : telemetry_findings(records, options.telemetry)) extra.push_back(std::move(finding));
  const Samples samples = samples_from_records(records);
  std::vector<Finding> findings = sample_findings(samples, options, baseline, std::move(extra));
  explain_soak_findings(findings, records);
  if (!samples.fabric_flows.empty()) {
    std::set<std::string> fabric_tests;
    for (const FabricFlowSample& flow : samples.fabric_flows) fabric_tests.insert(flow.test);
    add_nic_link_counter_findings(findings, records, fabric_tests);
  }
  // Bisection suspects are confirmed (or explained) by what the other analyses found.
  const std::vector<Finding> bisected = bisection_findings(records, findings);
  findings.insert(findings.end(), bisected.begin(), bisected.end());
  return combine(findings);
}

std::vector<Verdict> judge_results(const json& document, const std::string& source, const AnalysisOptions& options,
                                   const Baseline* baseline) {
  try {
    return analyze_records(document.at("records"), options, baseline, document.value("manifest", json()));
  } catch (const std::invalid_argument& e) {
    throw InputError(source + ": " + e.what() + "; is this a railcheck results file of schema 1.x?");
  } catch (const json::exception& e) {
    throw InputError(source + ": malformed record (" + e.what() + "); is this a railcheck results file of schema 1.x?");
  }
}

std::vector<Verdict> recorded_or_judged_verdicts(const json& document, const std::string& source) {
  if (!document.contains("verdicts") || !document.at("verdicts").is_array()) {
    return judge_results(document, source, recorded_thresholds(document, source), nullptr);
  }
  std::vector<Verdict> verdicts;
  for (std::size_t i = 0; i < document.at("verdicts").size(); ++i) {
    try {
      verdicts.push_back(verdict_from_json(document.at("verdicts")[i]));
    } catch (const std::exception& e) {
      throw InputError(source + ": verdicts[" + std::to_string(i) + "]: " + e.what() +
                       "; is this a railcheck results file of schema 1.x?");
    }
  }
  return verdicts;
}

AnalysisOptions recorded_thresholds(const json& document, const std::string& source) {
  if (document.contains("analysis") && document.at("analysis").contains("options")) {
    return parse_analysis_options(document.at("analysis").at("options"), source, "analysis.options");
  }
  return {};
}

json verdicts_json(const std::vector<Verdict>& verdicts) {
  json out = json::array();
  for (const Verdict& v : verdicts) out.push_back(to_json(v));
  return out;
}

}  // namespace railcheck::analysis
