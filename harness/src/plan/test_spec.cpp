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
  if (spec.root < 0 || (nranks > 0 && spec.root >= nranks)) {
    return SpecProblem{"root", "root rank " + std::to_string(spec.root) + " is outside the " +
                                   (nranks > 0 ? std::to_string(nranks) + " ranks" : std::string("ranks"))};
  }
  return std::nullopt;
}

std::string test_key(const CollectiveTestSpec& spec) {
  std::string key = std::string(key_of(spec.kind)) + "." + std::string(name_of(spec.type));
  if (takes_reduce_op(spec.kind)) key += "." + std::string(name_of(spec.op));
  return key;
}

}  // namespace railcheck
