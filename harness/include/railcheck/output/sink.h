// Where everything a run says goes: the one sink interface (google/benchmark's BenchmarkReporter, nvbench's
// printer_base). Producers (the runner, bisection, p2p rounds, gpu-check, the analysis at the end, the
// watchdog) call it; sinks format (the console's nccl-tests table, results.jsonl, results.json, and any new
// format). Measurement code never prints.
//
// Calls come in this order on rank 0's main thread: begin_run, then any of begin_test / record / note /
// end_test, then verdicts (when the run was judged) and the notes of what the run did about them (--act
// drain), then end_run. watchdog() is the exception: it comes from
// the watchdog's thread while the main thread may be stuck anywhere, and is the last call a job ended by the
// watchdog makes. Every hook is optional (a sink overrides what it formats).
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "railcheck/analysis/verdict.h"
#include "railcheck/output/run_summary.h"
#include "railcheck/plan/test_spec.h"
#include "railcheck/record/manifest.h"
#include "railcheck/record/record.h"
#include "railcheck/record/watchdog_report.h"

namespace railcheck {

/// A test about to produce records.
struct TestStart {
  std::string name;                   ///< suite entry name ("" for the single test of `railcheck p2p` / `gpu-check`)
  LineType kind = LineType::kRecord;  ///< the record kind it produces
  int nranks = 0;
  const CollectiveTestSpec* collective = nullptr;  ///< collective tests: the spec (for the table's header)
  std::vector<std::string> description;            ///< other kinds: header lines for a person ("p2p: 4 hosts...")
  std::vector<std::string> hosts;                  ///< p2p: the hosts in node order (link matrices)
  BandwidthUnit unit = BandwidthUnit::kGBps;       ///< p2p: the console's bandwidth unit
  std::optional<int> interval;                     ///< in a soak: its interval (IntervalStamp sets it)
};

enum class NoteLevel { kInfo, kSkip, kWarning, kFailure };
std::string_view name_of(NoteLevel level);

/// The verdicts of a run and what they were judged by (results-schema $defs/analysis).
struct VerdictReport {
  nlohmann::json analysis;  ///< {"options": ..., "baseline": file or null, "profile": ...}
  std::vector<analysis::Verdict> verdicts;
};

class OutputSink {
 public:
  virtual ~OutputSink() = default;
  virtual void begin_run(const RunManifest& manifest) { (void)manifest; }
  virtual void begin_test(const TestStart& test) { (void)test; }
  /// One measurement, as soon as it is complete (results stream to disk as measured).
  virtual void record(const Record& record) { (void)record; }
  /// A message for the operator that belongs to no record.
  virtual void note(NoteLevel level, const std::string& text) { (void)level, (void)text; }
  virtual void end_test(const TestStart& test) { (void)test; }
  virtual void verdicts(const VerdictReport& report) { (void)report; }
  /// From the watchdog's thread: must not block on anything the main thread may hold, and must not throw.
  virtual void watchdog(const WatchdogReport& report) noexcept { (void)report; }
  virtual void end_run(const RunManifest& manifest, const RunSummary& summary) { (void)manifest, (void)summary; }
};

/// Forwards every call to each sink in the order they were added. Empty on ranks other than 0.
class SinkFanout final : public OutputSink {
 public:
  void add(std::unique_ptr<OutputSink> sink) { sinks_.push_back(std::move(sink)); }
  bool empty() const { return sinks_.empty(); }

  void begin_run(const RunManifest& manifest) override;
  void begin_test(const TestStart& test) override;
  void record(const Record& record) override;
  void note(NoteLevel level, const std::string& text) override;
  void end_test(const TestStart& test) override;
  void verdicts(const VerdictReport& report) override;
  void watchdog(const WatchdogReport& report) noexcept override;
  void end_run(const RunManifest& manifest, const RunSummary& summary) override;

 private:
  std::vector<std::unique_ptr<OutputSink>> sinks_;
};

}  // namespace railcheck
