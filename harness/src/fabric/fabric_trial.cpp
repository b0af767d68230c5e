#include "railcheck/fabric/fabric_trial.h"

#include <algorithm>
#include <random>
#include <set>
#include <stdexcept>

#include "railcheck/fabric/stage_plan.h"

namespace railcheck::fabric {

FabricTrialScore run_trial(const RoutedFabric& fabric, const FabricTrial& trial) {
  const auto links = static_cast<int>(fabric.fabric().links().size());
  if (trial.faults < 0 || trial.faults > links) throw std::invalid_argument("faults must be from 0 to the link count");
  std::mt19937_64 random(trial.seed);
  std::set<int> faulty;
  std::uniform_int_distribution<int> pick(0, links - 1);
  while (static_cast<int>(faulty.size()) < trial.faults) faulty.insert(pick(random));

  const RouteOracle route = [&fabric](int src, int dst) { return fabric.route(src, dst); };
  const std::vector<Stage> once = trial.plan.empty() ? fabric.tiered_plan() : trial.plan;
  std::vector<Stage> plan;
  for (int r = 0; r < std::max(trial.repeats, 1); ++r) plan.insert(plan.end(), once.begin(), once.end());
  std::bernoulli_distribution flip(trial.noise);
  Measured measured;
  const auto measure = [&](Stage stage) {
    std::vector<std::vector<int>> routes;
    std::vector<bool> slow;
    for (const Flow& flow : stage.flows) {
      routes.push_back(route(flow.src, flow.dst));
      bool is_slow = std::any_of(routes.back().begin(), routes.back().end(), [&](int l) { return faulty.contains(l); });
      if (trial.noise > 0 && flip(random) && (!is_slow || trial.noise_model == NoiseModel::kEitherWay)) {
        is_slow = !is_slow;
      }
      slow.push_back(is_slow);
    }
    measured.stages.push_back(std::move(stage));
    measured.routes.push_back(std::move(routes));
    measured.slow.push_back(std::move(slow));
  };
  for (const Stage& stage : plan) measure(stage);
  const auto solve = [&] {
    return boolean_tomography(static_cast<std::size_t>(links), measured.routes, measured.slow, trial.solver);
  };
  TomographyResult result = solve();
  for (int c = 0; c < trial.confirm_stages; ++c) {
    ConfirmOptions confirm = trial.confirm;
    confirm.seed = trial.seed * 1000003ULL + static_cast<std::uint64_t>(c);
    measure(plan_confirm_stage(fabric, measured, result, trial.solver, confirm));
    result = solve();
  }
  FabricTrialScore score;
  score.stages = static_cast<int>(measured.stages.size());
  score.injected = trial.faults;
  score.names = static_cast<int>(result.faults.size());
  score.unexplained = static_cast<int>(result.unexplained.size());
  for (const NamedFault& named : result.faults) {
    const auto hits = std::count_if(named.links.begin(), named.links.end(), [&](int l) { return faulty.contains(l); });
    if (hits == 0) ++score.false_names;
    if (named.links.size() == 1)
      score.named_alone += static_cast<int>(hits);
    else
      score.named_in_group += static_cast<int>(hits);
  }
  return score;
}

FabricTrialScore run_trials(const RoutedFabric& fabric, FabricTrial trial, int trials) {
  FabricTrialScore total;
  for (int i = 0; i < trials; ++i, ++trial.seed) {
    const FabricTrialScore s = run_trial(fabric, trial);
    total.stages = std::max(total.stages, s.stages);
    total.injected += s.injected;
    total.named_alone += s.named_alone;
    total.named_in_group += s.named_in_group;
    total.names += s.names;
    total.false_names += s.false_names;
    total.unexplained += s.unexplained;
  }
  return total;
}

}  // namespace railcheck::fabric
