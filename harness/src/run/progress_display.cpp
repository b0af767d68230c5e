#include "railcheck/run/progress_display.h"

#include <cstdio>

namespace railcheck {

void ProgressDisplay::on_step_begin(const StepInfo& step) {
  if (!enabled_) return;
  const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  char text[400];
  std::snprintf(text, sizeof text, "\r\033[K[railcheck %6.1f s%s%.200s] step %llu: %.120s", elapsed,
                context_.empty() ? "" : " | ", context_.c_str(), static_cast<unsigned long long>(step.number),
                step.label.c_str());
  out_ << text << std::flush;
  shown_ = true;
}

void ProgressDisplay::finish() {
  if (!shown_) return;
  out_ << "\r\033[K" << std::flush;
  shown_ = false;
}

}  // namespace railcheck
