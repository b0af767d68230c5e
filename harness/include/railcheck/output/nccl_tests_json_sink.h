// nccl-tests' JSON output (`-J FILE.json`, JSON_FILE_VERSION 3, nccl-tests src/util.cu): the document its
// `*_perf -J` writes, so the scripts and dashboards that read those files read railcheck's too. Field for
// field as nccl-tests writes them: booleans as the strings "true" / "false", `root` as the "%6i" string, NaN
// as "nan", one `results` entry per size with its out-of-place and in-place halves (null for a half not
// measured), `experiment_name` the railcheck test's name (nccl-tests writes ""), `actual_iterations` -n.
// Where railcheck differs, on purpose: `env` keeps only the variables that describe the run (NCCL_, CUDA_,
// NVIDIA_, OMPI_, PMIX_, SLURM_, UCX_, RAILCHECK_ prefixes), not every variable, so no secret of the job's
// environment lands in a file sent to dashboards; `args` is the command line split at spaces; `errors` lists
// the run's problems (wrong elements, a failed minimum bandwidth) where nccl-tests lists NCCL's last error.
//
// The file is rewritten whole (a temporary file renamed over it) after every row, so it is a valid document
// while the run goes on and after it is killed; `end_time` appears once the run ended. Like nccl-tests, an
// existing file is never overwritten: the name gets ".0", ".1", ... appended, and the console says which.
#pragma once

#include <filesystem>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "railcheck/output/placement_rows.h"
#include "railcheck/output/sink.h"

namespace railcheck {

class NcclTestsJsonSink final : public OutputSink {
 public:
  /// Reserves `requested` (or the first free `requested`.N) and says so on `out`; throws Error naming the
  /// file when none can be created.
  NcclTestsJsonSink(const std::filesystem::path& requested, std::ostream& out);

  void begin_run(const RunManifest& manifest) override;
  void begin_test(const TestStart& test) override;
  void record(const Record& record) override;
  void end_test(const TestStart& test) override;
  void end_run(const RunManifest& manifest, const RunSummary& summary) override;

  /// The file written (the requested name, or it with ".N").
  const std::filesystem::path& path() const { return path_; }

 private:
  void add_row(const CollectiveRecord* out_of_place, const CollectiveRecord* in_place);
  /// Writes the document to path_ through a temporary file; throws Error naming the file when it cannot.
  void write() const;

  std::filesystem::path path_;
  nlohmann::ordered_json head_ = nlohmann::ordered_json::object();  ///< version .. nccl_version
  nlohmann::ordered_json devices_ = nlohmann::ordered_json::array();
  nlohmann::ordered_json config_;  ///< null until a collective test begins
  nlohmann::ordered_json results_ = nlohmann::ordered_json::array();
  nlohmann::ordered_json footer_ = nlohmann::ordered_json::object();  ///< out_of_bounds .. end_time, at the end
  PlacementRows rows_{[this](const CollectiveRecord* out_of_place, const CollectiveRecord* in_place) {
    add_row(out_of_place, in_place);
  }};                     ///< a size's two placements in one result
  bool cputime_ = false;  ///< -C: the halves carry "cpu_time", not "time"
};

/// The "%Y-%m-%d %H:%M:%S" local time nccl-tests writes in start_time / end_time.
std::string nccl_tests_time_now();

}  // namespace railcheck
