// The output formats a run writes, by name: one line each in SinkRegistry::standard(). A new format is one
// sink class (its own file) plus one line there; a test adds its own with add() and hands the registry to the
// command it runs in-process.
#pragma once

#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "railcheck/output/sink.h"

namespace railcheck {

/// What a sink may need to open its output: the run's results directory and the console streams.
struct SinkContext {
  std::filesystem::path dir;  ///< results.jsonl, results.json and any other file go here
  std::ostream& out;
  std::ostream& err;
  /// Files asked for by flag, by sink name ("nccl_tests_json" -> -J's file); a sink named here is opened.
  std::map<std::string, std::filesystem::path> files = {};
};

struct SinkKind {
  std::string name;  ///< "console", "jsonl", "results_json", ...
  /// Opens the sink for one run; nullptr when this run does not want it. Throws Error naming the file when
  /// the output cannot be created.
  std::function<std::unique_ptr<OutputSink>(const SinkContext&)> make;
};

class SinkRegistry {
 public:
  /// jsonl (results.jsonl), results_json (results.json from the stream), html (results.html from results.json),
  /// nccl_tests_json (-J), junit (--junit)
  /// and prometheus (--prom), the last three only when asked for in SinkContext::files, then console.
  static SinkRegistry standard();

  /// Adds a kind after the others (a later sink sees every call after the earlier ones).
  SinkRegistry& add(SinkKind kind);
  const std::vector<SinkKind>& kinds() const { return kinds_; }

  /// Every kind's sink for one run, in order, behind one fanout.
  SinkFanout open(const SinkContext& context) const;

 private:
  std::vector<SinkKind> kinds_;
};

}  // namespace railcheck
