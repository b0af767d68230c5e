#include "railcheck/commands/fabric_sim/fabric_sim_command.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <stdexcept>

#include "railcheck/core/error.h"
#include "railcheck/fabric/fabric_trial.h"
#include "railcheck/fabric/stage_plan.h"

namespace railcheck {

int run_fabric_sim_command(const FabricSimOptions& options, const CommandEnv& env) {
  if (options.trials < 1 || options.repeats < 1 || options.min_margin < 1) {
    throw InputError("--trials, --repeats and --margin must be at least 1");
  }
  if (options.switch_faults < 0) throw InputError("--switch-faults must be 0 or more");
  if (options.confirm < 0 || options.confirm > 16) {
    throw InputError("--confirm " + std::to_string(options.confirm) + ": give 0 to 16 confirmation stages");
  }
  if (options.stages < 0 || options.stages > 64) {
    throw InputError("--stages " + std::to_string(options.stages) + ": give 0 (the plan's own) to 64");
  }
  if (!(options.noise >= 0.0 && options.noise < 0.5)) {
    throw InputError("--noise " + std::to_string(options.noise) + ": give a chance from 0 to below 0.5, such as 0.01");
  }
  const fabric::Routing routing = options.routing == "ecmp"          ? fabric::Routing::kEcmpUntraced
                                  : options.routing == "ecmp-traced" ? fabric::Routing::kEcmpTraced
                                                                     : fabric::Routing::kKnown;
  if (routing != fabric::Routing::kKnown && options.confirm > 0) {
    throw InputError(
        "--confirm needs --routing known: a confirmation stage aims flows over chosen links, which "
        "ECMP's hashing cannot");
  }
  if (routing == fabric::Routing::kEcmpUntraced && options.switch_faults > 0) {
    throw InputError("--switch-faults needs --routing known or ecmp-traced: the switch rule counts flows by path");
  }
  if (routing != fabric::Routing::kKnown && options.gray_faults > 0) {
    throw InputError("--gray-faults needs --routing known: the gray fit needs each flow's path");
  }
  if (routing == fabric::Routing::kKnown && options.thin != 1) {
    throw InputError("--thin is for ECMP routes (--routing ecmp or ecmp-traced): known routes never collide");
  }
  const fabric::ThreeTierFabric built = [&] {
    try {
      return fabric::ThreeTierFabric(options.shape);
    } catch (const std::invalid_argument& e) {
      throw InputError(std::string("fabric shape: ") + e.what());
    }
  }();
  const auto links = built.fabric().links().size();
  const auto switches = built.fabric().devices().size() - static_cast<std::size_t>(built.endpoints());
  if (static_cast<std::size_t>(options.switch_faults) > switches) {
    throw InputError("--switch-faults " + std::to_string(options.switch_faults) + ": give 0 to " +
                     std::to_string(switches) + " (the fabric's switches)");
  }
  const std::vector<fabric::Stage> plan = options.stages > 0 ? built.wide_plan(options.stages) : built.tiered_plan();
  int most = 0;
  for (const fabric::Stage& stage : plan) {
    const std::vector<int> loads = fabric::link_loads(built.fabric(), stage, fabric::routes_of(built));
    most = std::max(most, *std::max_element(loads.begin(), loads.end()));
  }
  const fabric::Identifiability id = fabric::identifiability(built.fabric(), plan, fabric::routes_of(built));
  char line[320];
  std::snprintf(line, sizeof line,
                "# fabric: %d NICs, %zu directed links; plan: %zu stages, at most %d flow(s) on a directed link; "
                "%zu of %zu links named alone, largest class %zu, %zu uncovered\n",
                built.endpoints(), links, plan.size(), most, id.singletons(), links, id.largest(), id.uncovered.size());
  env.out << line;
  std::snprintf(line, sizeof line,
                "# routes %s (stages thinned %dx), noise %.3g (%s), plan run %d time(s) + %d confirmation stage(s), "
                "margin %d, %d slow switch(es) per trial beside the links, %d trial(s) per row from seed %llu\n",
                options.routing.c_str(), options.thin, options.noise,
                options.false_slow_only ? "false-slow" : "either way", options.repeats, options.confirm,
                options.min_margin, options.switch_faults, options.trials,
                static_cast<unsigned long long>(options.seed));
  env.out << line;
  const bool gray = options.gray_faults > 0;
  if (gray) {
    std::snprintf(
        line, sizeof line,
        "# %d gray link(s) per trial at %.3g of their speed, flows scattered by %.3g either way; gray_recall: "
        "gray links fitted below 0.65, gray_false: healthy links so fitted\n",
        options.gray_faults, options.gray_speed, options.jitter);
    env.out << line;
  }
  env.out << "#  faults  stages  recall  in_group  precision  false/trial  unexplained/trial  s/trial" +
                 std::string(gray ? "  gray_recall  gray_false/trial" : "") + "\n";
  for (const int faults : options.faults) {
    if (faults < 0 || static_cast<std::size_t>(faults) > links) {
      throw InputError("--faults " + std::to_string(faults) + ": give 0 to " + std::to_string(links) +
                       " (the fabric's directed links)");
    }
    fabric::FabricTrial trial;
    trial.faults = faults;
    trial.noise = options.noise;
    trial.noise_model = options.false_slow_only ? fabric::NoiseModel::kFalseSlow : fabric::NoiseModel::kEitherWay;
    trial.repeats = options.repeats;
    trial.plan = plan;
    trial.seed = options.seed;
    trial.solver.min_margin = options.min_margin;
    trial.confirm_stages = options.confirm;
    trial.switch_faults = options.switch_faults;
    trial.routing = routing;
    trial.thin = options.thin;
    trial.gray_faults = options.gray_faults;
    trial.gray_speed = options.gray_speed;
    trial.jitter = options.jitter;
    trial.slow_below = options.slow_below;
    trial.fault_speed = options.fault_speed;
    const auto start = std::chrono::steady_clock::now();
    const fabric::FabricTrialScore s = fabric::run_trials(built, trial, options.trials);
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    const double injected = std::max(s.injected, 1);
    std::snprintf(line, sizeof line, "%9d %7d %7.3f %9.3f %10.3f %12.2f %18.1f %8.2f\n", faults, s.stages,
                  s.injected ? s.named_alone / injected : 1.0,
                  s.injected ? (s.named_alone + s.named_in_group) / injected : 1.0,
                  s.names ? 1.0 - static_cast<double>(s.false_names) / s.names : 1.0,
                  static_cast<double>(s.false_names) / options.trials,
                  static_cast<double>(s.unexplained) / options.trials, seconds / options.trials);
    std::string row = line;
    if (gray) {
      row.pop_back();  // the newline
      std::snprintf(line, sizeof line, " %12.3f %17.2f\n",
                    s.gray_injected ? static_cast<double>(s.gray_named) / s.gray_injected : 1.0,
                    static_cast<double>(s.gray_false) / options.trials);
      row += line;
    }
    env.out << row;
  }
  return 0;
}

}  // namespace railcheck
