#include "railcheck/output/console_sink.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "console_soak_summary.h"
#include "railcheck/analysis/verdict.h"

namespace railcheck {

ConsoleSink::ConsoleSink(std::ostream& out, std::ostream& err, std::filesystem::path results_dir)
    : out_(out),
      err_(err),
      results_dir_(std::move(results_dir)),
      rows_([this](const CollectiveRecord* out_of_place, const CollectiveRecord* in_place) {
        print_row(out_of_place, in_place);
      }),
      soak_(std::make_unique<SoakSummary>()) {}

ConsoleSink::~ConsoleSink() = default;

void ConsoleSink::begin_run(const RunManifest& m) {
  out_ << "# railcheck " << m.railcheck_version << " (" << m.git_revision << ")  " << m.suite
       << "  backend: " << m.backend << " (" << m.backend_reason << ")\n";
  out_ << "# " << m.ranks.size() << " ranks on " << m.hosts.size() << " hosts; results: see end of output\n#\n";
  out_ << "# Using devices\n";
  for (const RankEntry& entry : m.ranks) {
    char line[256];
    std::snprintf(line, sizeof line, "#  Rank %2d Group  0 Pid %6d on %10s device %2d [%s] %s\n", entry.info.rank,
                  entry.info.pid, entry.info.host.c_str(), entry.gpu ? entry.gpu->device : -1,
                  entry.gpu ? entry.gpu->pci_bus_id.c_str() : "host",
                  entry.gpu ? entry.gpu->name.c_str() : "host memory");
    out_ << line;
  }
  out_ << single_cpu_note(m);
  out_.flush();
}

void ConsoleSink::begin_test(const TestStart& test) {
  rows_.flush();
  unit_ = test.unit;
  if (test.interval) {  // a soak: the header once, then summary lines per interval
    if (std::find(soak_headers_.begin(), soak_headers_.end(), test.name) != soak_headers_.end()) return;
    soak_headers_.push_back(test.name);
  }
  if (test.collective != nullptr) {
    out_ << format_collective_header(*test.collective, test.nranks);
    display_ = row_display_of(*test.collective);
  } else {
    if (!test.name.empty()) out_ << "# test " << test.name << '\n';
    for (const std::string& line : test.description) out_ << "# " << line << '\n';
  }
  links_.clear();
  out_.flush();
}

void ConsoleSink::flush_soak() {
  for (const std::string& line : soak_->take_lines(unit_)) out_ << line << '\n';
}

void ConsoleSink::record(const Record& record) {
  if (const auto* telemetry = std::get_if<TelemetryRecord>(&record)) {  // soak or not: only what shows trouble
    print(*telemetry);
    return;
  }
  if (const std::optional<int> interval = interval_of(record)) {
    if (std::holds_alternative<CollectiveRecord>(record)) collectives_seen_ = true;
    if (soak_->interval() && *soak_->interval() != *interval) flush_soak();
    soak_->add(record);
    return;
  }
  std::visit([this](const auto& r) { print(r); }, record);
  out_.flush();
}

void ConsoleSink::print(const CollectiveRecord& r) {
  collectives_seen_ = true;
  rows_.add(r);
}

void ConsoleSink::print_row(const CollectiveRecord* out_of_place, const CollectiveRecord* in_place) {
  out_ << format_collective_line(out_of_place, in_place, display_) << '\n';
  for (const CollectiveRecord* half : {out_of_place, in_place}) {
    if (half != nullptr && !half->timing_warning.empty()) out_ << "# WARNING: " << half->timing_warning << '\n';
  }
}

void ConsoleSink::print(const P2pRecord& r) {
  out_ << format_p2p_line(r, unit_) << '\n';
  if (r.phase == "first") links_.push_back(r);
}

void ConsoleSink::print(const GpuCheckRecord& r) { out_ << "# " << format_gpu_check_line(r) << '\n'; }

void ConsoleSink::print(const BisectionRecord& r) {
  std::vector<std::string> names;
  for (const BisectionMember& m : r.members) {
    names.push_back(m.local_rank ? analysis::label(analysis::make_gpu(m.host, *m.local_rank)) : m.host);
  }
  out_ << "# bisect " << r.test << " round " << r.round << ": " << analysis::format_list(names) << " (" << r.nranks
       << " ranks) busbw " << analysis::format_value(r.busbw_gbps, "busbw_gbps") << ": "
       << (r.slow ? (r.split ? "SLOW, split" : "SLOW, isolated") : "ok") << '\n';
}

void ConsoleSink::print(const TelemetryRecord& r) {
  if (!shows_trouble(r)) return;
  rows_.flush();
  flush_soak();
  out_ << "# telemetry " << format_telemetry_line(r) << '\n';
  out_.flush();
}

void ConsoleSink::note(NoteLevel level, const std::string& text) {
  rows_.flush();
  flush_soak();
  // A soak repeats its tests, and a skipped one says why on every pass: once is enough on the console.
  if (level == NoteLevel::kSkip && !soak_headers_.empty()) {
    if (std::find(soak_skips_.begin(), soak_skips_.end(), text) != soak_skips_.end()) return;
    soak_skips_.push_back(text);
  }
  switch (level) {
    case NoteLevel::kInfo:
      out_ << "# " << text << '\n';
      break;
    case NoteLevel::kSkip:
      out_ << "# SKIP " << text << '\n';
      break;
    case NoteLevel::kWarning:
      out_ << "# WARNING: " << text << '\n';
      break;
    case NoteLevel::kFailure:
      out_ << "# FAILED " << text << '\n';
      break;
  }
  out_.flush();
}

void ConsoleSink::end_test(const TestStart& test) {
  rows_.flush();
  if (test.interval) return;  // a soak's pass: no link matrices per pass
  if (test.kind == LineType::kP2p && !links_.empty()) out_ << format_link_matrices(links_, test.hosts, test.unit);
  links_.clear();
  out_.flush();
}

void ConsoleSink::verdicts(const VerdictReport& report) {
  rows_.flush();
  flush_soak();
  analysis::print_verdicts(out_, report.verdicts);
  out_.flush();
}

void ConsoleSink::watchdog(const WatchdogReport& report) noexcept {
  try {
    err_ << report.text << std::endl;
  } catch (...) {  // the watchdog ends the job next; nothing to do about a broken stream
  }
}

void ConsoleSink::end_run(const RunManifest&, const RunSummary& s) {
  rows_.flush();
  flush_soak();
  if (collectives_seen_) {
    // nccl-tests' footer, to the character (src/util.cu writeResultFooter).
    char line[160];
    std::snprintf(line, sizeof line, "#\n# %-20s : %d %s\n", "Out of bounds values", s.out_of_bounds,
                  s.out_of_bounds ? "FAILED" : "OK");
    out_ << line;
    const std::optional<bool> ok = avg_busbw_ok(s);
    std::snprintf(line, sizeof line, "# %-20s : %g %s\n", "Avg bus bandwidth", s.avg_busbw_gbps,
                  !ok ? "" : (*ok ? "OK" : "FAILED"));
    out_ << line;
  }
  if (s.skipped_records > 0) out_ << "# Skipped records      : " << s.skipped_records << '\n';
  for (const std::string& problem : s.problems) out_ << "# PROBLEM: " << problem << '\n';
  out_ << "#\n";
  if (!results_dir_.empty()) {
    out_ << "# results: " << (results_dir_ / "results.json").string()
         << " (streamed: " << (results_dir_ / "results.jsonl").string()
         << "; report: " << (results_dir_ / "results.html").string() << ")\n";
  }
  out_.flush();
}

}  // namespace railcheck
