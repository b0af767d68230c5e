// A soak records one record per test, size and part per interval, not one per pass: the interval's median pass
// (its full record) with this summary of every pass it stands for (schema 1.3, "passes").
#pragma once

#include <optional>
#include <string>

#include <nlohmann/json.hpp>

namespace railcheck {

struct PassSummary {
  std::string of;  ///< the figure summarized: "busbw_gbps", "bw_gbps" or "lat_us.typical"
  int count = 0;   ///< passes of the interval this record stands for
  int failed = 0;  ///< of those, transfers that failed (p2p) or results found wrong (collectives: their records
                   ///< stream on their own as well)
  std::optional<double> min, mean, max;  ///< over the passes that measured (absent when none did)
  /// The median of every pass's figure, the middle two averaged for an even count; a failed transfer counts as
  /// 0 where higher is better (bandwidth) and is left out where lower is (latency). What the analysis judges
  /// the interval by (the record itself is one real pass, the lower middle one). Absent when nothing counts.
  std::optional<double> median;
  double start_unix_s = 0.0;  ///< the first pass's start
  double end_unix_s = 0.0;    ///< the last pass's end
};

/// How a soak folds one pass of a kind it repeats (output/interval_summary.h); each such kind's file defines
/// `SoakFold soak_fold(const <Kind>Record&)`.
struct SoakFold {
  std::string key;               ///< what stays the same from pass to pass: one record per key and interval
  std::string figure_name;       ///< PassSummary::of
  std::optional<double> figure;  ///< the pass's figure; nullopt when it measured nothing (failed, skipped)
  bool higher_is_better = true;
  bool failed = false;         ///< a transfer that failed, or a result found wrong
  bool streams_alone = false;  ///< also kept as a record of its own (a result found wrong: evidence)
};

nlohmann::json to_json(const PassSummary& summary);
PassSummary pass_summary_from_json(const nlohmann::json& json);

}  // namespace railcheck
