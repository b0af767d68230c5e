// Sinks turn records into output: the console table, the streamed JSONL file, the final results document.
// Measurement never prints; only rank 0 owns sinks.
#pragma once

#include <cstdio>
#include <filesystem>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "railcheck/core/exit_codes.h"
#include "railcheck/record/collective_record.h"
#include "railcheck/record/manifest.h"
#include "railcheck/record/record_kinds.h"
#include "railcheck/run/test_spec.h"

namespace railcheck {

/// How a run ended: totals and one line per problem found, naming rank and host.
struct RunSummary {
  int records = 0;
  int skipped_records = 0;
  int wrong_records = 0;
  std::int64_t wrong_elements = 0;
  double avg_busbw_gbps = 0.0;  ///< mean busbw over measured records (nccl-tests' "Avg bus bandwidth")
  std::vector<std::string> problems;
  int exit_code = kExitHealthy;
};

nlohmann::json to_json(const RunSummary& summary);

/// Receives the run as it happens. Calls come in order: begin_run, (begin_test, record*)*, end_run.
class RecordSink {
 public:
  virtual ~RecordSink() = default;
  virtual void begin_run(const RunManifest& manifest) = 0;
  virtual void begin_test(const CollectiveTestSpec& spec, int nranks) = 0;
  /// Out-of-place and in-place records of one size arrive one after the other.
  virtual void record(const CollectiveRecord& record) = 0;
  virtual void end_run(const RunManifest& manifest, const RunSummary& summary) = 0;
};

/// Forwards every call to each sink in order.
class SinkList final : public RecordSink {
 public:
  void add(std::unique_ptr<RecordSink> sink) { sinks_.push_back(std::move(sink)); }
  void begin_run(const RunManifest& m) override;
  void begin_test(const CollectiveTestSpec& spec, int nranks) override;
  void record(const CollectiveRecord& r) override;
  void end_run(const RunManifest& m, const RunSummary& s) override;

 private:
  std::vector<std::unique_ptr<RecordSink>> sinks_;
};

/// nccl-tests' table: one line per size with out-of-place and in-place columns, then the totals.
class ConsoleTableSink final : public RecordSink {
 public:
  explicit ConsoleTableSink(std::ostream& out) : out_(out) {}
  void begin_run(const RunManifest& m) override;
  void begin_test(const CollectiveTestSpec& spec, int nranks) override;
  void record(const CollectiveRecord& r) override;
  void end_run(const RunManifest& m, const RunSummary& s) override;

  /// The table line for one size (either half may be missing). Exposed for tests.
  static std::string format_line(const CollectiveRecord* out_of_place, const CollectiveRecord* in_place);

 private:
  void flush_line();
  std::ostream& out_;
  std::unique_ptr<CollectiveRecord> pending_;
  std::string current_test_;
};

/// The two results files of a run in one directory: results.jsonl, one JSON object per line, flushed and
/// synced as each arrives so a killed job keeps what it measured ({"type":"manifest",...}, then one line per
/// record, then {"type":"summary",...}); and results.json (results-schema/results.schema.json), written
/// atomically at the end. Every measuring command (collectives, p2p) writes through this.
class ResultsFiles {
 public:
  /// Creates (truncates) <dir>/results.jsonl; throws Error naming the path when it cannot.
  explicit ResultsFiles(std::filesystem::path dir);
  void begin(const RunManifest& manifest);
  /// Streams `record` with "type" added (a record type of record_kinds.h), and keeps it (without "type") for
  /// results.json.
  void add(LineType type, nlohmann::json record);
  /// Every record added so far (without "type"), in order: what the analysis reads.
  const nlohmann::json& records() const { return records_; }
  /// Streams {"type": "verdicts", "analysis": ..., "verdicts": [...]} and keeps both for results.json.
  void set_analysis(nlohmann::json analysis, nlohmann::json verdicts);
  /// Streams the summary line and writes results.json.
  void finish(const RunManifest& manifest, const RunSummary& summary);

 private:
  void write_line(const nlohmann::json& line);
  std::filesystem::path dir_;
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> stream_;
  nlohmann::json records_ = nlohmann::json::array();
  nlohmann::json analysis_;  ///< null until set_analysis
};

/// Appends one JSON line to `file` at once (O_APPEND, one write, fdatasync), from any thread, beside a
/// ResultsFiles that streams to the same file: for the watchdog's last record while the main thread is stuck.
/// Never throws; returns false (and the caller has the console) when the line could not be written.
bool append_line_now(const std::filesystem::path& file, const nlohmann::json& line) noexcept;

/// Collective records into ResultsFiles.
class ResultsFilesSink final : public RecordSink {
 public:
  explicit ResultsFilesSink(std::filesystem::path dir) : files_(std::move(dir)) {}
  void begin_run(const RunManifest& m) override { files_.begin(m); }
  void begin_test(const CollectiveTestSpec&, int) override {}
  void record(const CollectiveRecord& r) override { files_.add(LineType::kRecord, to_json(r)); }
  void end_run(const RunManifest& m, const RunSummary& s) override { files_.finish(m, s); }
  ResultsFiles& files() { return files_; }

 private:
  ResultsFiles files_;
};

/// The results document for a manifest, records and summary; `analysis` ({"analysis": {...}, "verdicts": [...]},
/// or null) adds the run's verdicts and the thresholds they were judged by.
nlohmann::json results_document(const RunManifest& manifest, nlohmann::json records, const RunSummary& summary,
                                const nlohmann::json& analysis = nullptr);

}  // namespace railcheck
