// Fabric-scale localization's model and plan (issue #18): the fabric's directed links, the two- and three-tier
// fabrics' destination-based routes, the tier-aware shift plan (every endpoint one flow out and one in, no directed
// link loaded twice), and the identifiability report that says, before any traffic, which links the plan can name.
#include <gtest/gtest.h>

#include <algorithm>
#include <set>
#include <stdexcept>

#include "railcheck/fabric/fabric.h"
#include "railcheck/fabric/fabric_trial.h"
#include "railcheck/fabric/stage_plan.h"
#include "railcheck/fabric/three_tier.h"
#include "railcheck/fabric/tomography.h"
#include "railcheck/fabric/two_tier.h"

namespace railcheck::fabric {
namespace {

RouteOracle oracle(const TwoTierFabric& f) {
  return [&f](int src, int dst) { return f.route(src, dst); };
}

TEST(Fabric, ACableIsTwoDirectedLinksEachTheOthersReverse) {
  Fabric f;
  const int leaf = f.add_device({"leaf-0", Tier::kLeaf, "", "", 0});
  const int nic = f.add_device({"node1/mlx5_0", Tier::kNic, "node1", "mlx5_0", 0});
  f.add_cable(nic, 1, leaf, 7);
  ASSERT_EQ(f.links().size(), 2u);
  EXPECT_EQ(f.cables(), 1u);
  EXPECT_EQ(*f.link_between(nic, leaf), 0);
  EXPECT_EQ(*f.link_between(leaf, nic), 1);
  EXPECT_EQ(f.reverse(0), 1);
  EXPECT_EQ(f.describe(0), "node1/mlx5_0 -> leaf-0:7");
  EXPECT_EQ(f.describe(1), "leaf-0:7 -> node1/mlx5_0");
  EXPECT_THROW(f.add_cable(nic, 1, leaf, 8), std::invalid_argument);  // the NIC's port is taken
  EXPECT_THROW(f.add_device({"leaf-0", Tier::kLeaf, "", "", 1}), std::invalid_argument);
  EXPECT_THROW(f.add_cable(leaf, 2, leaf, 3), std::invalid_argument);
}

TEST(TwoTierFabric, RoutesWalkFromTheSourceNicToTheDestinationNicOverCabledLinks) {
  const TwoTierFabric f({.sus = 2, .rails = 2, .nodes_per_su = 4, .spines = 2, .parallel = 2});
  EXPECT_EQ(f.endpoints(), 16);
  EXPECT_EQ(f.leaves(), 4);
  EXPECT_EQ(f.fabric().cables(), 4u * 4 + 16);  // leaf uplinks, NIC cables
  for (int src = 0; src < f.endpoints(); ++src) {
    for (int dst = 0; dst < f.endpoints(); ++dst) {
      if (src == dst) continue;
      const std::vector<int> path = f.route(src, dst);
      ASSERT_EQ(path.size(), f.leaf_of(src) == f.leaf_of(dst) ? 2u : 4u);
      EXPECT_EQ(f.fabric().links()[path.front()].from, f.nic_device(src));
      EXPECT_EQ(f.fabric().links()[path.back()].to, f.nic_device(dst));
      for (std::size_t i = 1; i < path.size(); ++i) {
        EXPECT_EQ(f.fabric().links()[path[i - 1]].to, f.fabric().links()[path[i]].from);
      }
    }
  }
}

TEST(TwoTierFabric, AShapeThatCannotCarryItsHostsIsRefusedNamingTheField) {
  EXPECT_THROW(TwoTierFabric({.sus = 0}), std::invalid_argument);
  try {
    TwoTierFabric({.sus = 2, .rails = 1, .nodes_per_su = 8, .spines = 2, .parallel = 2});
    FAIL() << "no error";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("nodes_per_su"), std::string::npos) << e.what();
  }
}

TEST(TieredPlan, EveryEndpointSendsAndReceivesOneFlowAndNoDirectedLinkCarriesTwo) {
  for (const TwoTierShape shape :
       {TwoTierShape{2, 2, 4, 4, 1}, TwoTierShape{4, 8, 8, 4, 2}, TwoTierShape{3, 1, 5, 7, 1},
        TwoTierShape{1, 2, 4, 4, 1}, TwoTierShape{8, 1, 1, 1, 1}}) {
    const TwoTierFabric f(shape);
    const std::vector<Stage> plan = tiered_plan(f);
    ASSERT_FALSE(plan.empty());
    for (const Stage& stage : plan) {
      std::vector<int> sends(f.endpoints(), 0), receives(f.endpoints(), 0);
      for (const Flow& flow : stage.flows) {
        EXPECT_NE(flow.src, flow.dst);
        ++sends[flow.src];
        ++receives[flow.dst];
      }
      for (int e = 0; e < f.endpoints(); ++e) {
        EXPECT_EQ(sends[e], 1) << stage.name << " endpoint " << e;
        EXPECT_EQ(receives[e], 1) << stage.name << " endpoint " << e;
      }
      const std::vector<int> loads = link_loads(f.fabric(), stage, oracle(f));
      EXPECT_LE(*std::max_element(loads.begin(), loads.end()), 1) << stage.name;
    }
  }
}

TEST(Identifiability, TheThreeStagePlanNamesEveryDirectedLinkAloneFromFourLeavesTo256) {
  // 256 leaves: 32 SUs x 8 rails x 32 hosts, 16 spines with 2 cables to each leaf (32,768 directed links).
  for (const TwoTierShape shape : {TwoTierShape{2, 2, 4, 4, 1}, TwoTierShape{4, 8, 8, 4, 2},
                                   TwoTierShape{3, 1, 4, 4, 1}, TwoTierShape{32, 8, 32, 16, 2}}) {
    const TwoTierFabric f(shape);
    const std::vector<Stage> plan = tiered_plan(f);
    ASSERT_EQ(plan.size(), 3u);
    const Identifiability id = identifiability(f.fabric(), plan, oracle(f));
    EXPECT_TRUE(id.uncovered.empty()) << f.leaves() << " leaves";
    EXPECT_EQ(id.singletons(), f.fabric().links().size()) << f.leaves() << " leaves";
    EXPECT_EQ(id.largest(), 1u);
  }
}

TEST(Identifiability, UplinksNoDestinationRoutesOverAreReportedUncovered) {
  // 7 spines for 5 hosts per leaf: destination-mod-k never uses uplinks 5 and 6 (nor their downlinks).
  const TwoTierFabric f({.sus = 3, .rails = 1, .nodes_per_su = 5, .spines = 7, .parallel = 1});
  const Identifiability id = identifiability(f.fabric(), tiered_plan(f), oracle(f));
  EXPECT_EQ(id.uncovered.size(), 3u * 2 * 2);  // 3 leaves x 2 unused cables x 2 directions
  for (const int link : id.uncovered) {
    const DirectedLink& l = f.fabric().links()[link];
    const std::set<Tier> ends = {f.fabric().device(l.from).tier, f.fabric().device(l.to).tier};
    EXPECT_EQ(ends, (std::set<Tier>{Tier::kLeaf, Tier::kSpine})) << f.fabric().describe(link);
    const int leaf_port = f.fabric().device(l.from).tier == Tier::kLeaf ? l.from_port : l.to_port;
    EXPECT_GT(leaf_port, 5 + 5) << "uplinks 5 and 6 are ports 11 and 12: " << f.fabric().describe(link);
  }
  EXPECT_EQ(id.largest(), 1u);
}

TEST(Identifiability, CrossLeafStagesAloneLeaveALeafsLinkToANicWithTheSpineLinkThatFeedsIt) {
  const TwoTierFabric f({.sus = 2, .rails = 2, .nodes_per_su = 4, .spines = 4, .parallel = 1});
  const std::vector<Stage> naive = {shift_stage(f.leaves(), f.shape().nodes_per_su, 1, 1),
                                    shift_stage(f.leaves(), f.shape().nodes_per_su, 2, 3)};
  const Identifiability id = identifiability(f.fabric(), naive, oracle(f));
  EXPECT_EQ(id.largest(), 2u);
  for (const std::vector<int>& group : id.classes) {
    if (group.size() < 2) continue;
    std::set<Tier> tiers;  // the destination's down path: spine -> leaf and leaf -> NIC
    for (const int link : group) tiers.insert(f.fabric().device(f.fabric().links()[link].from).tier);
    EXPECT_EQ(tiers, (std::set<Tier>{Tier::kSpine, Tier::kLeaf})) << f.fabric().describe(group[0]);
  }
}

TEST(Identifiability, WithTwoLeavesAnUplinkAndTheDownlinkItAlwaysFeedsStayOneClass) {
  // Every flow up leaf 0's uplink u comes down leaf 1's downlink u: no end-to-end plan can tell them apart.
  const TwoTierFabric f({.sus = 1, .rails = 2, .nodes_per_su = 4, .spines = 4, .parallel = 1});
  const Identifiability id = identifiability(f.fabric(), tiered_plan(f), oracle(f));
  EXPECT_TRUE(id.uncovered.empty());
  EXPECT_EQ(id.largest(), 2u);
  std::size_t pairs = 0;
  for (const std::vector<int>& group : id.classes) {
    if (group.size() != 2) continue;
    ++pairs;
    const bool up_first = f.fabric().device(f.fabric().links()[group[0]].from).tier == Tier::kLeaf;
    const DirectedLink& a = f.fabric().links()[group[up_first ? 0 : 1]];  // leaf -> spine
    const DirectedLink& b = f.fabric().links()[group[up_first ? 1 : 0]];  // spine -> leaf
    EXPECT_EQ(f.fabric().device(a.from).tier, Tier::kLeaf) << f.fabric().describe(group[0]);
    EXPECT_EQ(f.fabric().device(a.to).tier, Tier::kSpine);
    EXPECT_EQ(a.to, b.from) << "the pair meets at one spine";
    EXPECT_NE(a.from, b.to) << "and goes on to the other leaf";
  }
  EXPECT_EQ(pairs, 2u * 4);  // each leaf's 4 uplinks
}

}  // namespace
}  // namespace railcheck::fabric

