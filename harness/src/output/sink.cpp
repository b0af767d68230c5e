#include "railcheck/output/sink.h"

namespace railcheck {

std::string_view name_of(NoteLevel level) {
  switch (level) {
    case NoteLevel::kInfo:
      return "info";
    case NoteLevel::kSkip:
      return "skip";
    case NoteLevel::kWarning:
      return "warning";
    case NoteLevel::kFailure:
      return "failure";
  }
  return "info";
}

void SinkFanout::begin_run(const RunManifest& manifest) {
  for (auto& sink : sinks_) sink->begin_run(manifest);
}
void SinkFanout::begin_test(const TestStart& test) {
  for (auto& sink : sinks_) sink->begin_test(test);
}
void SinkFanout::record(const Record& record) {
  for (auto& sink : sinks_) sink->record(record);
}
void SinkFanout::note(NoteLevel level, const std::string& text) {
  for (auto& sink : sinks_) sink->note(level, text);
}
void SinkFanout::end_test(const TestStart& test) {
  for (auto& sink : sinks_) sink->end_test(test);
}
void SinkFanout::verdicts(const VerdictReport& report) {
  for (auto& sink : sinks_) sink->verdicts(report);
}
void SinkFanout::watchdog(const WatchdogReport& report) noexcept {
  for (auto& sink : sinks_) sink->watchdog(report);
}
void SinkFanout::end_run(const RunManifest& manifest, const RunSummary& summary) {
  for (auto& sink : sinks_) sink->end_run(manifest, summary);
}

}  // namespace railcheck
