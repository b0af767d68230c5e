// What the HTML report shows of one run, taken out of its results document: the verdicts (as recorded, or
// judged again the way `railcheck analyze` does when the file has none), the link matrices per test, metric
// and rail, bandwidth against size per collective, the ranks' spread at each collective's largest size, and a
// soak's timelines with the telemetry of each interval. Pure: the renderer draws these, nothing else reads
// the document. A fabric test's flows are listed by stage with their routes.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "railcheck/analysis/samples.h"
#include "railcheck/analysis/verdict.h"

namespace railcheck::report {

/// One ordered pair of hosts in a link matrix: the median of its first-pass measurements.
struct LinkCell {
  std::string src, dst;       ///< measured from src to dst (the listening side first for symmetric ops)
  double value = 0.0;         ///< median over the samples that measured
  int samples = 0;            ///< measured samples folded in (a soak's intervals)
  int failed = 0;             ///< transfers that failed
  std::string error;          ///< the first failure's message
  bool failing_link = false;  ///< a failing link verdict covers this direction
};

/// A node x node matrix of one test's metric on one rail.
struct LinkMatrix {
  std::string test;    ///< suite test ("tcp_links"; "" for `railcheck p2p`)
  std::string metric;  ///< "p2p.bw bw_gbps", "p2p.lat lat_us.typical"
  int rail = 0;
  std::size_t size_bytes = 0;
  bool higher_is_better = true;
  std::vector<std::string> hosts;  ///< rows and columns, in the run's host order
  std::vector<LinkCell> cells;
  double reference = 0.0;  ///< the median of every measured cell: what a cell's colour is relative to
};

/// One size of a collective: nccl-tests' columns (medians over a soak's intervals).
struct SizePoint {
  std::size_t size_bytes = 0;
  std::int64_t count = 0;
  double time_us = 0.0;
  double algbw_gbps = 0.0;
  double busbw_gbps = 0.0;
  std::int64_t wrong_elements = 0;  ///< summed over every record of this size
  int records = 0;
};

/// Bandwidth against size for one collective test on one communicator.
struct SizeSeries {
  std::string test;       ///< suite entry name
  std::string test_key;   ///< "all_reduce.float.sum"
  std::string group;      ///< "world", "rail0", ...
  bool in_place = false;  ///< nccl-tests' in-place columns (a series of its own)
  int nranks = 0;
  std::vector<SizePoint> points;  ///< by size
};

struct RankTime {
  int rank = 0;
  std::string host;
  double time_us = 0.0;
  std::int64_t wrong_elements = 0;
};

/// Every rank's mean time at one collective's largest size (the last interval's in a soak).
struct RankSpread {
  std::string test, test_key, group;
  bool in_place = false;
  std::size_t size_bytes = 0;
  std::vector<RankTime> ranks;
};

/// One soak interval of one line.
struct TimelinePoint {
  int interval = 0;
  double start_unix_s = 0.0;     ///< the interval's first measurement (0: not recorded)
  double value = 0.0;            ///< the median
  double low = 0.0, high = 0.0;  ///< the passes' min and max (the value itself when not recorded)
};

/// A soak figure over the intervals: a collective's busbw at its largest size, or one host's median link
/// bandwidth on a rail.
struct Timeline {
  std::string chart;  ///< the chart it belongs to ("all_reduce.float.sum busbw_gbps @ 16 MiB world")
  std::string name;   ///< the line ("world", or the host)
  std::string host;   ///< the host of a per-host line; "" for a group's
  bool higher_is_better = true;
  std::vector<TimelinePoint> points;
};

/// What the telemetry of one soak interval shows on one host besides traffic.
struct TelemetryNote {
  int interval = 0;
  std::string host;
  double start_unix_s = 0.0;
  std::vector<std::string> counters;  ///< "eth0 carrier_changes +2", "gpu 0 clocks_event_hw_slowdown held 3 reads"
};

/// One GPU's single-GPU checks (gpu-check records): each metric's median, by metric.
struct GpuChecks {
  std::string host;
  int gpu = 0;
  std::map<std::string, double> values;  ///< "gpu.hbm_copy bw_gbps" -> 2900.5
};

/// One run as the report shows it.
struct RunView {
  std::string source;       ///< the file it was read from
  nlohmann::json manifest;  ///< results-schema $defs/manifest (object; empty when a stream had none)
  nlohmann::json summary;   ///< $defs/summary, or null (a stream cut short)
  std::vector<analysis::Verdict> verdicts;
  bool verdicts_recorded = false;  ///< false: judged here with the thresholds the run recorded
  std::vector<std::string> hosts;
  std::set<std::string> failing_hosts;  ///< hosts with a failing GPU, NIC or node verdict
  std::set<std::string> warning_hosts;  ///< ... warning (and none failing)
  std::vector<LinkMatrix> matrices;
  std::vector<SizeSeries> collectives;
  std::vector<RankSpread> spreads;
  std::vector<Timeline> timelines;
  std::vector<TelemetryNote> telemetry;
  std::vector<GpuChecks> gpu_checks;                     ///< by host and GPU
  std::vector<analysis::FabricFlowSample> fabric_flows;  ///< a fabric test's flows, in record order
  std::set<std::string> failing_fabric_links;            ///< "leaf1:4 -> spine2:1" of failing fabric_link verdicts
  std::size_t records = 0;
};

/// The hosts a rail's heatmap marks: those with a failing (warning) NIC on that rail or on no known rail, a
/// failing (warning) GPU, or a failing (warning) node verdict of their own with no NIC or GPU behind it. A host
/// whose only bad part is its NIC on another rail is not marked here.
struct RailMarks {
  std::set<std::string> failing, warning;
};
RailMarks rail_marks(const std::vector<analysis::Verdict>& verdicts, int rail);

/// The view of a results document (analysis::parse_results' shape). Throws InputError naming `source`, the
/// record and the field when a record is malformed.
RunView make_run_view(const nlohmann::json& document, const std::string& source);

/// "16 MiB", "64 KiB", "512 B": sizes as the report's axes and titles name them.
std::string size_label(std::size_t bytes);

}  // namespace railcheck::report
