#include "railcheck/fabric/fabric_trial.h"

#include <algorithm>
#include <random>
#include <set>
#include <stdexcept>
#include <string>

#include "railcheck/fabric/gray_fit.h"
#include "railcheck/fabric/stage_plan.h"
#include "railcheck/fabric/switch_rule.h"
#include "trial_parts.h"

namespace railcheck::fabric {

namespace trial_parts {

Injected inject(const RoutedFabric& fabric, const FabricTrial& trial, std::mt19937_64& random) {
  const auto links = static_cast<int>(fabric.fabric().links().size());
  if (trial.faults < 0 || trial.faults > links) throw std::invalid_argument("faults must be from 0 to the link count");
  Injected out;
  for (const int l : trial.fault_links) {
    if (l < 0 || l >= links) throw std::invalid_argument("fault link " + std::to_string(l) + " is not a link");
    out.links.insert(l);
  }
  std::uniform_int_distribution<int> pick(0, links - 1);
  while (trial.fault_links.empty() && static_cast<int>(out.links.size()) < trial.faults) out.links.insert(pick(random));
  // Faulty switches: every link into or out of them slow (every flow they forward).
  std::vector<int> switches;
  for (std::size_t d = 0; d < fabric.fabric().devices().size(); ++d) {
    if (fabric.fabric().devices()[d].tier != Tier::kNic) switches.push_back(static_cast<int>(d));
  }
  if (trial.switch_faults < 0 || trial.switch_faults > static_cast<int>(switches.size())) {
    throw std::invalid_argument("switch faults must be from 0 to the switch count");
  }
  std::uniform_int_distribution<std::size_t> pick_switch(0, switches.empty() ? 0 : switches.size() - 1);
  while (static_cast<int>(out.switches.size()) < trial.switch_faults) {
    out.switches.insert(switches[pick_switch(random)]);
  }
  out.slow = out.links;
  for (std::size_t l = 0; l < fabric.fabric().links().size(); ++l) {
    const DirectedLink& link = fabric.fabric().links()[l];
    if (out.switches.contains(link.from) || out.switches.contains(link.to)) out.slow.insert(static_cast<int>(l));
  }
  if (trial.gray_faults < 0 || trial.gray_faults + static_cast<int>(out.slow.size()) > links) {
    throw std::invalid_argument("gray faults must be from 0 to the links left healthy");
  }
  while (static_cast<int>(out.gray.size()) < trial.gray_faults) {
    const int l = pick(random);
    if (!out.slow.contains(l)) out.gray.insert(l);
  }
  return out;
}

FabricTrialScore score(const Injected& injected, const TomographyResult& result,
                       const std::vector<NamedSwitch>& named_switches, int stages) {
  FabricTrialScore score;
  score.stages = stages;
  score.injected = static_cast<int>(injected.links.size() + injected.switches.size());
  score.names = static_cast<int>(result.faults.size() + named_switches.size());
  score.unexplained = static_cast<int>(result.unexplained.size());
  for (const NamedSwitch& sw : named_switches) {
    if (injected.switches.contains(sw.device)) {
      ++score.named_alone;
      ++score.switches_named;
    } else {
      ++score.false_names;
    }
  }
  for (const NamedFault& named : result.faults) {
    // A link of a faulty switch named on its own is the wrong part: a false name, as is a healthy link.
    const auto hits =
        std::count_if(named.links.begin(), named.links.end(), [&](int l) { return injected.links.contains(l); });
    const bool gray =
        std::any_of(named.links.begin(), named.links.end(), [&](int l) { return injected.gray.contains(l); });
    if (hits == 0 && !gray) ++score.false_names;
    if (named.links.size() == 1)
      score.named_alone += static_cast<int>(hits);
    else
      score.named_in_group += static_cast<int>(hits);
  }
  return score;
}

std::vector<Stage> plan_of(const RoutedFabric& fabric, const FabricTrial& trial) {
  const std::vector<Stage> once = trial.plan.empty() ? fabric.tiered_plan() : trial.plan;
  std::vector<Stage> plan;
  for (int r = 0; r < std::max(trial.repeats, 1); ++r) plan.insert(plan.end(), once.begin(), once.end());
  return plan;
}

}  // namespace trial_parts

FabricTrialScore run_trial(const RoutedFabric& fabric, const FabricTrial& trial) {
  if (trial.routing != Routing::kKnown) {
    if (trial.gray_faults > 0) throw std::invalid_argument("gray faults need known routes (the fit needs paths)");
    return trial_parts::run_ecmp_trial(fabric, trial);
  }
  const auto links = static_cast<int>(fabric.fabric().links().size());
  std::mt19937_64 random(trial.seed);
  const trial_parts::Injected injected = trial_parts::inject(fabric, trial, random);
  const RouteOracle route = [&fabric](int src, int dst) { return fabric.route(src, dst); };
  std::bernoulli_distribution flip(trial.noise);
  std::uniform_real_distribution<double> scatter(-trial.jitter, trial.jitter);
  Measured measured;
  std::vector<std::vector<double>> rates;  // each flow's rate over the healthy one: gray links and jitter
  const auto measure = [&](Stage stage) {
    std::vector<std::vector<int>> routes;
    std::vector<bool> slow;
    rates.emplace_back();
    for (const Flow& flow : stage.flows) {
      routes.push_back(route(flow.src, flow.dst));
      bool is_slow =
          std::any_of(routes.back().begin(), routes.back().end(), [&](int l) { return injected.slow.contains(l); });
      double rate = trial.jitter > 0 ? 1.0 + scatter(random) : 1.0;
      for (const int l : routes.back()) {
        if (injected.gray.contains(l)) rate *= trial.gray_speed;
      }
      rates.back().push_back(rate);
      is_slow = is_slow || rate < trial.slow_below;  // a gray link with the flow's scatter can push it under
      if (trial.noise > 0 && flip(random) && (!is_slow || trial.noise_model == NoiseModel::kEitherWay)) {
        is_slow = !is_slow;
      }
      slow.push_back(is_slow);
    }
    measured.stages.push_back(std::move(stage));
    measured.routes.push_back(std::move(routes));
    measured.slow.push_back(std::move(slow));
  };
  for (const Stage& stage : trial_parts::plan_of(fabric, trial)) measure(stage);
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
  const std::vector<NamedSwitch> named_switches =
      name_switches(fabric.fabric(), measured.routes, measured.slow, result, trial.switch_rule);
  FabricTrialScore score =
      trial_parts::score(injected, result, named_switches, static_cast<int>(measured.stages.size()));
  if (trial.gray_faults > 0) {
    // The gray fit as the verdicts run it: over the flows that were not slow, each rate over the median.
    std::vector<std::vector<int>> routes;
    std::vector<double> relative, all;
    for (const auto& stage : rates) all.insert(all.end(), stage.begin(), stage.end());
    std::nth_element(all.begin(), all.begin() + static_cast<std::ptrdiff_t>(all.size() / 2), all.end());
    const double median = all.empty() ? 1.0 : all[all.size() / 2];
    for (std::size_t s = 0; s < measured.routes.size(); ++s) {
      for (std::size_t f = 0; f < measured.routes[s].size(); ++f) {
        if (measured.slow[s][f]) continue;
        routes.push_back(measured.routes[s][f]);
        relative.push_back(rates[s][f] / median);
      }
    }
    const std::vector<double> factor = fit_gray_links(static_cast<std::size_t>(links), routes, relative);
    std::set<int> named;  // by the solver: a gray link slow enough, with its flows' scatter, to make them slow
    for (const NamedFault& fault : result.faults) named.insert(fault.links.begin(), fault.links.end());
    score.gray_injected = static_cast<int>(injected.gray.size());
    for (std::size_t l = 0; l < factor.size(); ++l) {
      const bool gray = injected.gray.contains(static_cast<int>(l));
      if (named.contains(static_cast<int>(l))) {
        if (gray) ++score.gray_named;
        continue;
      }
      if (factor[l] >= trial.gray_below) continue;
      if (gray)
        ++score.gray_named;
      else
        ++score.gray_false;
    }
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
    total.switches_named += s.switches_named;
    total.gray_injected += s.gray_injected;
    total.gray_named += s.gray_named;
    total.gray_false += s.gray_false;
  }
  return total;
}

}  // namespace railcheck::fabric
