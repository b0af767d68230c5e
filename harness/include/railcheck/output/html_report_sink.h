// results.html beside results.json in every run's results directory: the report (report/html_report.h) of the
// document results.json holds, rendered once it is complete (so the page and `railcheck report results.json`
// are the same), or of the stream so far when the watchdog ends the job. A report that cannot be written is a
// warning on the console, never a change to the run's verdicts or exit code.
#pragma once

#include <filesystem>
#include <mutex>
#include <ostream>

#include "railcheck/output/sink.h"

namespace railcheck {

class HtmlReportSink final : public OutputSink {
 public:
  /// `dir`: the run's results directory (results.json / results.jsonl are read from it, results.html written
  /// to it); `err`: where a report that could not be written is said.
  HtmlReportSink(std::filesystem::path dir, std::ostream& err);

  void watchdog(const WatchdogReport& report) noexcept override;
  void end_run(const RunManifest& manifest, const RunSummary& summary) override;

 private:
  void write_from(const std::filesystem::path& results) noexcept;

  std::filesystem::path dir_;
  std::ostream& err_;
  std::mutex mutex_;  ///< the main thread's end_run against the watchdog's report
};

/// Renders the results file at `results` (results.json or results.jsonl) to `html`, atomically. Throws
/// InputError naming the file when it cannot be read, Error when the page cannot be written.
void write_html_report(const std::filesystem::path& results, const std::filesystem::path& html);

}  // namespace railcheck
