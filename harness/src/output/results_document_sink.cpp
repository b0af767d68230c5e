#include "railcheck/output/results_document_sink.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <memory>

#include "railcheck/core/error.h"

namespace railcheck {
namespace {

using nlohmann::json;

// `value` dumped with indent 2, every line after the first indented by `indent` more (its place in the
// document).
std::string nested(const json& value, const std::string& indent) {
  std::string text = value.dump(2);
  std::string out;
  for (char c : text) {
    out += c;
    if (c == '\n') out += indent;
  }
  return out;
}

class DocumentFile {
 public:
  explicit DocumentFile(const std::filesystem::path& path)
      : path_(path), file_(std::fopen(path.c_str(), "w"), &std::fclose) {
    if (!file_) fail("cannot create");
  }
  void write(const std::string& text) {
    if (std::fwrite(text.data(), 1, text.size(), file_.get()) != text.size()) fail("cannot write");
  }
  // Flushed and synced, so the rename that follows never exposes a half-written document after a crash.
  void close() {
    if (std::fflush(file_.get()) != 0 || fsync(fileno(file_.get())) != 0) fail("cannot write");
    if (std::fclose(file_.release()) != 0) fail("cannot close");
  }

 private:
  [[noreturn]] void fail(const char* what) const {
    throw Error(std::string(what) + " results document " + path_.string() + ": " + std::strerror(errno));
  }
  std::filesystem::path path_;
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> file_;
};

void sync_directory(const std::filesystem::path& dir) {
  const int fd = ::open(dir.empty() ? "." : dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return;  // best effort: the rename itself succeeded
  fsync(fd);
  ::close(fd);
}

}  // namespace

void ResultsDocumentSink::end_run(const RunManifest& manifest, const RunSummary& summary) {
  std::ifstream lines(stream_);
  if (!lines) throw Error("cannot read results stream " + stream_.string() + " to assemble " + document_.string());
  const std::filesystem::path temporary = document_.string() + ".tmp";
  DocumentFile out(temporary);
  out.write("{\n  \"schema_version\": " + json(kResultsSchemaVersion).dump() +
            ",\n  \"kind\": \"railcheck.results\",\n  \"manifest\": " + nested(to_json(manifest), "  ") +
            ",\n  \"records\": [");
  json analysis, verdicts;
  bool first = true;
  for (std::string text; std::getline(lines, text);) {
    json line = json::parse(text, nullptr, /*allow_exceptions=*/false);
    if (!line.is_object()) continue;
    const auto type = find_line_type(line.value("type", ""));
    if (!type) continue;
    if (is_record(*type)) {
      line.erase("type");
      out.write(std::string(first ? "\n    " : ",\n    ") + line.dump());
      first = false;
    } else if (type->type == LineType::kVerdicts) {
      analysis = line.value("analysis", json::object());
      verdicts = line.value("verdicts", json::array());
    }
  }
  out.write(std::string(first ? "]" : "\n  ]") + ",\n  \"summary\": " + nested(to_json(summary), "  "));
  if (!verdicts.is_null()) {
    out.write(",\n  \"analysis\": " + nested(analysis, "  ") + ",\n  \"verdicts\": " + nested(verdicts, "  "));
  }
  out.write("\n}\n");
  out.close();
  std::error_code ec;
  std::filesystem::rename(temporary, document_, ec);
  if (ec) throw Error("cannot move " + temporary.string() + " to " + document_.string() + ": " + ec.message());
  sync_directory(document_.parent_path());
}

}  // namespace railcheck
