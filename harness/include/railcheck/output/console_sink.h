// The console: what a person watching the job reads. nccl-tests' table for collective tests (one line per
// size, out-of-place and in-place side by side, its summary lines), perftest-like lines and link matrices for
// p2p tests, one line per GPU check and per bisection group, notes, the verdict block, and where the
// results files are.
#pragma once

#include <filesystem>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "railcheck/output/placement_rows.h"
#include "railcheck/output/sink.h"

namespace railcheck {

/// What nccl-tests' -C and -S change in its table.
struct RowDisplay {
  bool cputime = false;    ///< -C: the time columns are "cputime", the time to queue a call
  bool timestamp = false;  ///< -S: a "timestamp" column, the local time the row was printed
};
RowDisplay row_display_of(const CollectiveTestSpec& spec);

class SoakSummary;

/// In a soak (records and tests with an interval) each test's header is printed once and its records become
/// one summary line per test and interval (SoakSummary, console_soak_summary.h), printed when the next
/// interval begins.
class ConsoleSink final : public OutputSink {
 public:
  /// `out` for everything but the watchdog's diagnosis, which goes to `err`. `results_dir` ("" none) is named
  /// at the end of the run.
  ConsoleSink(std::ostream& out, std::ostream& err, std::filesystem::path results_dir = {});
  ~ConsoleSink() override;

  void begin_run(const RunManifest& manifest) override;
  void begin_test(const TestStart& test) override;
  void record(const Record& record) override;
  void note(NoteLevel level, const std::string& text) override;
  void end_test(const TestStart& test) override;
  void verdicts(const VerdictReport& report) override;
  void watchdog(const WatchdogReport& report) noexcept override;
  void end_run(const RunManifest& manifest, const RunSummary& summary) override;

 private:
  void print(const CollectiveRecord& r);
  void print(const P2pRecord& r);
  void print(const GpuCheckRecord& r);
  void print(const BisectionRecord& r);
  void print(const TelemetryRecord& r);  ///< only a window whose error counters grew
  void print_row(const CollectiveRecord* out_of_place, const CollectiveRecord* in_place);
  void flush_soak();  ///< prints the gathered interval's summary lines

  std::ostream& out_;
  std::ostream& err_;
  std::filesystem::path results_dir_;
  BandwidthUnit unit_ = BandwidthUnit::kGBps;  ///< the p2p test being printed: its bandwidth unit
  RowDisplay display_;                         ///< the collective test being printed
  PlacementRows rows_;                         ///< a size's two placements on one table line
  std::vector<P2pRecord> links_;               ///< the p2p test's first-pass records, for its link matrices
  bool collectives_seen_ = false;              ///< print nccl-tests' summary lines at the end
  std::unique_ptr<SoakSummary> soak_;          ///< a soak's records: one line per test per interval
  std::vector<std::string> soak_headers_;      ///< the soak's tests whose header was printed (once each)
  std::vector<std::string> soak_skips_;        ///< the soak's skip notes printed (once each)
};

/// The nccl-tests table's header for a collective test (the "# Collective test starting" block).
std::string format_collective_header(const CollectiveTestSpec& spec, int nranks);
/// The table line for one size (either half may be missing; both missing: ""). No newline.
std::string format_collective_line(const CollectiveRecord* out_of_place, const CollectiveRecord* in_place,
                                   const RowDisplay& display = {});
/// One p2p record, perftest-like: bandwidth as "peak P avg A <unit> M Mpps" (peak "-" where not measured),
/// latency as t_min .. 99.9%. No newline.
std::string format_p2p_line(const P2pRecord& record, BandwidthUnit unit);
/// The first-pass link matrices of a p2p test, per rail: bandwidth (whichever bandwidth op was measured),
/// and latency when it was measured.
std::string format_link_matrices(const std::vector<P2pRecord>& records, const std::vector<std::string>& hosts,
                                 BandwidthUnit unit);

}  // namespace railcheck
