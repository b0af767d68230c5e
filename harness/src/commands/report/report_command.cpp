#include "railcheck/commands/report/report_command.h"

#include <filesystem>

#include "railcheck/analysis/analyze.h"
#include "railcheck/analysis/compare_runs.h"
#include "railcheck/analysis/results_document.h"
#include "railcheck/core/error.h"
#include "railcheck/output/atomic_file.h"
#include "railcheck/output/html_report_sink.h"
#include "railcheck/report/html_report.h"

namespace railcheck {
namespace {

namespace fs = std::filesystem;

fs::path default_output(const ReportOptions& options) {
  const fs::path results(options.new_path.empty() ? options.results_path : options.new_path);
  if (!options.new_path.empty()) return results.parent_path() / "compare.html";
  return results.parent_path() / (results.stem().string() + ".html");
}

std::string comparison_page(const ReportOptions& options) {
  const nlohmann::json before = analysis::read_results_file(options.results_path);
  const nlohmann::json after = analysis::read_results_file(options.new_path);
  const report::RunView old_view = report::make_run_view(before, options.results_path);
  const report::RunView new_view = report::make_run_view(after, options.new_path);
  const analysis::Comparison comparison =
      analysis::compare_runs(analysis::samples_from_records(before.at("records")), old_view.verdicts,
                             analysis::samples_from_records(after.at("records")), new_view.verdicts, options.tolerance);
  return report::render_comparison(old_view, new_view, comparison);
}

}  // namespace

int run_report_command(const ReportOptions& options, const CommandEnv& env) {
  if (!(options.tolerance >= 0.0 && options.tolerance < 1.0)) {
    throw InputError("--tolerance " + std::to_string(options.tolerance) +
                     ": give a share from 0 to below 1, such as 0.05 for 5 %");
  }
  const fs::path output = options.output_path.empty() ? default_output(options) : fs::path(options.output_path);
  check_output_file("-o", output, ".html", "a browser opens a report by its name", "");
  if (options.new_path.empty()) {
    write_html_report(options.results_path, output);
  } else {
    if (const std::string error = write_file_atomically(output, comparison_page(options)); !error.empty()) {
      throw Error("report " + output.string() + ": " + error);
    }
  }
  env.out << "# report: " << output.string() << "\n";
  return 0;
}

}  // namespace railcheck
