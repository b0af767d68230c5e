#include "railcheck/output/sinks.h"

#include <fcntl.h>
#include <unistd.h>

#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <stdexcept>

#include "railcheck/core/error.h"
#include "railcheck/run/sizes.h"

namespace railcheck {

nlohmann::json to_json(const RunSummary& s) {
  return {{"records", s.records},
          {"skipped_records", s.skipped_records},
          {"wrong_records", s.wrong_records},
          {"wrong_elements", s.wrong_elements},
          {"avg_busbw_gbps", s.avg_busbw_gbps},
          {"problems", s.problems},
          {"exit_code", s.exit_code}};
}

nlohmann::json results_document(const RunManifest& manifest, nlohmann::json records, const RunSummary& summary,
                                const nlohmann::json& analysis) {
  nlohmann::json doc = {{"schema_version", kResultsSchemaVersion},
                        {"kind", "railcheck.results"},
                        {"manifest", to_json(manifest)},
                        {"records", std::move(records)},
                        {"summary", to_json(summary)}};
  if (!analysis.is_null()) {
    doc["analysis"] = analysis.value("analysis", nlohmann::json::object());
    doc["verdicts"] = analysis.value("verdicts", nlohmann::json::array());
  }
  return doc;
}

// ---- SinkList

void SinkList::begin_run(const RunManifest& m) {
  for (auto& sink : sinks_) sink->begin_run(m);
}
void SinkList::begin_test(const CollectiveTestSpec& spec, int nranks) {
  for (auto& sink : sinks_) sink->begin_test(spec, nranks);
}
void SinkList::record(const CollectiveRecord& r) {
  for (auto& sink : sinks_) sink->record(r);
}
void SinkList::end_run(const RunManifest& m, const RunSummary& s) {
  for (auto& sink : sinks_) sink->end_run(m, s);
}

// ---- ConsoleTableSink

namespace {

std::string format_time(double us) {
  char text[32];
  if (us >= 10000.0)
    std::snprintf(text, sizeof text, "%7.0f", us);
  else if (us >= 100.0)
    std::snprintf(text, sizeof text, "%7.1f", us);
  else
    std::snprintf(text, sizeof text, "%7.2f", us);
  return text;
}

std::string format_half(const CollectiveRecord* r) {
  char text[96];
  if (r == nullptr || r->status == RecordStatus::kSkipped) {
    std::snprintf(text, sizeof text, "  %7s  %6s  %6s  %6s", "N/A", "N/A", "N/A", "N/A");
    return text;
  }
  const std::string wrong = r->wrong_elements < 0 ? "N/A" : std::to_string(r->wrong_elements);
  std::snprintf(text, sizeof text, "  %s  %6.2f  %6.2f  %6s", format_time(r->time_us).c_str(), r->algbw_gbps,
                r->busbw_gbps, wrong.c_str());
  return text;
}

}  // namespace

void ConsoleTableSink::begin_run(const RunManifest& m) {
  out_ << "# railcheck " << m.railcheck_version << " (" << m.git_revision << ")  backend: " << m.backend << " ("
       << m.backend_reason << ")\n";
  out_ << "# " << m.ranks.size() << " ranks on " << m.hosts.size() << " hosts; results: see end of output\n#\n";
  out_ << "# Using devices\n";
  for (const RankEntry& entry : m.ranks) {
    char line[256];
    std::snprintf(line, sizeof line, "#  Rank %2d Group  0 Pid %6d on %10s device %2d [%s] %s\n", entry.info.rank,
                  entry.info.pid, entry.info.host.c_str(), entry.gpu ? entry.gpu->device : -1,
                  entry.gpu ? entry.gpu->pci_bus_id.c_str() : "host",
                  entry.gpu ? entry.gpu->name.c_str() : "MPI host memory");
    out_ << line;
  }
  out_ << single_cpu_note(m);
  out_.flush();
}

void ConsoleTableSink::begin_test(const CollectiveTestSpec& spec, int nranks) {
  flush_line();
  current_test_ = spec.name;
  char line[512];
  out_ << "#\n# Collective test starting: " << spec.name << " (" << key_of(spec.kind) << ", " << nranks << " ranks)\n";
  char step[48];
  if (spec.step_factor > 1.0)
    std::snprintf(step, sizeof step, "%g(factor)", spec.step_factor);
  else
    std::snprintf(step, sizeof step, "%zu(bytes)", spec.step_bytes);
  std::snprintf(
      line, sizeof line, "# minBytes %zu maxBytes %zu step: %s warmup iters: %d iters: %d validation: %d graph: %d\n",
      spec.min_bytes, spec.max_bytes, step, spec.warmup_iters, spec.iters, spec.check_iters, spec.graph_launches);
  out_ << line << "#\n";
  std::snprintf(line, sizeof line, "# %10s  %12s  %8s  %6s  %6s  %7s  %6s  %6s  %6s  %7s  %6s  %6s  %6s\n", "", "", "",
                "", "", "", "", "out-of-place", "", "", "", "in-place", "");
  out_ << line;
  std::snprintf(line, sizeof line, "# %10s  %12s  %8s  %6s  %6s  %7s  %6s  %6s  %6s  %7s  %6s  %6s  %6s\n", "size",
                "count", "type", "redop", "root", "time", "algbw", "busbw", "#wrong", "time", "algbw", "busbw",
                "#wrong");
  out_ << line;
  std::snprintf(line, sizeof line, "# %10s  %12s  %8s  %6s  %6s  %7s  %6s  %6s  %6s  %7s  %6s  %6s  %6s\n", "(B)",
                "(elements)", "", "", "", "(us)", "(GB/s)", "(GB/s)", "", "(us)", "(GB/s)", "(GB/s)", "");
  out_ << line;
  out_.flush();
}

std::string ConsoleTableSink::format_line(const CollectiveRecord* out_of_place, const CollectiveRecord* in_place) {
  const CollectiveRecord* any = out_of_place != nullptr ? out_of_place : in_place;
  if (any == nullptr) return "";
  char head[128];
  std::snprintf(head, sizeof head, "%12zu  %12zu  %8s  %6s  %6d", any->size_bytes, any->count,
                std::string(name_of(any->type)).c_str(), any->op ? std::string(name_of(*any->op)).c_str() : "none",
                any->root ? *any->root : -1);
  return std::string(head) + format_half(out_of_place) + format_half(in_place);
}

void ConsoleTableSink::record(const CollectiveRecord& r) {
  if (!r.in_place) {
    flush_line();
    pending_ = std::make_unique<CollectiveRecord>(r);
    return;
  }
  if (pending_ && pending_->size_bytes == r.size_bytes) {
    out_ << format_line(pending_.get(), &r) << '\n';
    pending_.reset();
  } else {
    flush_line();
    out_ << format_line(nullptr, &r) << '\n';
  }
  out_.flush();
}

void ConsoleTableSink::flush_line() {
  if (!pending_) return;
  out_ << format_line(pending_.get(), nullptr) << '\n';
  pending_.reset();
  out_.flush();
}

void ConsoleTableSink::end_run(const RunManifest&, const RunSummary& s) {
  flush_line();
  out_ << "#\n# Out of bounds values : " << s.wrong_elements << (s.wrong_elements == 0 ? " OK" : " FAILED") << '\n';
  char line[128];
  std::snprintf(line, sizeof line, "# Avg bus bandwidth    : %g\n", s.avg_busbw_gbps);
  out_ << line;
  if (s.skipped_records > 0) out_ << "# Skipped records      : " << s.skipped_records << '\n';
  for (const std::string& problem : s.problems) out_ << "# PROBLEM: " << problem << '\n';
  out_ << "#\n";
  out_.flush();
}

// ---- ResultsFiles

ResultsFiles::ResultsFiles(std::filesystem::path dir)
    : dir_(std::move(dir)), stream_(std::fopen((dir_ / "results.jsonl").c_str(), "w"), &std::fclose) {
  if (!stream_)
    throw Error("cannot create results stream " + (dir_ / "results.jsonl").string() + ": " + std::strerror(errno));
}

bool append_line_now(const std::filesystem::path& file, const nlohmann::json& line) noexcept {
  try {
    const std::string text = line.dump() + "\n";
    const int fd = ::open(file.c_str(), O_WRONLY | O_APPEND | O_CLOEXEC);
    if (fd < 0) return false;
    const bool ok = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size()) && fdatasync(fd) == 0;
    ::close(fd);
    return ok;
  } catch (...) {
    return false;
  }
}

