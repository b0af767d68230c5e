// Shared by the in-process tests (runner, watchdog, bisection, sinks, analyze): a sink that keeps every call
// it gets, registered beside the standard formats in one line; a scratch directory; and run_suite over
// thread ranks (ThreadBootstrap), so whole runs are tested without mpirun.
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <memory>
#include <mutex>
#include <sstream>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "railcheck/commands/run/run_suite.h"
#include "railcheck/output/sink_registry.h"
#include "railcheck/runtime/thread_bootstrap.h"

namespace railcheck::test {

/// Everything a run said to the capture sink, in order. watchdog() comes from the watchdog's thread, so
/// every member is read under `mutex` or after the run has joined.
struct Captured {
  std::mutex mutex;
  std::vector<std::string> calls;  ///< "begin_run", "begin_test", "record:<kind>", "note", "verdicts", ...
  std::vector<Record> records;
  std::vector<std::pair<NoteLevel, std::string>> notes;
  std::vector<VerdictReport> verdicts;
  std::vector<WatchdogReport> watchdogs;
  std::vector<RunSummary> summaries;

  /// The records of one kind (CollectiveRecord, P2pRecord, GpuCheckRecord, BisectionRecord).
  template <typename T>
  std::vector<T> records_of() {
    std::lock_guard lock(mutex);
    std::vector<T> out;
    for (const Record& record : records) {
      if (const T* r = std::get_if<T>(&record)) out.push_back(*r);
    }
    return out;
  }
};

/// A test-only output format: appends every call to a Captured.
class CaptureSink final : public OutputSink {
 public:
  explicit CaptureSink(std::shared_ptr<Captured> captured) : captured_(std::move(captured)) {}
  void begin_run(const RunManifest&) override { log("begin_run"); }
  void begin_test(const TestStart&) override { log("begin_test"); }
  void record(const Record& record) override {
    std::lock_guard lock(captured_->mutex);
    captured_->calls.push_back("record:" + std::string(line_type_info(line_type_of(record)).record_kind));
    captured_->records.push_back(record);
  }
  void note(NoteLevel level, const std::string& text) override {
    std::lock_guard lock(captured_->mutex);
    captured_->calls.emplace_back("note");
    captured_->notes.emplace_back(level, text);
  }
  void end_test(const TestStart&) override { log("end_test"); }
  void verdicts(const VerdictReport& report) override {
    std::lock_guard lock(captured_->mutex);
    captured_->calls.emplace_back("verdicts");
    captured_->verdicts.push_back(report);
  }
  void watchdog(const WatchdogReport& report) noexcept override {
    std::lock_guard lock(captured_->mutex);
    captured_->calls.emplace_back("watchdog");
    captured_->watchdogs.push_back(report);
  }
  void end_run(const RunManifest&, const RunSummary& summary) override {
    std::lock_guard lock(captured_->mutex);
    captured_->calls.emplace_back("end_run");
    captured_->summaries.push_back(summary);
  }

 private:
  void log(const char* call) {
    std::lock_guard lock(captured_->mutex);
    captured_->calls.emplace_back(call);
  }
  std::shared_ptr<Captured> captured_;
};

/// The standard formats (results.jsonl, results.json, console) and the capture sink after them.
inline SinkRegistry standard_sinks_and(const std::shared_ptr<Captured>& captured) {
  SinkRegistry sinks = SinkRegistry::standard();
  sinks.add({"test_capture", [captured](const SinkContext&) { return std::make_unique<CaptureSink>(captured); }});
  return sinks;
}

/// A fresh directory under the system's temporary directory, removed with everything in it at scope exit.
class ScratchDir {
 public:
  explicit ScratchDir(const std::string& name) {
    static std::atomic<int> serial{0};
    path_ = std::filesystem::temp_directory_path() /
            ("railcheck-" + name + "-" + std::to_string(::getpid()) + "-" + std::to_string(serial++));
    std::filesystem::remove_all(path_);
    std::filesystem::create_directories(path_);
  }
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;
  ~ScratchDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

/// What an in-process run_suite left behind.
struct SuiteRun {
  std::vector<RankOutcome> outcomes;  ///< per rank
  std::vector<int> exit_codes;        ///< per rank: run_suite's return (-1 when it threw)
  std::string out;                    ///< rank 0's console
  std::string err;
};

/// run_suite(request) on one thread rank per entry of `hosts`, with `sinks` as rank 0's outputs.
inline SuiteRun run_suite_on_threads(const std::vector<std::string>& hosts, const SuiteRunRequest& request,
                                     const SinkRegistry& sinks) {
  SuiteRun run;
  run.exit_codes.assign(hosts.size(), -1);
  std::vector<std::ostringstream> outs(hosts.size());
  std::vector<std::ostringstream> errs(hosts.size());
  run.outcomes = run_ranks(hosts, [&](const Bootstrap& bootstrap) {
    const auto r = static_cast<std::size_t>(bootstrap.rank());
    run.exit_codes[r] = run_suite(request, bootstrap, sinks, outs[r], errs[r]);
  });
  run.out = outs[0].str();
  run.err = errs[0].str();
  return run;
}

/// A request for `suite` writing into `dir`, on the host backend, with the watchdog's production timeout.
inline SuiteRunRequest request_for(Suite suite, const std::filesystem::path& dir) {
  SuiteRunRequest request;
  request.suite = std::move(suite);
  request.common.backend = "mpi";  // the host backend: ThreadBootstrap's make_host_collective, threads here
  request.common.output_dir = dir.string();
  request.command_line = "railcheck run (in-process test)";
  return request;
}

/// One all_reduce of floats at `bytes`, out of place, `iters` timed iterations.
inline CollectiveTestSpec all_reduce_spec(std::size_t bytes, int iters) {
  CollectiveTestSpec spec;
  spec.name = "all_reduce";
  spec.min_bytes = spec.max_bytes = bytes;
  spec.iters = iters;
  spec.placement = Placement::kOutOfPlace;
  return spec;
}

/// A p2p test over TCP on loopback ("p2p-loopback"): every pair of the thread ranks' hosts, `iters` messages of
/// `bytes` each way and `lat_iters` ping-pongs.
inline P2pTestSpec loopback_p2p(std::size_t bytes, int iters, int lat_iters) {
  P2pTestSpec p2p;
  p2p.name = "p2p-loopback";
  p2p.options.ifnames = {"lo"};
  p2p.options.size_bytes = bytes;
  p2p.options.iters = iters;
  p2p.options.lat_iters = lat_iters;
  return p2p;
}

/// A suite of the given collective tests, as a suite file would give it.
inline Suite suite_of(std::string name, std::vector<CollectiveTestSpec> tests) {
  Suite suite;
  suite.name = std::move(name);
  suite.source = "<in-process test>";
  suite.tests = std::move(tests);
  return suite;
}

/// A JSON file a run wrote (results.json, a verdicts file).
inline nlohmann::json read_json(const std::filesystem::path& path) {
  std::ifstream file(path);
  if (!file) throw std::runtime_error("cannot open " + path.string());
  return nlohmann::json::parse(file);
}

/// Fails the test with each rank's exception, if any rank threw.
inline void expect_no_errors(const std::vector<RankOutcome>& outcomes) {
  for (std::size_t r = 0; r < outcomes.size(); ++r) {
    if (!outcomes[r].error) continue;
    try {
      std::rethrow_exception(outcomes[r].error);
    } catch (const std::exception& e) {
      ADD_FAILURE() << "rank " << r << " threw: " << e.what();
    }
  }
}

}  // namespace railcheck::test
