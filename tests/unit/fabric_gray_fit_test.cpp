// The gray-link fit (issue #18): on the namespace testbed's plan, a link at a fraction of its speed is fitted near
// that fraction and the others near 1, two gray links on different paths both, the link under a gray one is not
// blamed for it, a healthy fabric with rates scattered by 10 % has no link below 0.8, and bad input throws.
#include <gtest/gtest.h>

#include <fstream>
#include <random>
#include <sstream>
#include <stdexcept>

#include "fabric_fixtures.h"
#include "railcheck/fabric/dmodk_fabric.h"
#include "railcheck/fabric/fabric_trial.h"
#include "railcheck/fabric/gray_fit.h"
#include "railcheck/fabric/three_tier.h"
#include "railcheck/fabric/topology_file.h"

namespace railcheck::fabric {
namespace {

DmodkTwoTierFabric testbed() { return test::testbed_fabric(); }

struct Measured {
  std::vector<std::vector<int>> routes;
  std::vector<double> rates;
};

/// Every flow of the plan, at 1 x a seeded jitter of +-`jitter`, times the factor of each gray link it crosses.
Measured measure(const DmodkTwoTierFabric& f, const std::vector<std::pair<int, double>>& gray, double jitter,
                 unsigned seed) {
  std::mt19937 random(seed);
  std::uniform_real_distribution<double> scatter(1.0 - jitter, 1.0 + jitter);
  Measured m;
  for (const Stage& stage : f.tiered_plan()) {
    for (const Flow& flow : stage.flows) {
      m.routes.push_back(f.route(flow.src, flow.dst));
      double rate = scatter(random);
      for (const auto& [link, factor] : gray) {
        if (std::find(m.routes.back().begin(), m.routes.back().end(), link) != m.routes.back().end()) rate *= factor;
      }
      m.rates.push_back(rate);
    }
  }
  return m;
}

TEST(GrayFit, EachLinkOfTheTestbedAtSixtyPercentIsFittedNearSixtyAndTheOthersNearOne) {
  const DmodkTwoTierFabric f = testbed();
  const std::size_t links = f.fabric().links().size();
  for (int gray = 0; gray < static_cast<int>(links); ++gray) {
    const Measured m = measure(f, {{gray, 0.6}}, 0.0, 1);
    const std::vector<double> factor = fit_gray_links(links, m.routes, m.rates);
    EXPECT_NEAR(factor[static_cast<std::size_t>(gray)], 0.6, 0.06) << f.fabric().describe(gray);
    for (std::size_t l = 0; l < links; ++l) {
      if (static_cast<int>(l) != gray) EXPECT_GT(factor[l], 0.9) << f.fabric().describe(static_cast<int>(l));
    }
  }
}

TEST(GrayFit, TwoGrayLinksOnDifferentPathsAreBothFittedWithScatteredRates) {
  const DmodkTwoTierFabric f = testbed();
  const Fabric& fab = f.fabric();
  const int up = *fab.link_between(*fab.find("leaf1"), *fab.find("spine2"));
  const int nic = *fab.link_between(*fab.find("leaf3"), *fab.find("node6-fab0"));
  const Measured m = measure(f, {{up, 0.5}, {nic, 0.7}}, 0.05, 3);
  const std::vector<double> factor = fit_gray_links(fab.links().size(), m.routes, m.rates);
  EXPECT_NEAR(factor[static_cast<std::size_t>(up)], 0.5, 0.08);
  EXPECT_NEAR(factor[static_cast<std::size_t>(nic)], 0.7, 0.08);
  for (std::size_t l = 0; l < factor.size(); ++l) {
    if (static_cast<int>(l) != up && static_cast<int>(l) != nic) EXPECT_GT(factor[l], 0.85) << fab.describe(int(l));
  }
}

TEST(GrayFit, AHealthyFabricScatteredByTenPercentHasNoLinkBelowEightyPercentOverManySeeds) {
  const DmodkTwoTierFabric f = testbed();
  for (unsigned seed = 0; seed < 200; ++seed) {
    const Measured m = measure(f, {}, 0.1, seed);
    for (const double factor : fit_gray_links(f.fabric().links().size(), m.routes, m.rates)) {
      EXPECT_GT(factor, 0.8) << "seed " << seed;
    }
  }
}

TEST(GrayFit, AFailedFlowCountsAsAlmostNothingAndBadInputThrows) {
  const std::vector<double> factor = fit_gray_links(2, {{0, 1}, {1}}, {0.0, 1.0});
  EXPECT_LT(factor[0], 0.01);  // the failed flow is explained by the link only it crossed
  EXPECT_GT(factor[1], 0.95);
  EXPECT_THROW(fit_gray_links(2, {{0}}, {1.0, 1.0}), std::invalid_argument);
  EXPECT_THROW(fit_gray_links(2, {{2}}, {1.0}), std::invalid_argument);
  EXPECT_EQ(fit_gray_links(3, {{0}}, {1.0})[2], 1.0);  // a link no flow crossed: nothing against it
}

// The simulator with gray links (FabricTrial.gray_faults): at 1,024 hosts x 8 rails, 10 links at 60 % of their
// speed among flows scattered by 5 %, beside 10 slow links: the fit finds nearly all of them and no healthy link,
// and the solver names the slow links as before (docs/fabric.md has the sweep).
TEST(GrayTrial, At1024HostsTenGrayLinksBesideTenSlowOnesAreFittedAndNoHealthyLinkIs) {
  const ThreeTierFabric f(ThreeTierShape{8, 32, 32, 32, 32, 8});
  FabricTrial trial;
  trial.faults = 10;
  trial.gray_faults = 10;
  trial.gray_speed = 0.6;
  trial.jitter = 0.05;
  const FabricTrialScore s = run_trials(f, trial, 5);
  EXPECT_EQ(s.gray_injected, 50);
  EXPECT_GE(s.gray_named, 45);
  EXPECT_EQ(s.gray_false, 0);
  EXPECT_EQ(s.named_alone, 50);
  EXPECT_EQ(s.false_names, 0);
}

TEST(GrayTrial, AGrayLinkAboveTheGrayThresholdIsNotFoundAndEcmpRoutesRefuseGrayLinks) {
  const ThreeTierFabric f(ThreeTierShape{4, 4, 4, 4, 4, 1});
  FabricTrial trial;
  trial.faults = 0;
  trial.gray_faults = 3;
  trial.gray_speed = 0.8;  // above gray_below (0.65): within what healthy links scatter by on the testbed
  const FabricTrialScore s = run_trials(f, trial, 10);
  EXPECT_EQ(s.gray_named, 0);
  EXPECT_EQ(s.gray_false, 0);
  trial.routing = Routing::kEcmpTraced;
  EXPECT_THROW(run_trial(f, trial), std::invalid_argument);
}

}  // namespace
}  // namespace railcheck::fabric
