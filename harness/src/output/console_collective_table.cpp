// nccl-tests' table for the console: header block and one line per size.
#include <cstdio>

#include "railcheck/output/console_sink.h"

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

std::string format_half(const CollectiveRecord* r) {
  char text[96];
  if (r == nullptr || r->status == RecordStatus::kSkipped) {
    std::snprintf(text, sizeof text, "  %7s  %6s  %6s  %6s", "N/A", "N/A", "N/A", "N/A");
    return text;
  }
  const std::string times = "  " + format_float(r->time_us, 7) + "  " + format_float(r->algbw_gbps, 6) + "  " +
                            format_float(r->busbw_gbps, 6);
  if (r->wrong_elements < 0) return times + "    N/A";  // not checked: nccl-tests' literal
  std::snprintf(text, sizeof text, "  %6g", static_cast<double>(r->wrong_elements));
  return times + text;
}

}  // namespace

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
  out += "#\n";
  const char* format = "# %10s  %12s  %8s  %6s  %6s  %7s  %6s  %6s  %6s  %7s  %6s  %6s  %6s\n";
  std::snprintf(line, sizeof line, format, "", "", "", "", "", "", "", "out-of-place", "", "", "", "in-place", "");
  out += line;
  std::snprintf(line, sizeof line, format, "size", "count", "type", "redop", "root", "time", "algbw", "busbw", "#wrong",
                "time", "algbw", "busbw", "#wrong");
  out += line;
  std::snprintf(line, sizeof line, format, "(B)", "(elements)", "", "", "", "(us)", "(GB/s)", "(GB/s)", "", "(us)",
                "(GB/s)", "(GB/s)", "");
  out += line;
  return out;
}

std::string format_collective_line(const CollectiveRecord* out_of_place, const CollectiveRecord* in_place) {
  const CollectiveRecord* any = out_of_place != nullptr ? out_of_place : in_place;
  if (any == nullptr) return "";
  char head[128];
  std::snprintf(head, sizeof head, "%12zu  %12zu  %8s  %6s  %6d", any->size_bytes, any->count,
                std::string(name_of(any->type)).c_str(), any->op ? std::string(name_of(*any->op)).c_str() : "none",
                any->root ? *any->root : -1);
  return std::string(head) + format_half(out_of_place) + format_half(in_place);
}

}  // namespace railcheck
