#include "railcheck/run/steps.h"

namespace railcheck {

std::string_view name_of(StepKind kind) {
  switch (kind) {
    case StepKind::kSetup:
      return "setup";
    case StepKind::kWarmup:
      return "warmup";
    case StepKind::kMeasure:
      return "measure";
    case StepKind::kRound:
      return "round";
  }
  return "setup";
}

Steps::Scope Steps::begin(StepKind kind, std::string label) {
  if (current_) end(current_->number);
  current_ = StepInfo{++last_number_, kind, std::move(label)};
  for (StepObserver* observer : observers_) observer->on_step_begin(*current_);
  return Scope(*this, current_->number);
}

void Steps::heartbeat() {
  if (!current_) return;
  for (StepObserver* observer : observers_) observer->on_heartbeat(*current_);
}

void Steps::end(std::uint64_t number) {
  if (!current_ || current_->number != number) return;
  const StepInfo step = std::move(*current_);
  current_.reset();
  for (StepObserver* observer : observers_) observer->on_step_end(step);
}

}  // namespace railcheck