void ResultsFiles::write_line(const nlohmann::json& line) {
  const std::string text = line.dump() + "\n";
  if (std::fwrite(text.data(), 1, text.size(), stream_.get()) != text.size() || std::fflush(stream_.get()) != 0) {
    throw Error("cannot write results stream " + (dir_ / "results.jsonl").string() + ": " + std::strerror(errno));
  }
  fdatasync(fileno(stream_.get()));  // a crash of the node keeps what was measured
}

void ResultsFiles::begin(const RunManifest& m) {
  write_line({{"type", line_type_info(LineType::kManifest).name},
              {"schema_version", kResultsSchemaVersion},
              {"manifest", to_json(m)}});
}

void ResultsFiles::add(LineType type, nlohmann::json record) {
  const LineTypeInfo& info = line_type_info(type);
  if (!is_record(info))
    throw std::logic_error("ResultsFiles::add: '" + std::string(info.name) + "' is not a record type");
  records_.push_back(record);
  record["type"] = info.name;
  write_line(record);
}

void ResultsFiles::set_analysis(nlohmann::json analysis, nlohmann::json verdicts) {
  write_line({{"type", line_type_info(LineType::kVerdicts).name}, {"analysis", analysis}, {"verdicts", verdicts}});
  analysis_ = {{"analysis", std::move(analysis)}, {"verdicts", std::move(verdicts)}};
}

void ResultsFiles::finish(const RunManifest& m, const RunSummary& s) {
  write_line({{"type", line_type_info(LineType::kSummary).name}, {"end_time", m.end_time}, {"summary", to_json(s)}});
  const std::filesystem::path final_path = dir_ / "results.json";
  const std::filesystem::path temporary = dir_ / "results.json.tmp";
  {
    std::ofstream out(temporary);
    out << results_document(m, records_, s, analysis_).dump(2) << '\n';
    if (!out) throw Error("cannot write results document " + temporary.string());
  }
  std::error_code ec;
  std::filesystem::rename(temporary, final_path, ec);
  if (ec) throw Error("cannot move " + temporary.string() + " to " + final_path.string() + ": " + ec.message());
}

}  // namespace railcheck
