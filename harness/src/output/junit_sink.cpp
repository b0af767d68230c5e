#include "railcheck/output/junit_sink.h"

#include <cstdio>
#include <sstream>

#include <pugixml.hpp>

#include "railcheck/core/error.h"
#include "railcheck/output/atomic_file.h"

namespace railcheck {
namespace {

// XML 1.0 has no place for most control characters, even escaped: they become spaces.
std::string xml_text(std::string text) {
  for (char& c : text) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 && c != '\n' && c != '\t' && c != '\r') c = ' ';
  }
  return text;
}

// junit-10.xsd's SUREFIRE_TIME: seconds with at most 3 decimals.
std::string seconds_text(double seconds) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.3f", seconds > 0 ? seconds : 0.0);
  return buffer;
}

void attribute(pugi::xml_node node, const char* name, const std::string& value) {
  node.append_attribute(name).set_value(xml_text(value).c_str());
}

// Every piece of evidence, one per line, then the action: what a person reads under the testcase.
std::string evidence_text(const analysis::Verdict& v) {
  std::string text;
  for (const analysis::Evidence& e : v.evidence) {
    text += std::string(analysis::key_of(e.status)) + ": " + e.text + "\n";
    if (!e.explanation.empty()) text += "  explanation: " + e.explanation + "\n";
  }
  if (!v.action.empty()) text += "action: " + v.action + "\n";
  return text;
}

std::string headline(const analysis::Verdict& v) {
  return v.evidence.empty() ? std::string(analysis::key_of(v.status)) : v.evidence.front().text;
}

}  // namespace

std::string junit_document(const RunManifest& manifest, const std::vector<analysis::Verdict>* verdicts,
                           const RunSummary* summary, const WatchdogReport* stuck, double seconds) {
  pugi::xml_document doc;
  pugi::xml_node declaration = doc.append_child(pugi::node_declaration);
  declaration.append_attribute("version") = "1.0";
  declaration.append_attribute("encoding") = "UTF-8";
  pugi::xml_node suites = doc.append_child("testsuites");
  pugi::xml_node suite = suites.append_child("testsuite");
  int tests = 0, failures = 0, errors = 0, skipped = 0;

  pugi::xml_node properties = suite.append_child("properties");
  auto property = [&](const char* name, const std::string& value) {
    if (value.empty()) return;
    pugi::xml_node p = properties.append_child("property");
    attribute(p, "name", name);
    attribute(p, "value", value);
  };
  property("railcheck_version", manifest.railcheck_version);
  property("git_revision", manifest.git_revision);
  property("command_line", manifest.command_line);
  property("suite", manifest.suite);
  property("backend", manifest.backend);
  property("slurm_job_id", manifest.slurm_job_id);
  property("start_time", manifest.start_time);
  property("end_time", manifest.end_time);
  std::string hosts;
  for (const std::string& h : manifest.hosts) hosts += (hosts.empty() ? "" : ",") + h;
  property("hosts", hosts);

  // The run itself: did it end, and did its own checks hold.
  pugi::xml_node run = suite.append_child("testcase");
  attribute(run, "classname", "railcheck.run");
  attribute(run, "name", manifest.suite.empty() ? std::string("run") : manifest.suite);
  attribute(run, "time", seconds_text(seconds));
  ++tests;
  if (stuck != nullptr) {
    pugi::xml_node error = run.append_child("error");
    attribute(error, "type", "WATCHDOG");
    attribute(error, "message", "step '" + stuck->step + "' did not complete; the watchdog ended the job");
    error.text().set(xml_text(stuck->text).c_str());
    ++errors;
  } else if (summary == nullptr) {
    pugi::xml_node error = run.append_child("error");
    attribute(error, "type", "UNFINISHED");
    attribute(error, "message", "the run did not finish");
    ++errors;
  } else if (!summary->problems.empty()) {
    std::string text;
    for (const std::string& p : summary->problems) text += p + "\n";
    pugi::xml_node failure = run.append_child("failure");
    attribute(failure, "type", "FAIL");
    attribute(failure, "message", summary->problems.front());
    failure.text().set(xml_text(text).c_str());
    ++failures;
  }

  for (const analysis::Verdict& v : verdicts != nullptr ? *verdicts : std::vector<analysis::Verdict>{}) {
    pugi::xml_node test = suite.append_child("testcase");
    attribute(test, "classname", "railcheck." + std::string(analysis::key_of(v.component.kind)));
    attribute(test, "name", analysis::label(v.component));
    attribute(test, "time", "0");
    ++tests;
    const std::string text = evidence_text(v);
    switch (v.status) {
      case analysis::VerdictStatus::kFail: {
        pugi::xml_node failure = test.append_child("failure");
        attribute(failure, "type", "FAIL");
        attribute(failure, "message", headline(v));
        failure.text().set(xml_text(text).c_str());
        ++failures;
        break;
      }
      case analysis::VerdictStatus::kWarn:
        test.append_child("system-out").text().set(xml_text("WARN " + text).c_str());
        break;
      case analysis::VerdictStatus::kSkip: {
        pugi::xml_node skip = test.append_child("skipped");
        attribute(skip, "message", headline(v));
        ++skipped;
        break;
      }
      case analysis::VerdictStatus::kPass:
        if (!text.empty()) test.append_child("system-out").text().set(xml_text(text).c_str());
        break;
    }
  }

  const std::string name = "railcheck" + (manifest.suite.empty() ? std::string() : " " + manifest.suite);
  for (pugi::xml_node n : {suites, suite}) {
    attribute(n, "name", name);
    attribute(n, "tests", std::to_string(tests));
    attribute(n, "failures", std::to_string(failures));
    attribute(n, "errors", std::to_string(errors));
    attribute(n, "time", seconds_text(seconds));
  }
  attribute(suite, "skipped", std::to_string(skipped));
  attribute(suite, "timestamp", manifest.start_time);
  attribute(suite, "package", "railcheck");
  if (!manifest.ranks.empty()) attribute(suite, "hostname", manifest.ranks.front().info.host);
  if (!manifest.slurm_job_id.empty()) attribute(suite, "id", manifest.slurm_job_id);
  std::ostringstream out;
  doc.save(out, "  ", pugi::format_default, pugi::encoding_utf8);
  return out.str();
}