namespace railcheck::fabric {
namespace {

// The plan's outcome when exactly `faulty` links are slow (no noise).
std::vector<std::vector<bool>> outcome(const TwoTierFabric& f, const std::vector<Stage>& plan,
                                       const std::set<int>& faulty) {
  std::vector<std::vector<bool>> slow;
  for (const Stage& stage : plan) {
    slow.emplace_back();
    for (const Flow& flow : stage.flows) {
      const std::vector<int> path = f.route(flow.src, flow.dst);
      slow.back().push_back(std::any_of(path.begin(), path.end(), [&](int l) { return faulty.contains(l); }));
    }
  }
  return slow;
}

std::set<int> named_links(const TomographyResult& r) {
  std::set<int> out;
  for (const NamedFault& fault : r.faults) out.insert(fault.links.begin(), fault.links.end());
  return out;
}

TEST(BooleanTomography, EachKindOfDirectedLinkSlowAloneIsNamedAloneWithTheFlowsThatShowIt) {
  const TwoTierFabric f({.sus = 2, .rails = 2, .nodes_per_su = 4, .spines = 4, .parallel = 1});
  const std::vector<Stage> plan = tiered_plan(f);
  const RouteOracle route = [&f](int s, int d) { return f.route(s, d); };
  for (int link = 0; link < static_cast<int>(f.fabric().links().size()); ++link) {
    const TomographyResult r = boolean_tomography(f.fabric(), plan, outcome(f, plan, {link}), route);
    ASSERT_EQ(r.faults.size(), 1u) << f.fabric().describe(link);
    EXPECT_EQ(r.faults[0].links, std::vector<int>{link})
        << f.fabric().describe(link) << " named as " << f.fabric().describe(r.faults[0].links[0]);
    EXPECT_GE(r.faults[0].flows.size(), 2u) << "at least two slow flows, in different stages";
    EXPECT_TRUE(r.unexplained.empty());
  }
}

TEST(BooleanTomography, AHealthyFabricNamesNothingAndALoneSlowFlowIsLeftUnexplained) {
  const TwoTierFabric f({.sus = 2, .rails = 2, .nodes_per_su = 4, .spines = 4, .parallel = 1});
  const std::vector<Stage> plan = tiered_plan(f);
  const RouteOracle route = [&f](int s, int d) { return f.route(s, d); };
  std::vector<std::vector<bool>> slow = outcome(f, plan, {});
  EXPECT_TRUE(boolean_tomography(f.fabric(), plan, slow, route).faults.empty());
  slow[0][5] = true;  // one measurement noise made slow: no link has more slow flows than healthy ones
  const TomographyResult r = boolean_tomography(f.fabric(), plan, slow, route);
  EXPECT_TRUE(r.faults.empty());
  ASSERT_EQ(r.unexplained.size(), 1u);
  EXPECT_EQ(r.unexplained[0], (FlowRef{0, 5}));
}

TEST(BooleanTomography, TwoLeavesNameTheUplinkAndItsDownlinkAsOneOfTwo) {
  const TwoTierFabric f({.sus = 1, .rails = 2, .nodes_per_su = 4, .spines = 4, .parallel = 1});
  const std::vector<Stage> plan = tiered_plan(f);
  const int uplink = *f.fabric().link_between(*f.fabric().find("leaf-su0-r0"), *f.fabric().find("spine-2"));
  const TomographyResult r =
      boolean_tomography(f.fabric(), plan, outcome(f, plan, {uplink}), [&f](int s, int d) { return f.route(s, d); });
  ASSERT_EQ(r.faults.size(), 1u);
  EXPECT_EQ(r.faults[0].links.size(), 2u);
  EXPECT_TRUE(std::count(r.faults[0].links.begin(), r.faults[0].links.end(), uplink));
}

TEST(FabricTrial, At8192NicsTheThreeStagesNameEveryInjectedLinkAloneWithoutNoise) {
  // 32 SUs x 32 hosts x 8 rails (8,192 NICs, 256 leaves, 16 spines x 2 cables): 32,768 directed links.
  const TwoTierFabric f({.sus = 32, .rails = 8, .nodes_per_su = 32, .spines = 16, .parallel = 2});
  for (const int faults : {0, 1, 10}) {
    const FabricTrialScore total = run_trials(f, {.faults = faults, .noise = 0.0, .repeats = 1, .seed = 1}, 5);
    EXPECT_EQ(total.stages, 3);
    EXPECT_EQ(total.named_alone, total.injected) << faults << " faults";
    EXPECT_EQ(total.false_names, 0) << faults << " faults";
    EXPECT_EQ(total.names, total.injected) << faults << " faults";
  }
}

TEST(FabricTrial, OnePercentNoiseIsOutvotedByRunningThePlanThreeTimes) {
  const TwoTierFabric f({.sus = 32, .rails = 8, .nodes_per_su = 32, .spines = 16, .parallel = 2});
  const FabricTrialScore total = run_trials(f, {.faults = 10, .noise = 0.01, .repeats = 3, .seed = 1}, 5);
  EXPECT_EQ(total.stages, 9);
  EXPECT_GE(total.named_alone, total.injected * 99 / 100);
  EXPECT_LE(total.false_names, total.names / 100);
}

}  // namespace
}  // namespace railcheck::fabric

