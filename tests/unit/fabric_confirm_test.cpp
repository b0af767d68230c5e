// The adaptive confirmation stage (issue #18, confirm_stage.h): what it plans is a legal stage (each endpoint at
// most one flow out and one in, no directed link loaded twice) on two- and three-tier fabrics; it spends flows on
// the two doubts noise leaves under destination routing (a fault whose few flows noise made healthy, a named link
// and the link below it that one noisy flow swapped); and with it the 4-stage plan + 4 confirmation stages meet
// issue #18's acceptance 2 under noise that flips outcomes both ways.
#include <gtest/gtest.h>

#include <algorithm>
#include <functional>
#include <random>
#include <set>

#include "railcheck/fabric/confirm_stage.h"
#include "railcheck/fabric/fabric_trial.h"
#include "railcheck/fabric/stage_plan.h"
#include "railcheck/fabric/switch_rule.h"
#include "railcheck/fabric/three_tier.h"
#include "railcheck/fabric/two_tier.h"

namespace railcheck::fabric {
namespace {

/// Flow f of a stage is slow when its route crosses a faulty link, unless `flipped(route, dst)` says otherwise.
using Flip = std::function<bool(std::size_t stage, const Flow& flow, const std::vector<int>& route)>;

void measure(const RoutedFabric& f, const Stage& stage, const std::set<int>& faulty, Measured& into,
             const Flip& flipped) {
  std::vector<std::vector<int>> routes;
  std::vector<bool> slow;
  for (const Flow& flow : stage.flows) {
    routes.push_back(f.route(flow.src, flow.dst));
    const bool crosses =
        std::any_of(routes.back().begin(), routes.back().end(), [&](int l) { return faulty.contains(l); });
    slow.push_back(crosses != flipped(into.stages.size(), flow, routes.back()));
  }
  into.stages.push_back(stage);
  into.routes.push_back(std::move(routes));
  into.slow.push_back(std::move(slow));
}

TomographyResult solve(const RoutedFabric& f, const Measured& m, const TomographyOptions& options) {
  return boolean_tomography(f.fabric().links().size(), m.routes, m.slow, options);
}

std::set<int> named(const TomographyResult& r) {
  std::set<int> out;
  for (const NamedFault& fault : r.faults) out.insert(fault.links.begin(), fault.links.end());
  return out;
}

ConfirmOptions seeded(int c) {
  ConfirmOptions options;
  options.seed = static_cast<std::uint64_t>(c);
  return options;
}

void expect_legal(const RoutedFabric& f, const Stage& stage) {
  std::vector<int> sends(static_cast<std::size_t>(f.endpoints()), 0), receives(sends.size(), 0);
  for (const Flow& flow : stage.flows) {
    EXPECT_NE(flow.src, flow.dst);
    ++sends[static_cast<std::size_t>(flow.src)];
    ++receives[static_cast<std::size_t>(flow.dst)];
  }
  EXPECT_LE(*std::max_element(sends.begin(), sends.end()), 1);
  EXPECT_LE(*std::max_element(receives.begin(), receives.end()), 1);
  const std::vector<int> loads = link_loads(f.fabric(), stage, routes_of(f));
  EXPECT_LE(*std::max_element(loads.begin(), loads.end()), 1);
}

TEST(ConfirmStage, EachEndpointSendsAndReceivesAtMostOneFlowAndNoDirectedLinkCarriesTwoOnTwoAndThreeTiers) {
  const ThreeTierFabric three({8, 32, 32, 32, 32, 8});
  const TwoTierFabric two({.sus = 4, .rails = 4, .nodes_per_su = 16, .spines = 16, .parallel = 1});
  for (const RoutedFabric* f : {static_cast<const RoutedFabric*>(&three), static_cast<const RoutedFabric*>(&two)}) {
    std::mt19937_64 random(7);
    std::set<int> faulty;
    std::uniform_int_distribution<int> pick(0, static_cast<int>(f->fabric().links().size()) - 1);
    while (faulty.size() < 20) faulty.insert(pick(random));
    std::bernoulli_distribution noise(0.01);
    const Flip flip = [&](std::size_t, const Flow&, const std::vector<int>&) { return noise(random); };
    Measured m;
    for (const Stage& stage : f->tiered_plan()) measure(*f, stage, faulty, m, flip);
    TomographyOptions options;
    options.min_margin = 3;
    for (int c = 0; c < 4; ++c) {
      const Stage stage = plan_confirm_stage(*f, m, solve(*f, m, options), options, seeded(c));
      EXPECT_FALSE(stage.flows.empty()) << "20 faults and 1 % noise leave something in doubt";
      expect_legal(*f, stage);
      measure(*f, stage, faulty, m, flip);
    }
  }
}

TEST(ConfirmStage, AHealthyFabricMeasuredWithoutNoiseLeavesNothingInDoubt) {
  const ThreeTierFabric f({4, 4, 4, 4, 4, 1});
  Measured m;
  for (const Stage& stage : f.tiered_plan()) measure(f, stage, {}, m, [](auto...) { return false; });
  TomographyOptions options;
  options.min_margin = 3;
  EXPECT_TRUE(plan_confirm_stage(f, m, solve(f, m, options), options, {}).flows.empty());
}

TEST(ConfirmStage, ALeafToNicFaultWhoseIntraLeafFlowNoiseMadeHealthyIsNamedAfterFlowsThatSkipTheSpineLink) {
  // Every flow to d crosses leaf -> d; all but the intra-leaf one also cross the spine -> leaf link above it. With
  // that one measured healthy, the spine link scores 3 (3 slow) and the leaf link 2 (3 slow, 1 healthy): the plan
  // alone names the wrong one. The confirmation must send d flows from its own leaf, which skip the spine link.
  const ThreeTierFabric f({4, 4, 4, 4, 4, 1});
  const int d = f.endpoint(1, 2, 3);
  const std::vector<int> cross_pod = f.route(f.endpoint(0, 0, 0), d);
  const int leaf_to_nic = cross_pod.back(), spine_to_leaf = cross_pod[cross_pod.size() - 2];
  const Flip intra_leaf_to_d_healthy = [&](std::size_t, const Flow& flow, const std::vector<int>& route) {
    return flow.dst == d && route.size() == 2;
  };
  Measured m;
  for (const Stage& stage : f.tiered_plan()) measure(f, stage, {leaf_to_nic}, m, intra_leaf_to_d_healthy);
  TomographyOptions options;
  options.min_margin = 3;
  ASSERT_EQ(named(solve(f, m, options)), std::set<int>{spine_to_leaf}) << "the plan alone names the spine link";
  int skipping = 0;
  for (int c = 0; c < 4; ++c) {
    const Stage stage = plan_confirm_stage(f, m, solve(f, m, options), options, seeded(c));
    for (const Flow& flow : stage.flows) {
      const std::vector<int> route = f.route(flow.src, flow.dst);
      if (flow.dst == d && std::find(route.begin(), route.end(), spine_to_leaf) == route.end()) ++skipping;
    }
    measure(f, stage, {leaf_to_nic}, m, [](auto...) { return false; });
  }
  EXPECT_GE(skipping, 2) << "flows to d from its own leaf, over the leaf link and not the spine link";
  EXPECT_EQ(named(solve(f, m, options)), std::set<int>{leaf_to_nic});
}

TEST(ConfirmStage, ACoreLinkOneOfWhoseTwoFlowsNoiseMadeHealthyGetsMoreFlowsAndIsNamed) {
  // A core -> spine link carries only the plan's two cross-pod flows to its destination; one measured healthy
  // leaves it 1 slow, 1 healthy: under the margin, so the plan alone names nothing.
  const ThreeTierFabric f({4, 4, 4, 4, 4, 1});
  const int d = f.endpoint(2, 1, 1);
  const std::vector<int> cross_pod = f.route(f.endpoint(0, 0, 0), d);
  const int core_to_spine = cross_pod[cross_pod.size() - 3];
  const Flip first_cross_pod_healthy = [&](std::size_t stage, const Flow& flow, const std::vector<int>&) {
    return stage == 0 && flow.dst == d;
  };
  Measured m;
  for (const Stage& stage : f.tiered_plan()) measure(f, stage, {core_to_spine}, m, first_cross_pod_healthy);
  TomographyOptions options;
  options.min_margin = 3;
  ASSERT_TRUE(solve(f, m, options).faults.empty());
  int over = 0;
  for (int c = 0; c < 4; ++c) {
    const Stage stage = plan_confirm_stage(f, m, solve(f, m, options), options, seeded(c));
    for (const Flow& flow : stage.flows) {
      const std::vector<int> route = f.route(flow.src, flow.dst);
      over += static_cast<int>(std::count(route.begin(), route.end(), core_to_spine));
    }
    measure(f, stage, {core_to_spine}, m, [](auto...) { return false; });
  }
  EXPECT_GE(over, 3);
  EXPECT_EQ(named(solve(f, m, options)), std::set<int>{core_to_spine});
}

TEST(FabricTrial, At1024NodesFourPlanAndFourConfirmationStagesNameTenToAHundredFaultsUnderOnePercentNoiseEitherWay) {
  // Issue #18's acceptance 2 under noise that also makes slow flows look healthy: recall and precision >= 0.99, a
  // healthy fabric names nothing. One fault needs hundreds of trials to measure 0.99 (one trial in 200 sees two of
  // a link's four plan flows flipped): docs/fabric.md has that row, from `railcheck fabric-sim`, and 8,192 nodes.
  const ThreeTierFabric f({8, 32, 32, 32, 32, 8});
  FabricTrial trial;
  trial.faults = 0;
  trial.noise = 0.01;
  trial.noise_model = NoiseModel::kEitherWay;
  trial.confirm_stages = 4;
  trial.solver.min_margin = 3;
  EXPECT_EQ(run_trials(f, trial, 5).names, 0);
  for (const auto& [faults, trials] : {std::pair{10, 10}, std::pair{100, 3}}) {
    trial.faults = faults;
    const FabricTrialScore total = run_trials(f, trial, trials);
    EXPECT_EQ(total.stages, 8);
    EXPECT_GE(total.named_alone, total.injected * 99 / 100) << faults << " faults";
    EXPECT_LE(total.false_names, total.names / 100) << faults << " faults";
  }
}

}  // namespace
}  // namespace railcheck::fabric

