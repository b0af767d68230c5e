// The sink that keeps the run's totals: counts every record as it streams by, and names each problem a
// record shows (wrong elements on a rank, a failed transfer, a failed GPU check). Holds counters and problem
// lines only, never the records.
#pragma once

#include <optional>

#include "railcheck/output/run_summary.h"
#include "railcheck/output/sink.h"

namespace railcheck {

class SummarySink final : public OutputSink {
 public:
  /// `min_avg_busbw_gbps`: NCCL_TESTS_MIN_BW, when set (the run fails below 0.9 x it, as nccl-tests does).
  explicit SummarySink(std::optional<double> min_avg_busbw_gbps = std::nullopt);
  void record(const Record& record) override;
  void note(NoteLevel level, const std::string& text) override;
  /// The totals so far; exit_code is kExitDegraded once any problem was seen, or the average bus bandwidth is
  /// below the minimum.
  RunSummary summary() const;

 private:
  void count(const CollectiveRecord& r);
  void count(const P2pRecord& r);
  void count(const GpuCheckRecord& r);
  void count(const BisectionRecord& r);
  void count(const TelemetryRecord& r);
  RunSummary summary_;
  double busbw_sum_ = 0.0;
  int busbw_records_ = 0;
};

}  // namespace railcheck
