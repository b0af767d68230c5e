// ECMP routes (issue #18, ecmp_routes.h): each hop's candidates on the testbed's two tiers and a generated three-tier
// fabric, hashed paths that follow them; the solver on ECMP bundles (tomography.h's boolean_tomography_hops);
// the simulator with ECMP routes, traced and untraced (fabric_trial.h).
#include <gtest/gtest.h>

#include <set>

#include "fabric_fixtures.h"
#include "railcheck/analysis/fabric_flows.h"
#include "railcheck/fabric/ecmp_routes.h"
#include "railcheck/fabric/fabric_trial.h"
#include "railcheck/fabric/three_tier.h"
#include "railcheck/fabric/tomography.h"

namespace railcheck::fabric {
namespace {

std::vector<std::string> names(const Fabric& f, const std::vector<int>& links) {
  std::vector<std::string> out;
  for (const int l : links) out.push_back(f.describe(l));
  return out;
}

int endpoint_of(const RoutedFabric& f, const std::string& host) {
  for (int e = 0; e < f.endpoints(); ++e) {
    if (f.fabric().device(f.nic_device(e)).host == host) return e;
  }
  ADD_FAILURE() << "no endpoint on " << host;
  return 0;
}

TEST(EcmpRoutes, ACrossLeafFlowOnTheTestbedMayTakeEitherSpineAndItsNicLinksAreKnown) {
  const DmodkTwoTierFabric f = test::testbed_fabric();
  const EcmpRoutes ecmp(f);
  const RouteHops hops = ecmp.hops(endpoint_of(f, "node1"), endpoint_of(f, "node3"));
  ASSERT_EQ(hops.size(), 4u);
  EXPECT_EQ(names(f.fabric(), hops[0]), std::vector<std::string>{"node1/fab0 -> leaf1:1"});
  EXPECT_EQ(names(f.fabric(), hops[1]), (std::vector<std::string>{"leaf1:3 -> spine1:1", "leaf1:4 -> spine2:1"}));
  EXPECT_EQ(names(f.fabric(), hops[2]), (std::vector<std::string>{"spine1:2 -> leaf2:3", "spine2:2 -> leaf2:4"}));
  EXPECT_EQ(names(f.fabric(), hops[3]), std::vector<std::string>{"leaf2:1 -> node3/fab0"});
  // Within a leaf there is one way.
  const RouteHops local = ecmp.hops(endpoint_of(f, "node1"), endpoint_of(f, "node2"));
  ASSERT_EQ(local.size(), 2u);
  EXPECT_EQ(local[0].size(), 1u);
  EXPECT_EQ(local[1].size(), 1u);
}

TEST(EcmpRoutes, HashedPathsFollowTheCandidatesLinkToLinkAndSpreadOverThem) {
  const ThreeTierFabric f(ThreeTierShape{4, 4, 4, 4, 4, 1});
  const EcmpRoutes ecmp(f);
  for (const auto& [src, dst] : std::vector<std::pair<int, int>>{{0, 1}, {0, 5}, {0, 63}, {17, 40}}) {
    const RouteHops hops = ecmp.hops(src, dst);
    ASSERT_FALSE(hops.empty());
    std::vector<std::set<int>> seen(hops.size());
    for (std::uint64_t entropy = 0; entropy < 400; ++entropy) {
      const std::vector<int> path = ecmp.hashed_path(src, dst, entropy);
      ASSERT_EQ(path.size(), hops.size());
      for (std::size_t i = 0; i < path.size(); ++i) {
        EXPECT_TRUE(std::binary_search(hops[i].begin(), hops[i].end(), path[i])) << "hop " << i;
        if (i > 0) {
          EXPECT_EQ(f.fabric().links()[path[i]].from, f.fabric().links()[path[i - 1]].to);
        }
        seen[i].insert(path[i]);
      }
      EXPECT_EQ(ecmp.hashed_path(src, dst, entropy), path);  // the same flow, the same path
    }
    for (std::size_t i = 0; i < hops.size(); ++i) EXPECT_EQ(seen[i].size(), hops[i].size()) << "hop " << i;
  }
  // Cross-pod: NIC -> leaf, leaf -> 4 spines, spines -> 16 cores, 16 cores -> 4 spines, 4 spines -> leaf, leaf -> NIC.
  const RouteHops far = ecmp.hops(0, 63);
  ASSERT_EQ(far.size(), 6u);
  EXPECT_EQ(far[1].size(), 4u);
  EXPECT_EQ(far[2].size(), 16u);
  EXPECT_EQ(far[3].size(), 16u);
  EXPECT_EQ(far[4].size(), 4u);
}

/// Flows over a two-link bundle {2, 3} between known links: flow f of stage s from NIC link 0 or 1 over the
/// bundle to NIC link 4 or 5.
struct BundleCase {
  std::vector<std::vector<std::vector<std::vector<int>>>> routes;
  std::vector<std::vector<bool>> slow;
  void add(int stage, int nic_out, bool slow_flow, int nic_in = 4) {
    if (routes.size() <= static_cast<std::size_t>(stage)) {
      routes.resize(stage + 1);
      slow.resize(stage + 1);
    }
    routes[stage].push_back({{nic_out}, {2, 3}, {nic_in}});
    slow[stage].push_back(slow_flow);
  }
};

TEST(EcmpTomography, ABundleHalfOfWhoseFlowsAreSlowInSeveralStagesIsNamedAsOneOfItsLinks) {
  BundleCase c;
  for (int stage = 0; stage < 4; ++stage) {
    c.add(stage, 0, stage % 2 == 0, 4);
    c.add(stage, 1, stage % 2 == 1, 5);
  }
  const TomographyResult r = boolean_tomography_hops(6, c.routes, c.slow);
  ASSERT_EQ(r.faults.size(), 1u);
  EXPECT_EQ(r.faults[0].links, (std::vector<int>{2, 3}));
  EXPECT_EQ(r.faults[0].flows.size(), 4u);
  EXPECT_TRUE(r.unexplained.empty());
}

TEST(EcmpTomography, ANicLinkWhoseEveryFlowIsSlowIsNamedAloneNotTheBundleItsFlowsCrossed) {
  BundleCase c;
  for (int stage = 0; stage < 4; ++stage) {
    c.add(stage, 0, true, 4 + stage % 2);  // to both far ends: they had healthy flows too
    c.add(stage, 1, false, 5 - stage % 2);
  }
  const TomographyResult r = boolean_tomography_hops(6, c.routes, c.slow);
  ASSERT_EQ(r.faults.size(), 1u);
  EXPECT_EQ(r.faults[0].links, std::vector<int>{0});
}

// cluster.fabric once named leaf1:1 -> node1/fab0 beside the group of downlinks into leaf1: 7 of node1's 8
// cross-leaf flows had hashed over the slow spine link, outnumbering the healthy flows over its NIC link. The
// group explains the slow flows into both NICs and stands out by more, and node1's intra-leaf flows were healthy.
TEST(EcmpTomography, ABundleStandingOutMoreThanANicLinkUnderItIsNamedAndTheNicLinkIsNot) {
  BundleCase c;
  for (int stage = 0; stage < 8; ++stage) {
    c.add(stage, stage % 2, stage != 3, 4);      // into NIC link 4: 7 of 8 slow
    c.add(stage, stage % 2, stage % 2 == 0, 5);  // into NIC link 5: 4 of 8 slow
  }
  for (int stage = 0; stage < 4; ++stage) {  // intra-leaf flows into NIC link 4, healthy: from link 6 only
    c.routes[static_cast<std::size_t>(stage)].push_back({{6}, {4}});
    c.slow[static_cast<std::size_t>(stage)].push_back(false);
  }
  const TomographyResult r = boolean_tomography_hops(7, c.routes, c.slow);
  ASSERT_EQ(r.faults.size(), 1u);
  EXPECT_EQ(r.faults[0].links, (std::vector<int>{2, 3}));
  EXPECT_EQ(r.faults[0].flows.size(), 11u);
  EXPECT_TRUE(r.unexplained.empty());
}

TEST(EcmpTomography, FlowsSlowInOneStageOnlyAreACollisionNotABundle) {
  BundleCase c;
  for (int stage = 0; stage < 4; ++stage) {
    for (int i = 0; i < 3; ++i) c.add(stage, i % 2, stage == 2, 4 + i % 2);
  }
  const TomographyResult r = boolean_tomography_hops(6, c.routes, c.slow);
  EXPECT_TRUE(r.faults.empty());
  EXPECT_EQ(r.unexplained.size(), 3u);
}

TEST(EcmpTomography, RoutesOfSingleLinkHopsJudgeAsTheKnownRouteSolverDoes) {
  const ThreeTierFabric f(ThreeTierShape{4, 4, 4, 4, 4, 1});
  const std::vector<Stage> plan = f.tiered_plan();
  std::vector<std::vector<std::vector<int>>> routes;
  std::vector<std::vector<std::vector<std::vector<int>>>> hops;
  std::vector<std::vector<bool>> slow;
  const std::set<int> faulty{7, 300, 511};
  for (const Stage& stage : plan) {
    routes.emplace_back();
    hops.emplace_back();
    slow.emplace_back();
    for (const Flow& flow : stage.flows) {
      routes.back().push_back(f.route(flow.src, flow.dst));
      hops.back().emplace_back();
      bool is_slow = false;
      for (const int l : routes.back().back()) {
        hops.back().back().push_back({l});
        is_slow |= faulty.contains(l);
      }
      slow.back().push_back(is_slow);
    }
  }
  const std::size_t links = f.fabric().links().size();
  const TomographyResult a = boolean_tomography(links, routes, slow);
  const TomographyResult b = boolean_tomography_hops(links, hops, slow);
  ASSERT_EQ(a.faults.size(), b.faults.size());
  for (std::size_t i = 0; i < a.faults.size(); ++i) {
    EXPECT_EQ(a.faults[i].links, b.faults[i].links);
    EXPECT_EQ(a.faults[i].flows, b.faults[i].flows);
  }
  EXPECT_EQ(a.unexplained, b.unexplained);
}

TEST(FabricTrial, EcmpTracedThinStagesNameMostFaultsAndNothingOnHealthyFabrics) {
  const ThreeTierFabric f(ThreeTierShape{4, 4, 4, 4, 4, 1});
  FabricTrial trial;
  trial.routing = Routing::kEcmpTraced;
  trial.thin = 4;
  trial.repeats = 2;
  trial.faults = 0;
  const FabricTrialScore healthy = run_trials(f, trial, 20);
  EXPECT_EQ(healthy.names, 0);
  trial.faults = 3;
  const FabricTrialScore s = run_trials(f, trial, 20);
  EXPECT_GE(s.named_alone + s.named_in_group, 0.9 * s.injected);
  EXPECT_LE(s.false_names, 0.05 * s.names);
}

TEST(FabricTrial, EcmpUntracedNamesEveryNicLinkFaultAloneAndNothingOnHealthyFabrics) {
  const ThreeTierFabric f(ThreeTierShape{4, 4, 4, 4, 4, 1});
  FabricTrial trial;
  trial.routing = Routing::kEcmpUntraced;
  trial.thin = 4;
  trial.slow_below = 0.3;  // below a three-way collision's share
  trial.faults = 0;
  const FabricTrialScore healthy = run_trials(f, trial, 20);
  EXPECT_EQ(healthy.names, 0);
  // A fault on each of the first 10 NIC links (host to leaf and back): the links known to carry the flows.
  int nic_faults = 0, named = 0;
  for (std::size_t l = 0; nic_faults < 10 && l < f.fabric().links().size(); ++l) {
    const DirectedLink& link = f.fabric().links()[l];
    if (f.fabric().device(link.from).tier != Tier::kNic && f.fabric().device(link.to).tier != Tier::kNic) continue;
    ++nic_faults;
    trial.fault_links = {static_cast<int>(l)};
    const FabricTrialScore s = run_trial(f, trial);
    named += s.named_alone;
    EXPECT_EQ(s.false_names, 0) << f.fabric().describe(static_cast<int>(l));
  }
  EXPECT_EQ(nic_faults, 10);
  EXPECT_EQ(named, 10);
}

TEST(FabricTrial, EcmpRefusesConfirmationStagesAndUntracedSwitchFaults) {
  const ThreeTierFabric f(ThreeTierShape{4, 4, 4, 4, 4, 1});
  FabricTrial trial;
  trial.routing = Routing::kEcmpUntraced;
  trial.confirm_stages = 1;
  EXPECT_THROW(run_trial(f, trial), std::invalid_argument);
  trial.confirm_stages = 0;
  trial.switch_faults = 1;
  EXPECT_THROW(run_trial(f, trial), std::invalid_argument);
  trial.routing = Routing::kEcmpTraced;
  EXPECT_NO_THROW(run_trial(f, trial));
}

/// The testbed's plan run three times over ECMP: each flow hashed onto a path (a fresh source port each), its
/// record carrying the candidates (" | "), slow (0.02 GB/s) when the path it took crosses `slow_link`.
constexpr int kRounds = 3;  // one run of the 3-stage plan gives a slow group of 2 too few slow flows to stand out
std::vector<analysis::FabricFlowSample> ecmp_flows(const std::string& slow_link) {
  const EcmpFabric f(std::make_unique<DmodkTwoTierFabric>(test::testbed_fabric()));
  const EcmpRoutes ecmp(f);
  std::vector<analysis::FabricFlowSample> out;
  std::uint64_t entropy = 7;
  const std::vector<Stage> plan = f.tiered_plan();
  for (int round = 0; round < kRounds; ++round) {
    for (std::size_t s = 0; s < plan.size(); ++s) {
      for (const Flow& flow : plan[s].flows) {
        analysis::FabricFlowSample sample;
        sample.test = "fabric_tcp";
        sample.stage = round * static_cast<int>(plan.size()) + static_cast<int>(s);
        sample.src_host = f.fabric().device(f.nic_device(flow.src)).host;
        sample.dst_host = f.fabric().device(f.nic_device(flow.dst)).host;
        sample.src_nic = sample.dst_nic = "fab0";
        sample.size_bytes = 1 << 20;
        sample.loss_rate = 0.0;
        for (const auto& hop : f.route_hops(flow.src, flow.dst)) {
          std::string text;
          for (const int l : hop) text += (text.empty() ? "" : " | ") + f.fabric().describe(l);
          sample.route.push_back(text);
        }
        bool crosses = false;
        for (const int l : ecmp.hashed_path(flow.src, flow.dst, entropy++))
          crosses |= f.fabric().describe(l) == slow_link;
        sample.gbps = crosses ? 0.02 : 0.7 + 0.01 * static_cast<double>(entropy % 5);
        out.push_back(std::move(sample));
      }
    }
  }
  return out;
}

std::set<std::string> failing_links(const std::vector<analysis::Finding>& findings) {
  std::set<std::string> out;
  for (const analysis::Finding& f : findings) {
    if (f.status == analysis::VerdictStatus::kFail) out.insert(analysis::label(f.component));
  }
  return out;
}

TEST(EcmpFindings, ASlowNicLinkUnderEcmpFailsAloneItsFlowsKnownToCrossIt) {
  const auto findings = analysis::fabric_findings(ecmp_flows("leaf1:1 -> node1/fab0"), analysis::FabricOptions{});
  EXPECT_EQ(failing_links(findings), std::set<std::string>{"fabric link leaf1:1 -> node1/fab0"});
}

TEST(EcmpFindings, ASlowSpineToLeafLinkFailsItsWholeEcmpGroupSayingOneOfThemIsSlow) {
  const auto findings = analysis::fabric_findings(ecmp_flows("spine2:1 -> leaf1:4"), analysis::FabricOptions{});
  EXPECT_EQ(failing_links(findings),
            (std::set<std::string>{"fabric link spine1:1 -> leaf1:3", "fabric link spine2:1 -> leaf1:4"}));
  for (const analysis::Finding& f : findings) {
    if (f.status != analysis::VerdictStatus::kFail) continue;
    EXPECT_NE(f.evidence.text.find("one of the ECMP group"), std::string::npos) << f.evidence.text;
    EXPECT_NE(f.evidence.text.find("not traced"), std::string::npos) << f.evidence.text;
  }
}

TEST(EcmpFindings, AHealthyEcmpFabricNamesNothing) {
  const auto findings = analysis::fabric_findings(ecmp_flows("none"), analysis::FabricOptions{});
  EXPECT_TRUE(failing_links(findings).empty());
}

}  // namespace
}  // namespace railcheck::fabric
