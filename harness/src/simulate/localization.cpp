#include "railcheck/simulate/localization.h"

namespace railcheck::simulate {

std::string_view key_of(Strategy strategy) {
  switch (strategy) {
    case Strategy::kPairwise:
      return "pairwise";
    case Strategy::kBisect:
      return "bisect";
  }
  return "?";
}

int planned_pairwise_first_pass_rounds(int nodes) {
  const int circle = nodes < 2 ? 0 : (nodes % 2 == 0 ? nodes - 1 : nodes);  // circle_rounds(nodes).size()
  return circle + 1;                                                        // + the GPU-check round
}

LocalizationRun run_strategy(Strategy strategy, const FabricModel& fabric, const LocalizationOptions& options,
                             std::mt19937_64& rng) {
  switch (strategy) {
    case Strategy::kPairwise:
      return run_pairwise(fabric, options, rng);
    case Strategy::kBisect:
      return run_bisect(fabric, options, rng);
  }
  return {};
}

}  // namespace railcheck::simulate
