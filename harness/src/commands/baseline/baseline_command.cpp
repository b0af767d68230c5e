// baseline generate / merge: read results or baselines, build the baseline, write it, one summary line.
#include "railcheck/commands/baseline/baseline_command.h"

#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "railcheck/analysis/baseline.h"
#include "railcheck/analysis/samples.h"
#include "railcheck/core/error.h"
#include "railcheck/input/json_input.h"
#include "railcheck/output/atomic_file.h"
#include "railcheck/output/sink.h"

namespace railcheck {
namespace {

using analysis::Baseline;
using analysis::Samples;

// Appends a results file's samples to `samples`; returns how the file names its run for generated_from.
std::string read_results(const std::string& path, Samples& samples) {
  const std::string text =
      read_input_file(path, "results file", "give the results.json a railcheck run wrote to its --output-dir");
  const JsonFields fields(path);
  const nlohmann::json document = fields.parse(text);
  if (!document.is_object() || !document.contains("records") || !document["records"].is_array()) {
    fields.fail("records",
                "missing or not an array, so this is not a railcheck results file; give the results.json "
                "a railcheck run wrote to its --output-dir");
  }
  Samples found;
  try {
    found = analysis::samples_from_records(document["records"]);
  } catch (const std::invalid_argument& e) {
    throw InputError(path + ": " + e.what());
  }
  samples.units.insert(samples.units.end(), found.units.begin(), found.units.end());
  samples.links.insert(samples.links.end(), found.links.begin(), found.links.end());
  samples.groups.insert(samples.groups.end(), found.groups.begin(), found.groups.end());

  std::string run = path;
  const nlohmann::json manifest = document.value("manifest", nlohmann::json::object());
  if (manifest.is_object() && manifest.contains("git_revision") && manifest["git_revision"].is_string()) {
    run += " (railcheck " + manifest["git_revision"].get<std::string>();
    if (manifest.contains("start_time") && manifest["start_time"].is_string())
      run += ", " + manifest["start_time"].get<std::string>();
    run += ")";
  }
  return run;
}

std::string number_text(double value) {
  std::ostringstream text;
  text << value;
  return text.str();
}

void check_tolerances(const analysis::BaselineOptions& t) {
  auto fraction = [](double value, const char* flag) {
    if (!(value >= 0.0 && value < 1.0)) {
      throw InputError(std::string(flag) + " " + number_text(value) +
                       ": expected a fraction from 0 to below 1; write 0.1 for 10%");
    }
  };
  fraction(t.warn_tolerance, "--warn");
  fraction(t.fail_tolerance, "--fail");
  if (t.warn_tolerance > t.fail_tolerance) {
    throw InputError("--warn " + number_text(t.warn_tolerance) + " is above --fail " + number_text(t.fail_tolerance) +
                     "; the warn tolerance must not exceed the fail tolerance");
  }
}

// Written whole or not at all: a reader never sees half a baseline.
void write_baseline(const std::string& path, const Baseline& baseline) {
  if (const std::string error = write_file_atomically(path, analysis::to_json(baseline).dump(2) + "\n");
      !error.empty()) {
    throw InputError("-o " + path + ": " + error + "; choose a writable path");
  }
}

int count_samples(const Baseline& baseline) {
  int total = 0;
  for (const analysis::BaselineEntry& entry : baseline.entries) total += entry.samples;
  return total;
}

void generate(const BaselineCommandOptions& options, std::ostream& out) {
  check_tolerances(options.tolerances);
  Samples samples;
  std::string generated_from;
  for (const std::string& path : options.results_paths) {
    generated_from += (generated_from.empty() ? "" : "; ") + read_results(path, samples);
  }
  Baseline baseline = analysis::generate_baseline(samples, options.profile, options.tolerances);
  if (baseline.entries.empty()) {
    throw InputError(options.results_paths.front() +
                     ": no successful measurement to make a baseline from; give the results of a run whose records "
                     "passed");
  }
  baseline.description = options.description;
  baseline.generated_from = generated_from;
  write_baseline(options.output_path, baseline);
  const std::size_t values = samples.units.size() + samples.links.size() + samples.groups.size();
  out << "# baseline: " << baseline.entries.size() << " entries for profile " << baseline.profile << " from " << values
      << " values (" << count_samples(baseline) << " kept after trimming): " << options.output_path << std::endl;
}

void merge(const BaselineCommandOptions& options, std::ostream& out) {
  const Baseline older = analysis::load_baseline(options.old_path);
  const Baseline newer = analysis::load_baseline(options.new_path);
  const Baseline merged = analysis::merge_baselines(older, newer);
  write_baseline(options.output_path, merged);
  out << "# baseline: " << merged.entries.size() << " entries for profile " << merged.profile << " ("
      << older.entries.size() << " from " << options.old_path << " updated with " << newer.entries.size() << " from "
      << options.new_path << "): " << options.output_path << std::endl;
}

}  // namespace

int run_baseline_command(const BaselineCommandOptions& options, const CommandEnv& env) {
  if (options.action == BaselineAction::kGenerate) {
    generate(options, env.out);
  } else {
    merge(options, env.out);
  }
  return kExitHealthy;
}

}  // namespace railcheck
