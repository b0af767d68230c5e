// Two runs side by side, for nightly regression (`railcheck compare OLD.json NEW.json`): every measurement
// both runs took, keyed by (metric, size, part), with its ratio and delta; what is new, missing, better or
// regressed; and which parts newly fail or were fixed. Pure: the command reads the files and prints.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "railcheck/analysis/samples.h"
#include "railcheck/analysis/verdict.h"

namespace railcheck::analysis {

enum class ValueChange { kSame, kBetter, kRegressed, kNew, kMissing };
std::string_view key_of(ValueChange change);  // "same", "better", "regressed", "new", "missing"

/// One measurement key in one or both runs. A run's value is the median of its samples under the key (several
/// with -N cycles or a soak's intervals; a failed transfer counts 0).
struct ComparedValue {
  std::string key;     ///< "<metric> @ <size> B <where>": what identifies it across runs
  std::string metric;  ///< "all_reduce.float.sum busbw_gbps", "p2p.bw bw_gbps", ...
  std::size_t size_bytes = 0;
  std::string where;  ///< "world (4 ranks)", "node1(eth0) -> node3(eth0) rail 0", "node2 GPU 1"
  bool higher_is_better = true;
  std::optional<double> old_value, new_value;
  double ratio = 0.0;  ///< new / old (both present and old > 0; else 0, and null in JSON)
  double delta = 0.0;  ///< new - old
  ValueChange change = ValueChange::kSame;
};

enum class VerdictChange { kNewlyFailing, kFixed, kNewlyWarning, kStillFailing, kNotJudged };
std::string_view key_of(VerdictChange change);  // "newly_failing", "fixed", "newly_warning", "still_failing",
                                                // "not_judged"

/// A part whose verdict is not the same pass / skip in both runs.
struct ComparedVerdict {
  ComponentId component;
  std::optional<VerdictStatus> old_status, new_status;  ///< nullopt: not judged in that run
  VerdictChange change = VerdictChange::kStillFailing;
  std::string evidence;  ///< the new run's worst evidence text (the old run's for a part judged only there)
};

struct Comparison {
  double tolerance = 0.05;
  std::vector<ComparedValue> values;      ///< regressed first (worst ratio first), then better, new, missing, same
  std::vector<ComparedVerdict> verdicts;  ///< newly failing first
  int count(ValueChange change) const;
  int count(VerdictChange change) const;
  /// 1 (kExitDegraded) when a value regressed or a part newly fails; else 0.
  int exit_code() const;
};

/// Compares two runs' samples and verdicts. A value regresses when it is worse than the old one by more than
/// `tolerance` (a share: 0.05 = 5 %) in its own sense (bandwidth down, latency up), and is better when it is
/// better by more. Re-test samples are left out (they are the analysis's, not a measurement of the run).
Comparison compare_runs(const Samples& old_samples, const std::vector<Verdict>& old_verdicts,
                        const Samples& new_samples, const std::vector<Verdict>& new_verdicts, double tolerance);

nlohmann::json to_json(const Comparison& comparison);
/// Regressions, verdict changes and the counts, for the console.
void print_comparison(std::ostream& out, const Comparison& comparison);

}  // namespace railcheck::analysis
