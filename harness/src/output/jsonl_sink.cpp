#include "railcheck/output/jsonl_sink.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "railcheck/analysis/analyze.h"
#include "railcheck/core/error.h"
#include "railcheck/record/wall_clock.h"

namespace railcheck {
namespace {

// O_APPEND: the stream's writes and append_line_now's land whole, one after the other.
std::FILE* open_stream(const std::filesystem::path& path) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_APPEND | O_CLOEXEC, 0644);
  if (fd < 0) return nullptr;
  std::FILE* stream = ::fdopen(fd, "a");
  if (stream == nullptr) ::close(fd);
  return stream;
}

nlohmann::json line_of(LineType type, nlohmann::json body) {
  body["type"] = line_type_info(type).name;
  return body;
}

}  // namespace

JsonlSink::JsonlSink(std::filesystem::path path) : path_(std::move(path)), stream_(open_stream(path_), &std::fclose) {
  if (!stream_) throw Error("cannot create results stream " + path_.string() + ": " + std::strerror(errno));
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

void JsonlSink::write_line(const nlohmann::json& line) {
  const std::string text = line.dump() + "\n";
  if (std::fwrite(text.data(), 1, text.size(), stream_.get()) != text.size() || std::fflush(stream_.get()) != 0 ||
      fdatasync(fileno(stream_.get())) != 0) {  // a crash of the node keeps what was measured
    throw Error("cannot write results stream " + path_.string() + ": " + std::strerror(errno));
  }
}

void JsonlSink::begin_run(const RunManifest& m) {
  write_line({{"type", line_type_info(LineType::kManifest).name},
              {"schema_version", kResultsSchemaVersion},
              {"manifest", to_json(m)}});
}

void JsonlSink::record(const Record& record) { write_line(line_of(line_type_of(record), to_json(record))); }

void JsonlSink::note(NoteLevel level, const std::string& text) {
  write_line(line_of(LineType::kNote, {{"level", name_of(level)}, {"text", text}, {"unix_s", unix_now_s()}}));
}

void JsonlSink::verdicts(const VerdictReport& report) {
  write_line(line_of(LineType::kVerdicts,
                     {{"analysis", report.analysis}, {"verdicts", analysis::verdicts_json(report.verdicts)}}));
}

void JsonlSink::watchdog(const WatchdogReport& report) noexcept { append_line_now(path_, to_json(report)); }

void JsonlSink::end_run(const RunManifest& m, const RunSummary& s) {
  write_line({{"type", line_type_info(LineType::kSummary).name}, {"end_time", m.end_time}, {"summary", to_json(s)}});
}

}  // namespace railcheck