namespace railcheck::fabric {
namespace {

TEST(SwitchRule, ASlowLeafIsNamedAsTheSwitchAndTwoSlowCablesOnItStayCables) {
  const ThreeTierFabric f({4, 4, 4, 4, 4, 1});
  const int nic = f.nic_device(f.endpoint(1, 2, 0));
  const int leaf = f.fabric().links()[static_cast<std::size_t>(f.fabric().out_links(nic).front())].to;
  std::set<int> every_link_of_leaf, two_of_its_links;
  for (std::size_t l = 0; l < f.fabric().links().size(); ++l) {
    const DirectedLink& link = f.fabric().links()[l];
    if (link.from == leaf || link.to == leaf) every_link_of_leaf.insert(static_cast<int>(l));
  }
  two_of_its_links = {*every_link_of_leaf.begin(), *std::next(every_link_of_leaf.begin(), 5)};
  TomographyOptions options;
  for (const auto& [faulty, want_switch] : {std::pair{every_link_of_leaf, true}, std::pair{two_of_its_links, false}}) {
    Measured m;
    for (const Stage& stage : f.tiered_plan()) measure(f, stage, faulty, m, [](auto...) { return false; });
    TomographyResult result = solve(f, m, options);
    const std::vector<NamedSwitch> switches = name_switches(f.fabric(), m.routes, m.slow, result);
    if (want_switch) {
      ASSERT_EQ(switches.size(), 1u);
      EXPECT_EQ(switches[0].device, leaf);
      EXPECT_EQ(static_cast<int>(switches[0].flows.size()), switches[0].total) << "every flow through it slow";
      EXPECT_TRUE(result.faults.empty()) << "its links are folded into it";
    } else {
      EXPECT_TRUE(switches.empty());
      EXPECT_EQ(named(result), faulty);
    }
  }
}

TEST(FabricTrial, At1024NodesSlowSwitchesAreNamedAsSwitchesBesideSlowLinks) {
  const ThreeTierFabric f({8, 32, 32, 32, 32, 8});
  FabricTrial trial;
  trial.faults = 0;
  trial.switch_faults = 3;
  const FabricTrialScore alone = run_trials(f, trial, 5);
  EXPECT_EQ(alone.switches_named, 15);
  EXPECT_EQ(alone.false_names, 0);
  trial.faults = 10;
  trial.noise = 0.01;
  trial.confirm_stages = 4;
  trial.solver.min_margin = 3;
  const FabricTrialScore mixed = run_trials(f, trial, 5);
  EXPECT_EQ(mixed.switches_named, 15);
  // A slow link on a slow switch hides behind it (every flow over it crosses the switch): about 1 in 100 here.
  EXPECT_GE(mixed.named_alone, mixed.injected * 95 / 100);
  EXPECT_LE(mixed.false_names, 1);
}

}  // namespace
}  // namespace railcheck::fabric
