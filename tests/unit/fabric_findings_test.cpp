// A fabric test's verdicts from its flow records (issue #18): bad flows (slow, lossy, failed) on the namespace
// testbed's plan name exactly the directed link behind them, with the flows as evidence; a healthy fabric with
// noisy rates names nothing; a lone bad flow no link explains warns the pair instead.
#include <gtest/gtest.h>

#include <fstream>
#include <random>
#include <set>
#include <sstream>

#include "fabric_fixtures.h"
#include "railcheck/analysis/fabric_flows.h"
#include "railcheck/fabric/dmodk_fabric.h"
#include "railcheck/fabric/topology_file.h"
#include "railcheck/fabric/two_tier.h"

namespace railcheck::analysis {
namespace {

fabric::DmodkTwoTierFabric testbed() { return test::testbed_fabric(); }

/// The plan's flows as a run records them, every flow at `healthy` GB/s times a seeded jitter of +-30 %, those
/// over link `bad` (-1: none) changed by `spoil`.
std::vector<FabricFlowSample> flows(const fabric::DmodkTwoTierFabric& f, int bad,
                                    const std::function<void(FabricFlowSample&)>& spoil, unsigned seed = 1) {
  std::mt19937 random(seed);
  std::uniform_real_distribution<double> jitter(0.7, 1.3);
  std::vector<FabricFlowSample> out;
  const std::vector<fabric::Stage> plan = f.tiered_plan();
  for (std::size_t s = 0; s < plan.size(); ++s) {
    for (const fabric::Flow& flow : plan[s].flows) {
      FabricFlowSample sample;
      sample.test = "fabric_tcp";
      sample.stage = static_cast<int>(s);
      sample.src_host = f.fabric().device(f.nic_device(flow.src)).host;
      sample.dst_host = f.fabric().device(f.nic_device(flow.dst)).host;
      sample.src_nic = sample.dst_nic = "fab0";
      sample.size_bytes = 1 << 20;
      sample.gbps = 0.4 * jitter(random);
      sample.loss_rate = 0.0;
      bool crosses = false;
      for (const int link : f.route(flow.src, flow.dst)) {
        sample.route.push_back(f.fabric().describe(link));
        crosses |= link == bad;
      }
      for (const int link : f.route(flow.dst, flow.src)) sample.return_route.push_back(f.fabric().describe(link));
      if (crosses) spoil(sample);
      out.push_back(std::move(sample));
    }
  }
  return out;
}

TEST(FabricFindings, EachSlowDirectedLinkOfTheTestbedFailsAloneWithItsFlowsAsEvidence) {
  const fabric::DmodkTwoTierFabric f = testbed();
  for (int bad = 0; bad < static_cast<int>(f.fabric().links().size()); ++bad) {
    const auto findings =
        fabric_findings(flows(
                            f, bad, [](FabricFlowSample& s) { s.gbps = 0.02; }, static_cast<unsigned>(bad)),
                        {});
    ASSERT_EQ(findings.size(), 1u) << f.fabric().describe(bad);
    const Finding& named = findings[0];
    EXPECT_EQ(named.status, VerdictStatus::kFail);
    EXPECT_EQ(label(named.component), "fabric link " + f.fabric().describe(bad));
    EXPECT_EQ(named.evidence.source, "fabric");
    EXPECT_EQ(named.evidence.direction, "a_to_b");
    EXPECT_EQ(named.evidence.metric, "fabric.bw bw_gbps");
    EXPECT_EQ(named.evidence.slow, named.evidence.total);
    EXPECT_EQ(named.evidence.refs.size(), static_cast<std::size_t>(named.evidence.total));
    EXPECT_NEAR(named.evidence.measured, 0.02, 1e-12);
  }
}

TEST(FabricFindings, ALossyLinkThatKeepsItsRateIsNamedByTheRetransmitsOfItsFlows) {
  const fabric::DmodkTwoTierFabric f = testbed();
  const int bad = *f.fabric().link_between(*f.fabric().find("spine1"), *f.fabric().find("leaf3"));
  const auto findings = fabric_findings(flows(f, bad, [](FabricFlowSample& s) { s.loss_rate = 0.021; }), {});
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(label(findings[0].component), "fabric link spine1:3 -> leaf3:3");
  EXPECT_EQ(findings[0].evidence.metric, "fabric.bw retrans_rate");
  EXPECT_NEAR(findings[0].evidence.measured, 0.021, 1e-12);
}

TEST(FabricFindings, AFailedFlowCountsAsBadAndItsLinkIsNamed) {
  const fabric::DmodkTwoTierFabric f = testbed();
  const int bad = *f.fabric().link_between(*f.fabric().find("leaf2"), *f.fabric().find("spine2"));
  const auto findings = fabric_findings(flows(f, bad,
                                              [](FabricFlowSample& s) {
                                                s.ok = false;
                                                s.error = "connect timed out";
                                              }),
                                        {});
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(label(findings[0].component), "fabric link leaf2:4 -> spine2:2");
}

TEST(FabricFindings, AHealthyFabricWithRatesScatteredByAThirdNamesNothingOverManySeeds) {
  const fabric::DmodkTwoTierFabric f = testbed();
  for (unsigned seed = 0; seed < 200; ++seed) {
    const auto found = fabric_findings(flows(
                                           f, -1, [](FabricFlowSample&) {}, seed),
                                       {});
    EXPECT_TRUE(found.empty()) << seed << ": " << (found.empty() ? "" : found[0].evidence.text);
  }
}

TEST(FabricFindings, ALoneSlowFlowNoLinkExplainsWarnsItsPairNotAFabricLink) {
  const fabric::DmodkTwoTierFabric f = testbed();
  std::vector<FabricFlowSample> all = flows(f, -1, [](FabricFlowSample&) {});
  all[7].gbps = 0.01;  // one flow of the intra-leaf stage: each of its two links has other, healthy flows
  const auto findings = fabric_findings(all, {});
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].status, VerdictStatus::kWarn);
  EXPECT_EQ(findings[0].component.kind, ComponentKind::kLink);
  EXPECT_NE(findings[0].evidence.text.find("no fabric link explains"), std::string::npos);
}

