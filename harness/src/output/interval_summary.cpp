#include "railcheck/output/interval_summary.h"

#include <algorithm>
#include <limits>
#include <numeric>

namespace railcheck {
namespace {

/// The fold of a record of a kind a soak repeats; nullopt for every other kind.
std::optional<SoakFold> fold_of(const Record& record) {
  return std::visit(
      [](const auto& r) -> std::optional<SoakFold> {
        if constexpr (requires { soak_fold(r); }) {
          return soak_fold(r);
        } else {
          return std::nullopt;
        }
      },
      record);
}

}  // namespace

Record summarize_passes(const std::vector<Record>& passes, int wrong) {
  std::vector<SoakFold> folds;
  for (const Record& pass : passes) folds.push_back(*fold_of(pass));
  const bool higher_is_better = folds.front().higher_is_better;
  // Ranked worst first: a pass that measured nothing is the worst.
  auto rank = [&](std::size_t i) {
    if (!folds[i].figure) return -std::numeric_limits<double>::infinity();
    return higher_is_better ? *folds[i].figure : -*folds[i].figure;
  };
  std::vector<std::size_t> order(passes.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return rank(a) < rank(b); });
  Record chosen = passes[order[(passes.size() - 1) / 2]];

  PassSummary s;
  s.of = folds.front().figure_name;
  s.count = static_cast<int>(passes.size());
  s.failed = wrong;
  double sum = 0.0;
  int measured = 0;
  for (std::size_t i = 0; i < passes.size(); ++i) {
    std::visit(
        [&](const auto& r) {
          if constexpr (requires { r.start_unix_s; }) {
            if (r.start_unix_s > 0 && (s.start_unix_s <= 0 || r.start_unix_s < s.start_unix_s)) {
              s.start_unix_s = r.start_unix_s;
            }
            s.end_unix_s = std::max(s.end_unix_s, r.end_unix_s);
          }
        },
        passes[i]);
    if (folds[i].failed) ++s.failed;
    if (const std::optional<double> value = folds[i].figure) {
      s.min = s.min ? std::min(*s.min, *value) : *value;
      s.max = s.max ? std::max(*s.max, *value) : *value;
      sum += *value;
      ++measured;
    }
  }
  if (measured > 0) s.mean = sum / measured;
  std::vector<double> counted;  // failed transfers as 0 where higher is better, left out where lower is
  for (const SoakFold& f : folds) {
    if (f.figure)
      counted.push_back(*f.figure);
    else if (f.failed && higher_is_better)
      counted.push_back(0.0);
  }
  if (!counted.empty()) {
    std::sort(counted.begin(), counted.end());
    const std::size_t n = counted.size();
    s.median = n % 2 == 1 ? counted[n / 2] : (counted[n / 2 - 1] + counted[n / 2]) / 2.0;
  }
  std::visit(
      [&](auto& r) {
        if constexpr (requires { r.passes; }) r.passes = s;
      },
      chosen);
  return chosen;
}

void IntervalSummary::record(const Record& record) {
  const std::optional<int> interval = interval_of(record);
  const std::optional<SoakFold> fold = interval ? fold_of(record) : std::nullopt;
  const std::lock_guard lock(mutex_);
  if (interval && interval_ && *interval != *interval_) flush_locked();
  if (!fold) {
    next_.record(record);
    return;
  }
  interval_ = interval;
  auto [it, inserted] = held_.try_emplace(fold->key);
  if (inserted) order_.push_back(fold->key);
  if (fold->streams_alone) {  // counted in the summary, and kept whole
    ++it->second.wrong;
    next_.record(record);
    return;
  }
  it->second.passes.push_back(record);
}

void IntervalSummary::flush_locked() {
  std::vector<std::string> order = std::move(order_);
  std::map<std::string, Held> held = std::move(held_);
  order_.clear();
  held_.clear();
  interval_.reset();
  for (const std::string& key : order) {
    const Held& h = held.at(key);
    if (!h.passes.empty()) next_.record(summarize_passes(h.passes, h.wrong));
  }
}

void IntervalSummary::flush() {
  const std::lock_guard lock(mutex_);
  flush_locked();
}

void IntervalSummary::begin_run(const RunManifest& manifest) {
  const std::lock_guard lock(mutex_);
  next_.begin_run(manifest);
}

void IntervalSummary::begin_test(const TestStart& test) {
  const std::lock_guard lock(mutex_);
  next_.begin_test(test);
}

void IntervalSummary::note(NoteLevel level, const std::string& text) {
  const std::lock_guard lock(mutex_);
  next_.note(level, text);
}

void IntervalSummary::end_test(const TestStart& test) {
  const std::lock_guard lock(mutex_);
  next_.end_test(test);
}

void IntervalSummary::verdicts(const VerdictReport& report) {
  const std::lock_guard lock(mutex_);
  flush_locked();
  next_.verdicts(report);
}

void IntervalSummary::watchdog(const WatchdogReport& report) noexcept {
  try {
    std::unique_lock lock(mutex_, std::try_to_lock);
    if (lock.owns_lock()) flush_locked();
  } catch (...) {  // the watchdog's report matters more than the held passes
  }
  next_.watchdog(report);
}

void IntervalSummary::end_run(const RunManifest& manifest, const RunSummary& summary) {
  const std::lock_guard lock(mutex_);
  flush_locked();
  next_.end_run(manifest, summary);
}

}  // namespace railcheck
