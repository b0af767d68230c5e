// results.jsonl: one JSON object per line, each written, flushed and synced as it arrives, so a killed job
// keeps everything it measured: {"type": "manifest", ...} first, one line per record and note, the verdicts,
// then {"type": "summary", ...} (or the watchdog's line when it ended the job). Line types: record_kinds.h.
#pragma once

#include <cstdio>
#include <filesystem>
#include <memory>

#include <nlohmann/json.hpp>

#include "railcheck/output/sink.h"

namespace railcheck {

class JsonlSink final : public OutputSink {
 public:
  /// Creates (truncates) `path`; throws Error naming the path when it cannot.
  explicit JsonlSink(std::filesystem::path path);

  void begin_run(const RunManifest& manifest) override;
  void record(const Record& record) override;
  void note(NoteLevel level, const std::string& text) override;
  void verdicts(const VerdictReport& report) override;
  /// Appended through a descriptor of its own (O_APPEND, one write), so a main thread stuck in a write of
  /// its own cannot hold it up and the lines never interleave.
  void watchdog(const WatchdogReport& report) noexcept override;
  void end_run(const RunManifest& manifest, const RunSummary& summary) override;

  const std::filesystem::path& path() const { return path_; }

 private:
  /// Writes, flushes and fdatasyncs one line; throws Error naming the file when any of them fails (a full
  /// disk must stop the run, not lose its results silently).
  void write_line(const nlohmann::json& line);
  std::filesystem::path path_;
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> stream_;
};

/// Appends one JSON line to `file` at once (O_APPEND, one write, fdatasync), from any thread. Never throws;
/// false when the line could not be written.
bool append_line_now(const std::filesystem::path& file, const nlohmann::json& line) noexcept;

}  // namespace railcheck