void check_junit_file(const std::filesystem::path& file) {
  check_output_file("--junit", file, ".xml", "a JUnit report's name ends in .xml (GitLab reads only those)", "");
}

void write_junit_file(const std::filesystem::path& file, const std::string& document) {
  if (const std::string error = write_file_atomically(file, document); !error.empty()) {
    throw Error("--junit " + file.string() + ": " + error);
  }
}

JunitSink::JunitSink(std::filesystem::path file) : file_(std::move(file)) { check_junit_file(file_); }

void JunitSink::begin_run(const RunManifest& manifest) {
  const std::lock_guard lock(mutex_);
  manifest_ = manifest;
  started_ = std::chrono::steady_clock::now();
}

void JunitSink::verdicts(const VerdictReport& report) {
  const std::lock_guard lock(mutex_);
  verdicts_ = report.verdicts;
}

void JunitSink::watchdog(const WatchdogReport& report) noexcept {
  try {
    const std::unique_lock lock(mutex_, std::try_to_lock);
    if (lock.owns_lock()) write(manifest_, nullptr, &report);
  } catch (...) {  // the report on the console matters more
  }
}

void JunitSink::end_run(const RunManifest& manifest, const RunSummary& summary) {
  const std::lock_guard lock(mutex_);
  write(manifest, &summary, nullptr);
}

void JunitSink::write(const RunManifest& manifest, const RunSummary* summary, const WatchdogReport* stuck) {
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count();
  write_junit_file(file_, junit_document(manifest, verdicts_ ? &*verdicts_ : nullptr, summary, stuck, seconds));
}

}  // namespace railcheck
