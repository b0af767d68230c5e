// The console of a soak: one line per test (and size, placement or op) per interval instead of a table per pass
// (a 4-hour soak runs thousands of passes): the median and the lowest figure of the interval, what was wrong
// or failed, and for p2p the slowest link.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "railcheck/plan/p2p_options.h"
#include "railcheck/record/record.h"

namespace railcheck {

class SoakSummary {
 public:
  /// Gathers a record of a soak (one with an interval); records of other intervals go on gathering under
  /// theirs, so the caller takes the lines when an interval changes.
  void add(const Record& record);
  /// The interval being gathered, if any record was added since the last take_lines().
  std::optional<int> interval() const { return interval_; }
  /// One "# interval N ..." line per test and size (collectives: busbw; p2p: bandwidth or latency per op; GPU
  /// checks: their figure), in the order the tests first appeared; then forgets them.
  std::vector<std::string> take_lines(BandwidthUnit unit);

 private:
  struct Line {
    std::string label;             ///< "all_reduce 1 MiB out-of-place", "soak_links p2p bw 1 MiB"
    std::string metric;            ///< unit for format_value ("busbw_gbps", "lat_us", "tflops")
    std::vector<double> values;    ///< every record's figure (a soak's record: its interval's median pass)
    int passes = 0;                ///< the passes those records stand for
    std::int64_t wrong = 0;        ///< elements (collectives) or checks (GPU) found wrong
    int failed = 0;                ///< p2p transfers in error
    std::string lowest_where;      ///< p2p: the link with the lowest bandwidth (highest latency)
    std::optional<double> lowest;  ///< the worst pass
    bool higher_is_better = true;
  };
  Line& line(const std::string& label, const std::string& metric, bool higher_is_better);
  /// Adds a record's figure (none: its interval's median pass failed), the passes it stands for and its worst
  /// measured pass; true when that pass is the line's worst.
  static bool add_figure(Line& l, std::optional<double> figure, const std::optional<PassSummary>& passes);
  void add(const CollectiveRecord& r);
  void add(const P2pRecord& r);
  void add(const GpuCheckRecord& r);

  std::optional<int> interval_;
  std::vector<std::string> order_;
  std::map<std::string, Line> lines_;
};

}  // namespace railcheck