TEST(FabricFindings, ALoneSlowFlowMeasuredAgainHealthyPassesAsADipAndBadAgainStillWarns) {
  // cluster.fabric, 2026-12-07: one healthy flow dipped to 48 % of the median on the loaded testbed and warned
  // beside the capped link. The executor now measures such a flow once more (a "re-measure" stage after the
  // plan); healthy then, it was a dip of the moment.
  const fabric::DmodkTwoTierFabric f = testbed();
  std::vector<FabricFlowSample> all = flows(f, -1, [](FabricFlowSample&) {});
  all[7].gbps = 0.01;
  FabricFlowSample again = all[7];
  again.stage = 3;
  for (const double rate : {0.4, 0.01}) {
    again.gbps = rate;
    std::vector<FabricFlowSample> with_again = all;
    with_again.push_back(again);
    const auto findings = fabric_findings(with_again, {});
    ASSERT_EQ(findings.size(), 1u) << rate;
    const Evidence& e = findings[0].evidence;
    EXPECT_EQ(findings[0].status, rate > 0.1 ? VerdictStatus::kPass : VerdictStatus::kWarn) << e.text;
    EXPECT_EQ(e.total, 2) << e.text;
    EXPECT_EQ(e.refs.size(), 2u) << e.text;
    EXPECT_NE(e.text.find(rate > 0.1 ? "a dip of the moment" : "bad again when measured again"), std::string::npos)
        << e.text;
  }
}

