#include "railcheck/output/html_report_sink.h"

#include "railcheck/analysis/results_document.h"
#include "railcheck/core/error.h"
#include "railcheck/output/atomic_file.h"
#include "railcheck/report/html_report.h"

namespace railcheck {

void write_html_report(const std::filesystem::path& results, const std::filesystem::path& html) {
  const nlohmann::json document = analysis::read_results_file(results.string());
  const std::string page = report::render_report(report::make_run_view(document, results.string()));
  if (const std::string error = write_file_atomically(html, page); !error.empty()) {
    throw Error("report " + html.string() + ": " + error);
  }
}

HtmlReportSink::HtmlReportSink(std::filesystem::path dir, std::ostream& err) : dir_(std::move(dir)), err_(err) {}

void HtmlReportSink::write_from(const std::filesystem::path& results) noexcept {
  try {
    write_html_report(results, dir_ / "results.html");
  } catch (const std::exception& e) {
    try {
      err_ << "# WARNING: no HTML report: " << e.what() << " (the results files are complete; try `railcheck report "
           << results.string() << "`)\n";
    } catch (...) {
    }
  }
}

void HtmlReportSink::watchdog(const WatchdogReport& report) noexcept {
  (void)report;
  const std::unique_lock lock(mutex_, std::try_to_lock);
  if (lock.owns_lock()) write_from(dir_ / "results.jsonl");
}

void HtmlReportSink::end_run(const RunManifest& manifest, const RunSummary& summary) {
  (void)manifest, (void)summary;
  const std::lock_guard lock(mutex_);
  write_from(dir_ / "results.json");
}

}  // namespace railcheck