namespace railcheck::fabric {
namespace {

TEST(ThreeTierFabric, RoutesClimbOnlyAsHighAsTheyMustAndWalkCabledLinks) {
  const ThreeTierFabric f(
      {.pods = 3, .leaves_per_pod = 4, .hosts_per_leaf = 2, .spines_per_pod = 3, .cores_per_group = 5, .rails = 2});
  EXPECT_EQ(f.endpoints(), 3 * 4 * 2);
  for (int src = 0; src < f.endpoints(); ++src) {
    for (int dst = 0; dst < f.endpoints(); ++dst) {
      if (src == dst) continue;
      const std::vector<int> path = f.route(src, dst);
      const int hosts = 2, leaves = 4;
      const std::size_t expected = src / hosts == dst / hosts                         ? 2u   // same leaf
                                   : src / (hosts * leaves) == dst / (hosts * leaves) ? 4u   // same pod
                                                                                      : 6u;  // over a core
      ASSERT_EQ(path.size(), expected) << src << " -> " << dst;
      EXPECT_EQ(f.fabric().links()[path.front()].from, f.nic_device(src));
      EXPECT_EQ(f.fabric().links()[path.back()].to, f.nic_device(dst));
      for (std::size_t i = 1; i < path.size(); ++i) {
        EXPECT_EQ(f.fabric().links()[path[i - 1]].to, f.fabric().links()[path[i]].from);
      }
    }
  }
  EXPECT_THROW(ThreeTierFabric({.pods = 2, .leaves_per_pod = 4, .hosts_per_leaf = 4, .spines_per_pod = 2}),
               std::invalid_argument);
}

TEST(ThreeTierPlan, FourStagesLoadNoDirectedLinkTwiceAndNameEveryLinkOfA1024NodeFabricAlone) {
  // 1,024 hosts x 8 rails: 8 pods of 32 leaves of 32 NICs, 32 spines per pod, 32 x 32 cores (49,152 links).
  for (const ThreeTierShape shape :
       {ThreeTierShape{4, 4, 4, 4, 4, 1}, ThreeTierShape{5, 6, 3, 4, 7, 2}, ThreeTierShape{8, 32, 32, 32, 32, 8}}) {
    const ThreeTierFabric f(shape);
    const std::vector<Stage> plan = f.tiered_plan();
    ASSERT_EQ(plan.size(), 4u);
    for (const Stage& stage : plan) {
      std::vector<int> sends(f.endpoints(), 0), receives(f.endpoints(), 0);
      for (const Flow& flow : stage.flows) ++sends[flow.src], ++receives[flow.dst];
      EXPECT_EQ(std::count(sends.begin(), sends.end(), 1), f.endpoints()) << stage.name;
      EXPECT_EQ(std::count(receives.begin(), receives.end(), 1), f.endpoints()) << stage.name;
      const std::vector<int> loads = link_loads(f.fabric(), stage, routes_of(f));
      EXPECT_LE(*std::max_element(loads.begin(), loads.end()), 1) << stage.name;
    }
    if (shape.spines_per_pod == shape.hosts_per_leaf && shape.cores_per_group == shape.leaves_per_pod) {
      const Identifiability id = identifiability(f.fabric(), plan, routes_of(f));
      EXPECT_TRUE(id.uncovered.empty());
      EXPECT_EQ(id.singletons(), f.fabric().links().size()) << f.endpoints() << " NICs";
    }
  }
}

TEST(ThreeTierPlan, TheWidePlanAddsDistinctCrossPodStagesThatLoadNoLinkTwiceAndGiveCoreLinksAFlowEach) {
  for (const ThreeTierShape shape :
       {ThreeTierShape{4, 4, 4, 4, 4, 1}, ThreeTierShape{2, 4, 4, 4, 4, 1}, ThreeTierShape{8, 32, 32, 32, 32, 8}}) {
    const ThreeTierFabric f(shape);
    const std::vector<Stage> plan = f.wide_plan(8);
    ASSERT_EQ(plan.size(), 8u);
    std::set<std::string> names;
    for (const Stage& stage : plan) {
      EXPECT_TRUE(names.insert(stage.name).second) << "a stage repeats: " << stage.name;
      EXPECT_EQ(stage.flows.size(), static_cast<std::size_t>(f.endpoints()));
      const std::vector<int> loads = link_loads(f.fabric(), stage, routes_of(f));
      EXPECT_LE(*std::max_element(loads.begin(), loads.end()), 1) << stage.name;
    }
    for (std::size_t s = 4; s < plan.size(); ++s) EXPECT_EQ(plan[s].name.rfind("cross-pod", 0), 0u) << plan[s].name;
    // Every directed link is crossed by at least 6 of the 8 stages' flows (core links: the 6 cross-pod ones).
    std::vector<int> total(f.fabric().links().size(), 0);
    for (const Stage& stage : plan) {
      const std::vector<int> loads = link_loads(f.fabric(), stage, routes_of(f));
      for (std::size_t l = 0; l < loads.size(); ++l) total[l] += loads[l];
    }
    EXPECT_GE(*std::min_element(total.begin(), total.end()), 6) << f.endpoints() << " NICs";
  }
}

TEST(BooleanTomography, ATieGoesToTheLinkWithFewerHealthyFlowsNotTheOneBelowItThatNoiseMadeLookWorse) {
  // Link 0 (a core link) carries flows 2-5, all slow; link 1 (the spine -> leaf link below it) carries those and
  // flows 0 and 1: one measured slow by chance, one healthy. Both score 4; link 0 has no healthy flow over it.
  // (Link 1's flows come first, so without the tie rule it would be the one met first and named.)
  const std::vector<std::vector<std::vector<int>>> routes = {{{1}, {1}, {0, 1}, {0, 1}, {0, 1}, {0, 1}}};
  const std::vector<std::vector<bool>> slow = {{true, false, true, true, true, true}};
  TomographyOptions options;
  options.min_margin = 3;
  const TomographyResult result = boolean_tomography(2, routes, slow, options);
  ASSERT_EQ(result.faults.size(), 1u);
  EXPECT_EQ(result.faults[0].links, std::vector<int>{0});
  EXPECT_EQ(result.unexplained, (std::vector<FlowRef>{{0, 0}}));
}

TEST(FabricTrial, At1024NodesEightStagesNameOneToAHundredFaultsUnderOnePercentFalseSlowNoise) {
  // The plan run twice, the margin 3: a healthy core link (4 flows) is named only if all 4 were measured slow.
  const ThreeTierFabric f({8, 32, 32, 32, 32, 8});
  FabricTrial trial{.faults = 0, .noise = 0.01, .noise_model = NoiseModel::kFalseSlow, .repeats = 2, .seed = 1};
  trial.solver.min_margin = 3;
  EXPECT_EQ(run_trials(f, trial, 10).names, 0);  // a healthy fabric names nothing
  for (const int faults : {1, 10, 100}) {
    trial.faults = faults;
    const FabricTrialScore total = run_trials(f, trial, 10);
    EXPECT_EQ(total.stages, 8);
    EXPECT_GE(total.named_alone, total.injected * 99 / 100) << faults << " faults";
    EXPECT_LE(total.false_names, total.names / 100) << faults << " faults";
  }
}

TEST(FabricTrial, At1024NodesFourStagesNameOneToThreeHundredFaultsWithoutNoise) {
  const ThreeTierFabric f({8, 32, 32, 32, 32, 8});
  for (const int faults : {1, 10, 100, 300}) {
    const FabricTrialScore total = run_trials(f, {.faults = faults, .noise = 0.0, .repeats = 1, .seed = 1}, 5);
    EXPECT_EQ(total.stages, 4);
    EXPECT_GE(total.named_alone, total.injected * 99 / 100) << faults << " faults";
    EXPECT_LE(total.false_names, total.names / 100) << faults << " faults";
  }
  // A healthy fabric names nothing.
  EXPECT_EQ(run_trial(f, {.faults = 0, .noise = 0.0, .repeats = 1, .seed = 1}).names, 0);
}

}  // namespace
}  // namespace railcheck::fabric
