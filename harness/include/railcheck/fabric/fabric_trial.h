// One simulated localization on a routed fabric (issue #18): faults put on random directed links (and switches), the
// tier-aware plan run (repeated under noise), each flow slow when its path crosses a fault (flipped with the
// noise's probability), the boolean tomography's names scored against what was injected. Seeded: the same trial
// gives the same score.
#pragma once

#include <cstdint>
#include <vector>

#include "railcheck/fabric/confirm_stage.h"
#include "railcheck/fabric/routed_fabric.h"
#include "railcheck/fabric/switch_rule.h"
#include "railcheck/fabric/tomography.h"

namespace railcheck::fabric {

/// How noise changes a flow's outcome: either way (a healthy flow measured slow, a slow one measured healthy), or
/// only healthy flows measured slow (a transient elsewhere; a flow over a link capped at a quarter of its speed
/// cannot run at full speed, so the slow -> healthy flip is the pessimistic case).
enum class NoiseModel { kEitherWay, kFalseSlow };

/// How flows find their paths. kKnown: the fabric's own routes (forwarding tables, D-mod-k), so the plan's
/// stages never load a link twice. ECMP (ecmp_routes.h): each flow hashed at every switch onto one of its
/// shortest paths, so flows of a stage can share a link and each gets its share (the lowest, over its path, of
/// a link's speed over the flows on it); traced: the solver is told each flow's path (Paris-traceroute style
/// probes with its 5-tuple) and judges a flow against its fair share; untraced: it knows each hop's candidates.
enum class Routing { kKnown, kEcmpTraced, kEcmpUntraced };

struct FabricTrial {
  int faults = 1;                ///< distinct directed links made slow, drawn at random ...
  std::vector<int> fault_links;  ///< ... or these (then `faults` is ignored)
  int switch_faults = 0;  ///< distinct switches made slow (every link into or out of them; switch_rule.h names them)
  double noise = 0.0;     ///< chance that a flow's outcome is changed, as `noise_model` says
  NoiseModel noise_model = NoiseModel::kEitherWay;
  int repeats = 1;          ///< times the plan is run (independent noise each time)
  std::vector<Stage> plan;  ///< the plan; empty: the fabric's tiered_plan()
  /// Confirmation stages after the plan (confirm_stage.h), each planned from the evidence so far.
  int confirm_stages = 0;
  ConfirmOptions confirm;
  Routing routing = Routing::kKnown;
  /// ECMP: each plan stage run as this many, every `thin`-th source endpoint in each (fewer flows at once, fewer
  /// collisions; as many times the stages).
  int thin = 1;
  /// ECMP: a slow link's share of its speed (a flow over it alone runs at this share of line rate) ...
  double fault_speed = 0.25;
  /// ... and below what a flow is slow: this share of line rate untraced, of its fair share traced.
  double slow_below = 0.5;
  /// Known routes: distinct directed links made gray (partly slow: every flow over them at `gray_speed` of its
  /// rate; a flow whose rate, scattered by `jitter`, falls below `slow_below` is slow), found by the solver when
  /// their flows were slow, else by the gray fit (gray_fit.h) from the flows that were not, as the verdicts do: a
  /// link fitted below `gray_below`. A named class with a gray link in it is not a false name.
  int gray_faults = 0;
  double gray_speed = 0.6;
  double gray_below = 0.65;
  /// Known routes: each flow's rate scattered by up to this share either way (healthy flows vary), for the fit.
  double jitter = 0.0;
  std::uint64_t seed = 1;
  TomographyOptions solver;
  SwitchRuleOptions switch_rule;
};

struct FabricTrialScore {
  int stages = 0;
  int injected = 0;        ///< links and switches made slow
  int named_alone = 0;     ///< injected links named as a class of their own
  int named_in_group = 0;  ///< injected links inside a named class of several (the plan cannot split them)
  int names = 0;           ///< classes named
  int false_names = 0;     ///< named classes with no injected link in them
  int unexplained = 0;     ///< slow flows left unexplained
  int switches_named = 0;  ///< injected switches named as switches (counted in named_alone too)
  int gray_injected = 0;   ///< gray links put in
  int gray_named = 0;      ///< ... fitted below gray_below
  int gray_false = 0;      ///< healthy links fitted below gray_below (and not named by the solver)
};

/// Throws std::invalid_argument for counts out of range, and for confirmation stages or switch faults with ECMP
/// routes (confirmation stages aim flows over chosen links, which ECMP cannot; the switch rule needs paths).
FabricTrialScore run_trial(const RoutedFabric& fabric, const FabricTrial& trial);

/// `trials` trials with seeds trial.seed, trial.seed + 1, ..., their counts summed (stages: the most any had).
FabricTrialScore run_trials(const RoutedFabric& fabric, FabricTrial trial, int trials);

}  // namespace railcheck::fabric