TEST(FabricFindings, AFlowSlowedOnlyByItsAcknowledgementsCrossingALossyLinkIsThatLinksEchoNotAPairToRetest) {
  // As cluster.fabric measured it: 3 % loss on spine1:2 -> leaf2:3, its own flows lossy at 0.26 GB/s, and a flow
  // whose forward links all carried healthy flows but whose ACKs crossed the lossy link at 0.19 (median 0.45).
  const fabric::DmodkTwoTierFabric f = testbed();
  const int lossy = *f.fabric().link_between(*f.fabric().find("spine1"), *f.fabric().find("leaf2"));
  const std::string name = f.fabric().describe(lossy);
  std::vector<FabricFlowSample> all = flows(f, lossy, [](FabricFlowSample& s) {
    s.loss_rate = 0.03;
    s.gbps = 0.26;
  });
  int echoed = 0;
  for (FabricFlowSample& s : all) {
    const bool forward = std::find(s.route.begin(), s.route.end(), name) != s.route.end();
    const bool acks = std::find(s.return_route.begin(), s.return_route.end(), name) != s.return_route.end();
    if (!forward && acks && echoed++ == 0) s.gbps = 0.19;
  }
  ASSERT_EQ(echoed > 0, true) << "some flow sends its acknowledgements over " << name;
  const auto findings = fabric_findings(all, {});
  ASSERT_EQ(findings.size(), 1u) << findings.back().evidence.text;
  EXPECT_EQ(findings[0].status, VerdictStatus::kFail);
  EXPECT_EQ(label(findings[0].component), "fabric link " + name);
}

TEST(FabricFindings, ASwitchEveryFlowThroughWhichWasSlowFailsAsTheSwitchNotItsCables) {
  // 4 leaves of 4 NICs and 4 spines: a leaf then carries fewer than half the flows (on the 3-leaf testbed a leaf
  // carries most of them, and the test's median, the yardstick, is itself slow).
  const fabric::DmodkTwoTierFabric f(
      fabric::TwoTierFabric({.sus = 4, .rails = 1, .nodes_per_su = 4, .spines = 4, .parallel = 1}).fabric(), "4x4");
  const std::string leaf = f.fabric().device(f.fabric().links()[f.fabric().out_links(f.nic_device(5)).front()].to).id;
  const std::string spine = f.fabric().device(f.fabric().links()[f.route(0, 15)[1]].to).id;
  for (const std::string& sw : {leaf, spine}) {
    std::vector<FabricFlowSample> all = flows(f, -1, [](FabricFlowSample&) {});
    for (FabricFlowSample& s : all) {
      const bool through = std::any_of(s.route.begin(), s.route.end(), [&](const std::string& link) {
        return link.starts_with(sw + ":") || link.find(" -> " + sw + ":") != std::string::npos;
      });
      if (through) s.gbps = 0.03;
    }
    const auto findings = fabric_findings(all, {});
    ASSERT_EQ(findings.size(), 1u) << sw << ": " << (findings.empty() ? "" : findings.back().evidence.text);
    EXPECT_EQ(findings[0].status, VerdictStatus::kFail);
    EXPECT_EQ(findings[0].component.kind, ComponentKind::kFabricSwitch);
    EXPECT_EQ(label(findings[0].component), "fabric switch " + sw);
    EXPECT_EQ(findings[0].evidence.slow, findings[0].evidence.total);
    EXPECT_NE(findings[0].evidence.text.find("the switch, not a cable"), std::string::npos);
  }
  // Two slow cables on one switch stay two cables: the switch's other flows were healthy.
  const fabric::DmodkTwoTierFabric t = testbed();
  const int up = *t.fabric().link_between(*t.fabric().find("leaf2"), *t.fabric().find("spine1"));
  const int down = *t.fabric().link_between(*t.fabric().find("leaf2"), *t.fabric().find("spine2"));
  std::vector<FabricFlowSample> two = flows(t, -1, [](FabricFlowSample&) {});
  for (FabricFlowSample& s : two) {
    for (const int l : {up, down}) {
      if (std::find(s.route.begin(), s.route.end(), t.fabric().describe(l)) != s.route.end()) s.gbps = 0.03;
    }
  }
  const auto findings = fabric_findings(two, {});
  ASSERT_EQ(findings.size(), 2u);
  for (const Finding& finding : findings) EXPECT_EQ(finding.component.kind, ComponentKind::kFabricLink);
}

