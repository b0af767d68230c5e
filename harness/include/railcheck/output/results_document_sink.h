// results.json (results-schema/results.schema.json), written atomically at the end of a run: assembled from
// the results.jsonl the JsonlSink streamed (read back line by line), so no record is held in memory however
// long the run. A run that never reaches end_run (killed, or ended by the watchdog) has only its JSONL,
// which `railcheck analyze` reads the same way.
#pragma once

#include <filesystem>

#include "railcheck/output/sink.h"

namespace railcheck {

class ResultsDocumentSink final : public OutputSink {
 public:
  /// `stream` is the results.jsonl a JsonlSink writes; the document goes to `document`.
  ResultsDocumentSink(std::filesystem::path stream, std::filesystem::path document)
      : stream_(std::move(stream)), document_(std::move(document)) {}

  /// Writes `document` through a temporary file, synced and renamed. Throws Error naming the file.
  void end_run(const RunManifest& manifest, const RunSummary& summary) override;

 private:
  std::filesystem::path stream_;
  std::filesystem::path document_;
};

}  // namespace railcheck
