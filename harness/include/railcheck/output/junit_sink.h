// JUnit XML (`--junit FILE.xml`) for the CI a nightly run reports to (Jenkins, GitLab, GitHub's JUnit actions):
// one <testcase> per judged component (classname "railcheck.node" / ".gpu" / ".nic" / ".link", name its label)
// and one for the run itself ("railcheck.run"). A failing component is a <failure type="FAIL"> whose message is
// its worst evidence and whose text is every piece of evidence and the playbook's action; a warning passes with
// the same text in <system-out> (it must not fail a pipeline, a person should still see it); a skipped one is
// <skipped>. The run's own problems (wrong elements, a missed minimum bandwidth) fail the run's testcase; a run
// the watchdog ended is an <error> naming the step, written before the job ends. Only the elements and
// attributes of Jenkins xunit's junit-10.xsd, so strict readers accept it (tests/fixtures/junit). Written once,
// atomically, at the end of the run.
#pragma once

#include <chrono>
#include <filesystem>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "railcheck/output/sink.h"

namespace railcheck {

class JunitSink final : public OutputSink {
 public:
  /// Throws Error naming --junit and the file when its name does not end in .xml or its directory is not
  /// writable (before anything is measured).
  explicit JunitSink(std::filesystem::path file);

  void begin_run(const RunManifest& manifest) override;
  void verdicts(const VerdictReport& report) override;
  void watchdog(const WatchdogReport& report) noexcept override;
  void end_run(const RunManifest& manifest, const RunSummary& summary) override;

 private:
  void write(const RunManifest& manifest, const RunSummary* summary, const WatchdogReport* stuck);

  std::filesystem::path file_;
  std::mutex mutex_;  ///< the main thread's calls against the watchdog's
  RunManifest manifest_;
  std::chrono::steady_clock::time_point started_;
  std::optional<std::vector<analysis::Verdict>> verdicts_;
};

/// The document for `verdicts` of the run `manifest` describes (`summary` null: the run did not end; `stuck`
/// non-null: the watchdog ended it); `seconds` the run's duration. Pure, for tests.
std::string junit_document(const RunManifest& manifest, const std::vector<analysis::Verdict>* verdicts,
                           const RunSummary* summary, const WatchdogReport* stuck, double seconds);

/// --junit's checks, before anything is measured: InputError unless `file` ends in .xml in a writable directory.
void check_junit_file(const std::filesystem::path& file);
/// Writes `document` to `file` atomically; Error naming --junit and the file when it cannot.
void write_junit_file(const std::filesystem::path& file, const std::string& document);

}  // namespace railcheck