/// As a TCP run on the testbed measures a slow link: its own flows at the cap, the flows whose acknowledgements
/// it carries slowed too (their ACKs queue behind its data), though far less.
std::vector<FabricFlowSample> with_ack_shadow(const fabric::DmodkTwoTierFabric& f, const std::vector<int>& bad,
                                              double capped, double shadowed, unsigned seed) {
  std::vector<FabricFlowSample> all = flows(
      f, -1, [](FabricFlowSample&) {}, seed);
  for (FabricFlowSample& s : all) {
    for (const int link : bad) {
      const std::string name = f.fabric().describe(link);
      if (std::find(s.route.begin(), s.route.end(), name) != s.route.end()) {
        s.gbps = capped;
      } else if (std::find(s.return_route.begin(), s.return_route.end(), name) != s.return_route.end()) {
        s.gbps = std::min(s.gbps, shadowed);
      }
    }
  }
  return all;
}

TEST(FabricFindings, ALinkAtFiftyEightPercentIsNotSlowButWarnsAsPartlySlowByTheGrayFit) {
  const fabric::DmodkTwoTierFabric f = testbed();
  const int gray = *f.fabric().link_between(*f.fabric().find("leaf2"), *f.fabric().find("spine1"));
  const std::string name = f.fabric().describe(gray);
  auto measured = [&](unsigned seed) {  // rates scattered by 5 %, the gray link's flows at 0.58 of theirs
    std::vector<FabricFlowSample> all = flows(
        f, -1, [](FabricFlowSample&) {}, seed);
    for (FabricFlowSample& s : all) {
      s.gbps = 0.4 + (s.gbps - 0.4) / 6;
      if (std::find(s.route.begin(), s.route.end(), name) != s.route.end()) s.gbps *= 0.58;
    }
    return all;
  };
  for (unsigned seed = 0; seed < 20; ++seed) {
    const auto findings = fabric_findings(measured(seed), {});
    ASSERT_EQ(findings.size(), 1u) << "seed " << seed;
    EXPECT_EQ(findings[0].status, VerdictStatus::kWarn);
    EXPECT_EQ(label(findings[0].component), "fabric link leaf2:3 -> spine1:2");
    EXPECT_EQ(findings[0].evidence.metric, "fabric.bw gray_factor");
    EXPECT_LT(findings[0].evidence.measured, 0.65);
  }
  FabricOptions off;
  off.gray_below = 0;
  EXPECT_TRUE(fabric_findings(measured(1), off).empty());
}

TEST(FabricFindings, FlowsSlowedOnlyByTheirAcknowledgementsCrossingTheSlowLinkAreItsShadowNotAFault) {
  const fabric::DmodkTwoTierFabric f = testbed();
  for (int bad = 0; bad < static_cast<int>(f.fabric().links().size()); ++bad) {
    const auto findings = fabric_findings(with_ack_shadow(f, {bad}, 0.024, 0.16, static_cast<unsigned>(bad)), {});
    std::vector<std::string> failing;
    for (const Finding& finding : findings) {
      if (finding.status >= VerdictStatus::kWarn) failing.push_back(label(finding.component));
    }
    EXPECT_EQ(failing, std::vector<std::string>{"fabric link " + f.fabric().describe(bad)});
    for (const Finding& finding : findings) {
      if (finding.status == VerdictStatus::kPass) {
        EXPECT_NE(finding.evidence.text.find("explained by fabric link " + f.fabric().describe(bad)), std::string::npos)
            << finding.evidence.text;
      }
    }
  }
}

TEST(FabricFindings, TwoLinksCappedAlikeAreBothNamedEvenWhereOnesAcknowledgementsCrossTheOther) {
  const fabric::DmodkTwoTierFabric f = testbed();
  // spine2 -> leaf1 carries the ACKs of node2's flows out over leaf1 -> spine1: both capped, both named.
  const int down = *f.fabric().link_between(*f.fabric().find("spine2"), *f.fabric().find("leaf1"));
  const int up = *f.fabric().link_between(*f.fabric().find("leaf1"), *f.fabric().find("spine1"));
  const auto findings = fabric_findings(with_ack_shadow(f, {down, up}, 0.024, 0.16, 7), {});
  std::set<std::string> failing;
  for (const Finding& finding : findings) {
    if (finding.status == VerdictStatus::kFail) failing.insert(label(finding.component));
  }
  EXPECT_EQ(failing, (std::set<std::string>{"fabric link " + f.fabric().describe(down),
                                            "fabric link " + f.fabric().describe(up)}));
}

}  // namespace
}  // namespace railcheck::analysis
