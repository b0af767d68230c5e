// What the watchdog saw when it ended a job: the results.jsonl line {"type": "watchdog", ...}
// (results-schema $defs/stream_watchdog) and the console's diagnosis.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace railcheck {

/// One rank the watchdog lost: never arrived in the stuck step, or stopped reporting.
struct LostRank {
  int rank = 0;
  std::string host;
  int pid = 0;
  std::string state;       ///< "never reported", "stopped reporting", "outside the step", ...
  std::string last_step;   ///< the last step it reported ("" none)
  double silent_s = -1.0;  ///< seconds since it was last heard (-1: never heard)
};

/// What the watchdog saw when it ended a job.
struct WatchdogReport {
  std::string text;       ///< the multi-line diagnosis for the console
  std::string step;       ///< the step that did not complete
  int reporter = 0;       ///< the rank that wrote it (0, or a member that lost rank 0)
  double waited_s = 0.0;  ///< how long the step had run
  double timeout_s = 0.0;
  std::vector<LostRank> lost;  ///< the ranks it stopped hearing from (or, when none is silent, those behind)
  std::vector<int> waiting;    ///< ranks behind the step but still reporting while others went silent
};
/// The results.jsonl line for a report: {"type": "watchdog", ...} (results-schema: stream_watchdog).
nlohmann::json to_json(const WatchdogReport& report);

}  // namespace railcheck
