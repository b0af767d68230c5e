// A simulated localization over ECMP routes (fabric_trial.h, Routing): each flow hashed onto one of its shortest
// paths, flows of a stage sharing links, each flow's rate its share.
#include <algorithm>
#include <random>
#include <stdexcept>

#include "railcheck/fabric/ecmp_routes.h"
#include "railcheck/fabric/stage_plan.h"
#include "trial_parts.h"

namespace railcheck::fabric::trial_parts {

FabricTrialScore run_ecmp_trial(const RoutedFabric& fabric, const FabricTrial& trial) {
  if (trial.confirm_stages > 0) {
    throw std::invalid_argument("confirmation stages need known routes: ECMP cannot aim a flow over a chosen link");
  }
  if (trial.switch_faults > 0 && trial.routing == Routing::kEcmpUntraced) {
    throw std::invalid_argument("switch faults need traced paths under ECMP (the switch rule counts flows by path)");
  }
  if (trial.thin < 1) throw std::invalid_argument("thin must be 1 or more");
  const std::size_t links = fabric.fabric().links().size();
  std::mt19937_64 random(trial.seed);
  const Injected injected = inject(fabric, trial, random);
  const EcmpRoutes ecmp(fabric);
  const bool traced = trial.routing == Routing::kEcmpTraced;
  std::bernoulli_distribution flip(trial.noise);
  std::vector<std::vector<std::vector<std::vector<int>>>> hops;  // what the solver is told: [stage][flow][hop]
  std::vector<std::vector<std::vector<int>>> paths;              // the paths taken: [stage][flow]
  std::vector<std::vector<bool>> slow;
  const std::vector<Stage> plan = thin_plan(plan_of(fabric, trial), trial.thin);
  std::vector<int> load(links, 0);
  for (const Stage& stage : plan) {
    std::vector<std::vector<int>> taken;
    for (const Flow& flow : stage.flows) {
      taken.push_back(ecmp.hashed_path(flow.src, flow.dst, random()));  // a fresh source port per flow
      for (const int l : taken.back()) ++load[static_cast<std::size_t>(l)];
    }
    std::vector<std::vector<std::vector<int>>> told;
    std::vector<bool> outcome;
    for (std::size_t f = 0; f < stage.flows.size(); ++f) {
      double rate = 1.0, fair = 1.0;
      for (const int l : taken[f]) {
        const double share = 1.0 / load[static_cast<std::size_t>(l)];
        fair = std::min(fair, share);
        rate = std::min(rate, share * (injected.slow.contains(l) ? trial.fault_speed : 1.0));
      }
      bool is_slow = rate < trial.slow_below * (traced ? fair : 1.0);
      if (trial.noise > 0 && flip(random) && (!is_slow || trial.noise_model == NoiseModel::kEitherWay)) {
        is_slow = !is_slow;
      }
      outcome.push_back(is_slow);
      if (traced) {
        std::vector<std::vector<int>> path;
        for (const int l : taken[f]) path.push_back({l});
        told.push_back(std::move(path));
      } else {
        told.push_back(ecmp.hops(stage.flows[f].src, stage.flows[f].dst));
      }
    }
    for (const auto& path : taken) {
      for (const int l : path) --load[static_cast<std::size_t>(l)];
    }
    hops.push_back(std::move(told));
    paths.push_back(std::move(taken));
    slow.push_back(std::move(outcome));
  }
  TomographyResult result = boolean_tomography_hops(links, hops, slow, trial.solver);
  const std::vector<NamedSwitch> named_switches =
      traced ? name_switches(fabric.fabric(), paths, slow, result, trial.switch_rule) : std::vector<NamedSwitch>{};
  return score(injected, result, named_switches, static_cast<int>(plan.size()));
}

}  // namespace railcheck::fabric::trial_parts
