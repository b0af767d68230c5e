// The analysis pipeline: samples (and the check results of records) in, verdicts out. The same code runs at
// the end of `railcheck run`, in `railcheck analyze` on a saved results file, and in the simulator.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "railcheck/analysis/baseline.h"
#include "railcheck/analysis/pair_matrix.h"
#include "railcheck/analysis/samples.h"
#include "railcheck/analysis/thresholds.h"
#include "railcheck/analysis/verdict.h"

namespace railcheck::analysis {

/// Findings from the records themselves, not their speed: every rank with wrong elements in a collective
/// check fails its GPU (source "check"), every failed p2p transfer is evidence on its link. Pure.
std::vector<Finding> check_findings(const nlohmann::json& records);

/// The second-pass plan for a first pass: re-tests of the pair-matrix suspects (empty when nothing is
/// suspect). Only first-pass link samples are looked at.
std::vector<RetestPair> plan_second_pass(const Samples& samples, const AnalysisOptions& options);

/// One root cause per fault: a failing or warning link one of whose end NICs fails (in any metric or size) is
/// set to pass, its evidence saying which NIC explains it, so the console does not tell the operator to
/// check a cable and drain the node for the same slowness. Links with healthy ends are left as they are.
void explain_links_by_failing_nics(std::vector<Finding>& findings);

/// The pipeline on samples: a soak's samples (interval >= 0) judged over time (soak_drift.h), the others:
/// pair-matrix findings (confirmed by the re-test samples when there are any),
/// fleet outliers of unit samples, baseline comparison when `baseline` is given, then
/// explain_links_by_failing_nics(). analyze_records() runs it on a results document's samples; the
/// simulator runs it on modelled samples, so both judge with the same code.
std::vector<Finding> sample_findings(const Samples& samples, const AnalysisOptions& options, const Baseline* baseline,
                                     std::vector<Finding> extra = {});

/// Everything a results document shows, one verdict per component: pair-matrix findings (confirmed by the
/// re-test samples when there are any), fleet outliers of unit samples, baseline comparison when `baseline`
/// is given, check_findings, inventory_findings of `manifest` (null: none), and bisection_findings
/// (confirmed or explained by all the others). Throws std::invalid_argument naming the record and field
/// when the document is malformed.
std::vector<Verdict> analyze_records(const nlohmann::json& records, const AnalysisOptions& options,
                                     const Baseline* baseline, const nlohmann::json& manifest = nullptr);

/// analyze_records on a results document (read_results_file) judged with `options`; a malformed record is an
/// InputError naming `source`, the record and the field.
std::vector<Verdict> judge_results(const nlohmann::json& document, const std::string& source,
                                   const AnalysisOptions& options, const Baseline* baseline);

/// The thresholds a run recorded with its verdicts ("analysis.options"), or the defaults when it recorded none.
AnalysisOptions recorded_thresholds(const nlohmann::json& document, const std::string& source);

/// The verdicts a saved run recorded; a document without them (a killed run's stream) is judged again with the
/// thresholds it recorded. Throws InputError naming `source` and the verdict that cannot be read.
std::vector<Verdict> recorded_or_judged_verdicts(const nlohmann::json& document, const std::string& source);

/// Verdicts as results.json keeps them (array of $defs/verdict).
nlohmann::json verdicts_json(const std::vector<Verdict>& verdicts);

}  // namespace railcheck::analysis
