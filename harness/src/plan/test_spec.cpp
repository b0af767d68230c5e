#include "railcheck/plan/test_spec.h"

#include "railcheck/plan/sizes.h"

namespace railcheck {

std::string_view name_of(Placement placement) {
  switch (placement) {
    case Placement::kBoth:
      return "both";
    case Placement::kOutOfPlace:
      return "out_of_place";
    case Placement::kInPlace:
      return "in_place";
  }
  return "?";
}

std::optional<Placement> parse_placement(std::string_view text) {
  if (text == "both") return Placement::kBoth;
  if (text == "out_of_place" || text == "out") return Placement::kOutOfPlace;
  if (text == "in_place" || text == "in") return Placement::kInPlace;
  return std::nullopt;
}

std::string_view name_of(TimeAggregation aggregation) {
  switch (aggregation) {
    case TimeAggregation::kRank0:
      return "rank0";
    case TimeAggregation::kAvg:
      return "avg";
    case TimeAggregation::kMin:
      return "min";
    case TimeAggregation::kMax:
      return "max";
  }
  return "?";
}

std::string_view name_of(TimingWindow window) { return window == TimingWindow::kLoop ? "loop" : "events"; }

std::optional<TimingWindow> parse_timing_window(std::string_view text) {
  if (text == "loop") return TimingWindow::kLoop;
  if (text == "events") return TimingWindow::kEvents;
  return std::nullopt;
}

std::optional<SpecProblem> validate(const CollectiveTestSpec& spec, int nranks) {
  if (spec.min_bytes > spec.max_bytes) {
    return SpecProblem{"min_bytes", "min bytes " + format_size(spec.min_bytes) + " is larger than max bytes " +
                                        format_size(spec.max_bytes) + "; swap them or raise the max"};
  }
  if (spec.iters < 1) {
    return SpecProblem{"iters", "iteration count must be at least 1, got " + std::to_string(spec.iters)};
  }
  if (spec.warmup_iters < 0) {
    return SpecProblem{"warmup_iters", "warm-up count must be 0 or more, got " + std::to_string(spec.warmup_iters)};
  }
  if (spec.check_iters < 0) {
    return SpecProblem{"check", "check count must be 0 (off) or more, got " + std::to_string(spec.check_iters)};
  }
  if (spec.step_factor <= 1.0 && spec.step_bytes == 0 && spec.min_bytes != spec.max_bytes) {
    return SpecProblem{"step_bytes", "step of 0 bytes with no factor would never reach the max; set -i or -f"};
  }
  if (spec.graph_launches < 0) {
    return SpecProblem{"graph_launches", "graph launch count must be 0 (off) or more"};
  }
  if (spec.root < -1 || (nranks > 0 && spec.root >= nranks)) {
    return SpecProblem{"root", "root rank " + std::to_string(spec.root) + " is outside the " +
                                   (nranks > 0 ? std::to_string(nranks) + " ranks" : std::string("ranks")) +
                                   " (-1: every rank in turn)"};
  }
  if (spec.cycles < 1) {
    return SpecProblem{"cycles", "cycle count must be at least 1, got " + std::to_string(spec.cycles) +
                                     " (railcheck ends every run by itself: give a count)"};
  }
  if (static_cast<int>(spec.blocking) < 0 || static_cast<int>(spec.blocking) > 3) {
    return SpecProblem{"blocking", "blocking must be 0, 1, 2 or 3 (nccl-tests' -z), got " +
                                       std::to_string(static_cast<int>(spec.blocking))};
  }
  if (spec.blocking != Blocking::kNone && spec.timing == TimingWindow::kEvents) {
    return SpecProblem{"blocking",
                       "blocking needs timing \"loop\": the events timer holds the stream until the "
                       "whole loop is queued, so a wait after each call would wait for itself"};
  }
  if (spec.blocking != Blocking::kNone && spec.graph_launches > 0) {
    return SpecProblem{"blocking", "blocking needs graph_launches 0: a stream being captured cannot be waited on"};
  }
  if (spec.report_cputime && spec.timing == TimingWindow::kEvents) {
    return SpecProblem{"report_cputime", "the time to queue a call is taken by the host clock: needs timing \"loop\""};
  }
  if (spec.root < 0 && spec.bisect.enabled) {
    return SpecProblem{"root", "bisection measures one root: give a root rank (0 or more), not -1"};
  }
  return std::nullopt;
}

std::string test_key(const CollectiveTestSpec& spec) {
  std::string key = std::string(key_of(spec.kind)) + "." + std::string(name_of(spec.type));
  if (takes_reduce_op(spec.kind)) key += "." + std::string(name_of(spec.op));
  return key;
}

}  // namespace railcheck
