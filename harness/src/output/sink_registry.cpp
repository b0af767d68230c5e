#include "railcheck/output/sink_registry.h"

#include "railcheck/output/console_sink.h"
#include "railcheck/output/html_report_sink.h"
#include "railcheck/output/jsonl_sink.h"
#include "railcheck/output/junit_sink.h"
#include "railcheck/output/nccl_tests_json_sink.h"
#include "railcheck/output/prometheus_sink.h"
#include "railcheck/output/results_document_sink.h"

namespace railcheck {

SinkRegistry SinkRegistry::standard() {
  SinkRegistry registry;
  // Files first: a record is on disk before it is on the console, and results.json exists when the console
  // names it.
  registry.add({"jsonl", [](const SinkContext& c) { return std::make_unique<JsonlSink>(c.dir / "results.jsonl"); }});
  registry.add({"results_json", [](const SinkContext& c) {
                  return std::make_unique<ResultsDocumentSink>(c.dir / "results.jsonl", c.dir / "results.json");
                }});
  registry.add({"html", [](const SinkContext& c) { return std::make_unique<HtmlReportSink>(c.dir, c.err); }});
  registry.add({"nccl_tests_json", [](const SinkContext& c) -> std::unique_ptr<OutputSink> {
                  const auto file = c.files.find("nccl_tests_json");
                  if (file == c.files.end()) return nullptr;
                  return std::make_unique<NcclTestsJsonSink>(file->second, c.out);
                }});
  registry.add({"junit", [](const SinkContext& c) -> std::unique_ptr<OutputSink> {
                  const auto file = c.files.find("junit");
                  if (file == c.files.end()) return nullptr;
                  return std::make_unique<JunitSink>(file->second);
                }});
  registry.add({"prometheus", [](const SinkContext& c) -> std::unique_ptr<OutputSink> {
                  const auto file = c.files.find("prometheus");
                  if (file == c.files.end()) return nullptr;
                  return std::make_unique<PrometheusSink>(file->second);
                }});
  registry.add({"console", [](const SinkContext& c) { return std::make_unique<ConsoleSink>(c.out, c.err, c.dir); }});
  return registry;
}

SinkRegistry& SinkRegistry::add(SinkKind kind) {
  kinds_.push_back(std::move(kind));
  return *this;
}

SinkFanout SinkRegistry::open(const SinkContext& context) const {
  SinkFanout fanout;
  for (const SinkKind& kind : kinds_) {
    if (auto sink = kind.make(context)) fanout.add(std::move(sink));
  }
  return fanout;
}

}  // namespace railcheck
