// nccl-tests' table for the console: header block and one line per size.
#include <cstdio>

#include "railcheck/output/console_sink.h"
#include "railcheck/output/nccl_tests_json_sink.h"

namespace railcheck {
namespace {

// nccl-tests' getFloatStr (src/util.cu): two decimals, then one, then none, then an exponent, whichever first
// fits in `width` characters (time: 7, bandwidths: 6).
std::string format_float(double value, int width) {
  char text[64];
  for (const char* format : {"%*.2f", "%*.1f", "%*.0f"}) {
    if (std::snprintf(text, sizeof text, format, width, value) <= width) return text;
  }
  std::snprintf(text, sizeof text, width >= 7 ? "%*.1e" : "%*.0e", width, value);
  return std::string(text).substr(0, static_cast<std::size_t>(width));
}

std::string format_half(const CollectiveRecord* r, bool cputime) {
  char text[96];
  if (r == nullptr || r->status == RecordStatus::kSkipped) {
    std::snprintf(text, sizeof text, "  %7s  %6s  %6s  %6s", "N/A", "N/A", "N/A", "N/A");
    return text;
  }
  const double time_us = cputime && r->cpu_time_us ? *r->cpu_time_us : r->time_us;
  const std::string times =
      "  " + format_float(time_us, 7) + "  " + format_float(r->algbw_gbps, 6) + "  " + format_float(r->busbw_gbps, 6);
  if (r->wrong_elements < 0) return times + "    N/A";  // not checked: nccl-tests' literal
  std::snprintf(text, sizeof text, "  %6g", static_cast<double>(r->wrong_elements));
  return times + text;
}

}  // namespace

RowDisplay row_display_of(const CollectiveTestSpec& spec) { return {spec.report_cputime, spec.report_timestamps}; }

std::string format_collective_header(const CollectiveTestSpec& spec, int nranks) {
  std::string out = "#\n# Collective test starting: " + spec.name + " (" + std::string(key_of(spec.kind)) + ", " +
                    std::to_string(nranks) + " ranks)\n";
  char line[512];
  char step[48];
  if (spec.step_factor > 1.0)
    std::snprintf(step, sizeof step, "%g(factor)", spec.step_factor);
  else
    std::snprintf(step, sizeof step, "%zu(bytes)", spec.step_bytes);
  std::snprintf(
      line, sizeof line, "# minBytes %zu maxBytes %zu step: %s warmup iters: %d iters: %d validation: %d graph: %d\n",
      spec.min_bytes, spec.max_bytes, step, spec.warmup_iters, spec.iters, spec.check_iters, spec.graph_launches);
  out += line;
  switch (spec.blocking) {  // nccl-tests' lines for -z
    case Blocking::kWaitAndBarrier:
      out += "# Blocking Enabled: wait and barrier after each inner iteration (-m) \n";
      break;
    case Blocking::kWait:
      out += "# Blocking Enabled: wait after each inner iteration (-m), no barrier \n";
      break;
    case Blocking::kWaitAndUntimedBarrier:
      out += "# Blocking Enabled: wait and barrier after each outer iteration (-n); time excludes barrier \n";
      break;
    case Blocking::kNone:
      break;
  }
  out += spec.timing == TimingWindow::kLoop
             ? "# timing: loop (the host clock from the first call queued until the stream drained, over the calls)\n"
             : "# timing: events (one GPU event per call, behind a stream latch)\n";
  out += "#\n";
  // nccl-tests' writeResultHeader: -C names the time columns "cputime", -S adds a timestamp column.
  const RowDisplay display = row_display_of(spec);
  const char* time = display.cputime ? "cputime" : "time";
  const int stamp_width = display.timestamp ? 19 : 0;
  const char* format = display.timestamp ? "# %10s  %12s  %8s  %6s  %6s  %7s  %6s  %6s  %6s  %7s  %6s  %6s  %6s %*s\n"
                                         : "# %10s  %12s  %8s  %6s  %6s  %7s  %6s  %6s  %6s  %7s  %6s  %6s  %6s\n";
  std::snprintf(line, sizeof line, format, "", "", "", "", "", "", "", "out-of-place", "", "", "", "in-place", "",
                stamp_width, "");
  out += line;
  std::snprintf(line, sizeof line, format, "size", "count", "type", "redop", "root", time, "algbw", "busbw", "#wrong",
                time, "algbw", "busbw", "#wrong", stamp_width, "timestamp");
  out += line;
  std::snprintf(line, sizeof line, format, "(B)", "(elements)", "", "", "", "(us)", "(GB/s)", "(GB/s)", "", "(us)",
                "(GB/s)", "(GB/s)", "", stamp_width, "%Y-%m-%d %H:%M:%S");
  out += line;
  return out;
}

std::string format_collective_line(const CollectiveRecord* out_of_place, const CollectiveRecord* in_place,
                                   const RowDisplay& display) {
  const CollectiveRecord* any = out_of_place != nullptr ? out_of_place : in_place;
  if (any == nullptr) return "";
  char head[128];
  std::snprintf(head, sizeof head, "%12zu  %12zu  %8s  %6s  %6d", any->size_bytes, any->count,
                std::string(name_of(any->type)).c_str(), any->op ? std::string(name_of(*any->op)).c_str() : "none",
                any->root ? *any->root : -1);
  std::string row =
      std::string(head) + format_half(out_of_place, display.cputime) + format_half(in_place, display.cputime);
  if (display.timestamp) {
    char stamp[32];
    std::snprintf(stamp, sizeof stamp, "%21s", nccl_tests_time_now().c_str());
    row += stamp;
  }
  return row;
}

}  // namespace railcheck
