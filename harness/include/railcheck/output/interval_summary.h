// A soak's records, one per interval: a soak repeats its tests for hours, and a record per pass would grow the
// stream by gigabytes a night and the judgement with it. Between the interval stamp and the run's outputs, this
// stage holds each interval's passes of a test, size and part (a collective's group, a p2p pair) and, when the
// interval ends, hands on one record: the interval's median pass (a real measurement, every field its own)
// with a PassSummary of all of them (count, failed, min / mean / max, first start and last end).
//
// What it holds back: ok and skipped collective records, and p2p records (a failed transfer counts as the
// worst figure, so an interval whose passes mostly failed is recorded by a failed one). What it never holds: a
// collective found wrong (evidence on its own, and counted in the summary), records outside a soak (no
// interval) and every other kind.
#pragma once

#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "railcheck/output/sink.h"

namespace railcheck {

class IntervalSummary final : public OutputSink {
 public:
  explicit IntervalSummary(OutputSink& next) : next_(next) {}

  /// Hands on one record per held key, in the order the keys first came; the soak calls it as each interval
  /// ends (and before anything reads the stream back). A record of a later interval flushes the earlier one.
  void flush();

  void begin_run(const RunManifest& manifest) override;
  void begin_test(const TestStart& test) override;
  void record(const Record& record) override;
  void note(NoteLevel level, const std::string& text) override;
  void end_test(const TestStart& test) override;
  void verdicts(const VerdictReport& report) override;
  /// Hands on what it holds first, unless the main thread is inside this stage (it never waits for it).
  void watchdog(const WatchdogReport& report) noexcept override;
  void end_run(const RunManifest& manifest, const RunSummary& summary) override;

 private:
  struct Held {
    std::vector<Record> passes;  ///< ok / failed passes, in the order measured
    int wrong = 0;               ///< passes that streamed alone (results found wrong), counted as failed
  };
  void flush_locked();

  OutputSink& next_;
  std::mutex mutex_;  ///< held while the main thread is in this stage or the sinks after it (the watchdog's
                      ///< thread flushes only when it is not)
  std::optional<int> interval_;
  std::vector<std::string> order_;
  std::map<std::string, Held> held_;
};

/// The one record that stands for `passes` (same test, size and part, one interval, at least one): the median
/// pass by its figure (failed transfers the worst; an even count takes the lower middle one), with `passes`
/// set; `wrong` more passes (streamed alone) are counted as failed.
Record summarize_passes(const std::vector<Record>& passes, int wrong);

}  // namespace railcheck
