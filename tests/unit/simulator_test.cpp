// The fabric simulator: measurements follow the model, scenarios are reproducible, and both localization
// strategies, driving the real analysis code, find a crafted fault on a small seeded fabric without failing
// anything healthy.
#include <gtest/gtest.h>

#include <random>
#include <set>
#include <sstream>

#include "command_line_helpers.h"
#include "railcheck/commands/simulate/simulate_command.h"
#include "railcheck/core/error.h"
#include "railcheck/plan/pair_plan.h"
#include "railcheck/simulate/fabric_model.h"
#include "railcheck/simulate/localization.h"
#include "railcheck/simulate/scenario.h"
#include "railcheck/simulate/scoring.h"
#include "railcheck/simulate/simulation.h"

namespace railcheck::simulate {
namespace {

FabricOptions small_fabric() {
  FabricOptions options;
  options.nodes = 16;
  options.rails = 2;
  options.noise = 0.05;
  return options;
}

std::vector<analysis::Verdict> failing(const std::vector<analysis::Verdict>& verdicts) {
  std::vector<analysis::Verdict> out;
  for (const auto& verdict : verdicts) {
    if (verdict.status == analysis::VerdictStatus::kFail) out.push_back(verdict);
  }
  return out;
}

std::string labels(const std::vector<analysis::Verdict>& verdicts) {
  std::string text;
  for (const auto& verdict : verdicts) text += analysis::label(verdict.component) + "; ";
  return text;
}

// Every verdict that is not a pass, with its evidence: what a failing expectation prints.
std::string not_passing(const std::vector<analysis::Verdict>& verdicts) {
  std::ostringstream out;
  analysis::print_verdicts(out, verdicts);
  return out.str();
}

TEST(SimulatorFabric, MeasurementsTakeTheSlowestPartCrossed) {
  FabricOptions options = small_fabric();
  options.noise = 0.0;
  FabricModel fabric(options);
  fabric.set_nic_factor(3, 1, 0.5);
  fabric.set_link_factor(7, 6, 0, 0.25);
  fabric.set_gpu_factor(9, 0, 0.4);
  std::mt19937_64 rng(1);
  EXPECT_DOUBLE_EQ(fabric.measure_link_gbps(3, 4, 1, rng), 25.0);
  EXPECT_DOUBLE_EQ(fabric.measure_link_gbps(3, 4, 0, rng), 50.0);          // the other rail's NIC is fine
  EXPECT_DOUBLE_EQ(fabric.measure_link_gbps(6, 7, 0, rng), 12.5);          // either order
  EXPECT_DOUBLE_EQ(fabric.measure_ring_gbps({5, 6, 7, 8}, 0, rng), 12.5);  // 6-7 are ring neighbours
  EXPECT_DOUBLE_EQ(fabric.measure_ring_gbps({5, 6, 8, 7}, 0, rng), 50.0);  // not neighbours: not crossed
  EXPECT_DOUBLE_EQ(fabric.measure_ring_gbps({8, 9}, 0, rng), 20.0);        // its GPU slows the all-reduce
  EXPECT_DOUBLE_EQ(fabric.measure_ring_gbps({3}, 1, rng), 50.0);           // one node: no NIC crossed
  EXPECT_DOUBLE_EQ(fabric.measure_gpu_gbps(9, 0, rng), 0.4 * options.gpu_check_gbps);
  EXPECT_THROW(fabric.set_nic_factor(16, 0, 0.5), std::out_of_range);
  EXPECT_THROW(FabricModel(FabricOptions{1, 1}), std::invalid_argument);
}

TEST(SimulatorFabric, NoiseIsSeededAndHasTheRequestedSpread) {
  FabricModel fabric(small_fabric());
  std::mt19937_64 a(42), b(42);
  std::vector<double> values;
  for (int i = 0; i < 4000; ++i) {
    const double value = fabric.measure_link_gbps(0, 1, 0, a);
    EXPECT_EQ(value, fabric.measure_link_gbps(0, 1, 0, b));
    values.push_back(value / 50.0 - 1.0);
  }
  double sum_sq = 0;
  for (double v : values) sum_sq += v * v;
  EXPECT_NEAR(std::sqrt(sum_sq / values.size()), 0.05, 0.005);
}

TEST(SimulatorFabric, DipsTakeTheRequestedShareOfMeasurementsTo20To70Percent) {
  FabricOptions options = small_fabric();
  options.noise = 0.0;
  options.dips = 0.1;
  FabricModel fabric(options);
  std::mt19937_64 rng(7);
  int dipped = 0;
  for (int i = 0; i < 4000; ++i) {
    const double value = fabric.measure_link_gbps(0, 1, 0, rng);
    if (value == 50.0) continue;
    ++dipped;
    EXPECT_GE(value, 0.2 * 50.0);
    EXPECT_LE(value, 0.7 * 50.0);
  }
  EXPECT_NEAR(dipped / 4000.0, 0.1, 0.015);
  options.dips = 1.5;
  EXPECT_THROW(FabricModel{options}, std::invalid_argument);
}

TEST(SimulatorScenario, GeneratorIsDeterministicPerSeed) {
  ScenarioOptions options;
  options.faults = 3;
  const auto first = generate_scenarios(50, small_fabric(), options, 7);
  const auto again = generate_scenarios(50, small_fabric(), options, 7);
  const auto other = generate_scenarios(50, small_fabric(), options, 8);
  ASSERT_EQ(first.size(), 50u);
  bool differs = false;
  std::set<FaultKind> kinds;
  for (std::size_t i = 0; i < first.size(); ++i) {
    EXPECT_EQ(first[i].noise_seed, again[i].noise_seed);
    ASSERT_EQ(first[i].faults.size(), 3u);
    std::set<analysis::ComponentId> parts;
    for (std::size_t f = 0; f < 3; ++f) {
      const Fault& x = first[i].faults[f];
      const Fault& y = again[i].faults[f];
      EXPECT_TRUE(x.kind == y.kind && x.node == y.node && x.rail == y.rail && x.peer_node == y.peer_node &&
                  x.factor == y.factor);
      EXPECT_GE(x.factor, options.min_factor);
      EXPECT_LE(x.factor, options.max_factor);
      if (x.kind == FaultKind::kLink) {
        EXPECT_LT(x.node, x.peer_node);
      }
      EXPECT_TRUE(parts.insert(component_of(x)).second) << "the same part twice in scenario " << i;
      kinds.insert(x.kind);
      const Fault& z = other[i].faults[f];
      differs = differs || x.node != z.node || x.factor != z.factor;
    }
  }
  EXPECT_TRUE(differs) << "another seed should give other scenarios";
  EXPECT_EQ(kinds.size(), 3u);
  options.kinds = {FaultKind::kGpu};
  for (const auto& scenario : generate_scenarios(10, small_fabric(), options, 1)) {
    for (const Fault& fault : scenario.faults) EXPECT_EQ(fault.kind, FaultKind::kGpu);
  }
  options.kinds.clear();
  EXPECT_THROW(generate_scenarios(1, small_fabric(), options, 1), std::invalid_argument);
}

TEST(SimulatorScoring, OwnHostNodeIsNotAFalseFailureButAnotherPartIs) {
  Scenario scenario;
  scenario.faults = {Fault{FaultKind::kNic, 3, 1, -1, 0.5}};
  analysis::Verdict nic{analysis::make_nic("node3", "mlx5_1", 1), analysis::VerdictStatus::kFail, {}, "", ""};
  analysis::Verdict node{analysis::make_node("node3"), analysis::VerdictStatus::kFail, {}, "", ""};
  analysis::Verdict other{analysis::make_gpu("node4", 0), analysis::VerdictStatus::kFail, {}, "", ""};
  analysis::Verdict warned{analysis::make_gpu("node5", 0), analysis::VerdictStatus::kWarn, {}, "", ""};
  const ScenarioScore found = score(scenario, {nic, node, warned});
  EXPECT_EQ(found.total_found(), 1);
  EXPECT_TRUE(found.false_failures.empty());
  const ScenarioScore wrong = score(scenario, {other, warned});
  EXPECT_EQ(wrong.total_found(), 0);
  ASSERT_EQ(wrong.false_failures.size(), 1u);
  EXPECT_EQ(wrong.false_failures[0], other.component);
}

class SimulatorStrategy : public ::testing::TestWithParam<Strategy> {};

TEST_P(SimulatorStrategy, HealthyFabricYieldsNoFailure) {
  const FabricModel fabric(small_fabric());
  std::mt19937_64 rng(3);
  const LocalizationRun run = run_strategy(GetParam(), fabric, {}, rng);
  EXPECT_TRUE(failing(run.verdicts).empty()) << labels(failing(run.verdicts));
  EXPECT_EQ(run.retest_rounds, 0);
  if (GetParam() == Strategy::kBisect) {
    EXPECT_EQ(run.bisection_rounds, 1);
  }
  if (GetParam() == Strategy::kPairwise) {
    EXPECT_EQ(run.first_pass_rounds, 15 + 1);
  }
}

TEST_P(SimulatorStrategy, SingleSlowNicIsFoundWithNoFalseFailure) {
  Scenario scenario;
  scenario.faults = {Fault{FaultKind::kNic, 5, 1, -1, 0.5}};
  for (std::uint64_t seed : {1, 2, 3}) {
    const FabricModel fabric = apply(scenario, small_fabric());
    std::mt19937_64 rng(seed);
    const LocalizationRun run = run_strategy(GetParam(), fabric, {}, rng);
    const ScenarioScore scored = score(scenario, run.verdicts);
    EXPECT_EQ(scored.total_found(), 1) << "seed " << seed << ":\n" << not_passing(run.verdicts);
    EXPECT_TRUE(scored.false_failures.empty()) << "seed " << seed << ": " << labels(failing(run.verdicts));
    EXPECT_GE(run.retest_rounds, 1);
    if (GetParam() == Strategy::kBisect) {
      EXPECT_EQ(run.bisection_rounds, 4);  // 16 -> 8 -> 4 -> 2
    }
  }
}

TEST_P(SimulatorStrategy, SlowGpuAndRingAdjacentBadLinksAreFoundAlsoBetweenHalves) {
  Scenario gpu;
  gpu.faults = {Fault{FaultKind::kGpu, 9, 0, -1, 0.5}};
  Scenario link;
  link.faults = {Fault{FaultKind::kLink, 6, 1, 7, 0.4}};
  // Nodes 7 and 8 are ring neighbours in the group of all 16 but end up in different halves, both fine:
  // the fault sits between the halves, as bisection_findings() reads it.
  Scenario between_halves;
  between_halves.faults = {Fault{FaultKind::kLink, 7, 1, 8, 0.4}};
  for (const Scenario& scenario : {gpu, link, between_halves}) {
    const FabricModel fabric = apply(scenario, small_fabric());
    std::mt19937_64 rng(11);
    const LocalizationRun run = run_strategy(GetParam(), fabric, {}, rng);
    const ScenarioScore scored = score(scenario, run.verdicts);
    EXPECT_EQ(scored.total_found(), 1) << analysis::label(component_of(scenario.faults[0])) << ":\n"
                                       << not_passing(run.verdicts);
    EXPECT_TRUE(scored.false_failures.empty()) << labels(failing(run.verdicts));
  }
}

INSTANTIATE_TEST_SUITE_P(Strategies, SimulatorStrategy, ::testing::Values(Strategy::kPairwise, Strategy::kBisect),
                         [](const auto& info) { return std::string(key_of(info.param)); });

TEST(SimulatorPairwise, OneWayLinkIsFoundWithItsDirectionAndNeitherEnd) {
  for (const Fault& fault :
       {Fault{FaultKind::kLinkOneWay, 3, 1, 9, 0.4}, Fault{FaultKind::kLinkOneWay, 9, 1, 3, 0.4}}) {
    Scenario scenario;
    scenario.faults = {fault};
    const FabricModel fabric = apply(scenario, small_fabric());
    std::mt19937_64 rng(5);
    const LocalizationRun run = run_pairwise(fabric, {}, rng);
    const ScenarioScore scored = score(scenario, run.verdicts);
    EXPECT_EQ(scored.total_found(), 1) << direction_of(fault) << ":\n" << not_passing(run.verdicts);
    EXPECT_TRUE(scored.false_failures.empty()) << labels(failing(run.verdicts));
    EXPECT_EQ(direction_of(fault), fault.node == 3 ? "a_to_b" : "b_to_a");  // node3 sorts before node9
  }
}

TEST(SimulatorPairwise, OnABusyRailACappedLinkIsFoundOneWayAndTheDipsNameNothing) {
  // One measurement in twenty dips to 20-70 % (a loaded CI host): the capped way is still named, with its
  // direction, on every seed, and the dips (about 24 a run, a few of them twice on one link) fail nothing.
  // With one re-test per link judged over both ways, this named ~1.2 healthy links a run and missed ~1 fault
  // in 10 (`railcheck simulate --fault-kinds link_one_way --dips 0.05`, docs/simulator.md).
  FabricOptions options = small_fabric();
  options.dips = 0.05;
  Scenario scenario;
  scenario.faults = {Fault{FaultKind::kLinkOneWay, 9, 1, 3, 0.4}};
  int false_failures = 0;
  for (std::uint64_t seed = 1; seed <= 8; ++seed) {
    std::mt19937_64 rng(seed);
    const LocalizationRun run = run_pairwise(apply(scenario, options), {}, rng);
    const ScenarioScore scored = score(scenario, run.verdicts);
    EXPECT_EQ(scored.total_found(), 1) << "seed " << seed << ":\n" << not_passing(run.verdicts);
    false_failures += static_cast<int>(scored.false_failures.size());
  }
  EXPECT_LE(false_failures, 1);
}

TEST(SimulatorPairwise, TwoSlowNicsOfSixAreBothFoundOnABusyRailAndNoHealthyHostIsNamed) {
  // The shape of cluster.fault_matrix's two_hosts on a loaded CI machine: 6 hosts, 2 NICs at about half speed,
  // one measurement in twenty dipped (the faults well inside the link rule: at 5 % noise its 6 spreads
  // are about 0.6-0.7 of nominal on 30 values). Each healthy NIC is slow with both bad ones, nearly half of its pairs:
  // the rail's centre voted by the NICs' medians sat among the slow values (recall 0.42 without dips), and a
  // dip more made a healthy host a third suspect, named for its bad peers (`railcheck simulate --nodes 6
  // --rails 1 --faults 2 --fault-kinds nic --dips 0.05`: recall 0.86 -> 0.97, false failures 0.58 -> 0 a run).
  FabricOptions options;
  options.nodes = 6;
  options.rails = 1;
  options.noise = 0.05;
  options.dips = 0.05;
  Scenario scenario;
  scenario.faults = {Fault{FaultKind::kNic, 2, 0, -1, 0.35}, Fault{FaultKind::kNic, 1, 0, -1, 0.45}};
  for (std::uint64_t seed = 1; seed <= 12; ++seed) {
    std::mt19937_64 rng(seed);
    const LocalizationRun run = run_pairwise(apply(scenario, options), {}, rng);
    const ScenarioScore scored = score(scenario, run.verdicts);
    EXPECT_EQ(scored.total_found(), 2) << "seed " << seed << ":\n" << not_passing(run.verdicts);
    EXPECT_TRUE(scored.false_failures.empty()) << "seed " << seed << ": " << labels(failing(run.verdicts));
  }
}

TEST(SimulatorPairwise, LossyNicIsFoundByItsRetransmitsOnlyWhenTheyAreMeasured) {
  Scenario scenario;
  scenario.faults = {Fault{FaultKind::kLossyNic, 6, 0, -1, 0.02}};
  FabricOptions options = small_fabric();
  options.loss_evidence = true;
  std::mt19937_64 rng(9);
  LocalizationRun run = run_pairwise(apply(scenario, options), {}, rng);
  ScenarioScore scored = score(scenario, run.verdicts);
  EXPECT_EQ(scored.total_found(), 1) << not_passing(run.verdicts);
  EXPECT_TRUE(scored.false_failures.empty()) << labels(failing(run.verdicts));
  // Without retransmit counts (verbs today) a lossy NIC at full bandwidth is invisible: the model is honest.
  options.loss_evidence = false;
  run = run_pairwise(apply(scenario, options), {}, rng);
  EXPECT_EQ(score(scenario, run.verdicts).total_found(), 0);
}

TEST(SimulatorRun, PlannedRoundsMatchTheCirclePlannerAndLargeRunsAreNotSimulated) {
  for (int n : {2, 3, 8, 15, 64}) {
    EXPECT_EQ(planned_pairwise_first_pass_rounds(n), static_cast<int>(circle_rounds(n).size()) + 1) << n;
  }
  SimulateOptions options;
  options.fabric = small_fabric();
  options.scenario_count = 2;
  options.max_pairwise_links = 100;  // 16 x 15 / 2 x 2 rails x 2 scenarios = 480 > 100
  const auto rows = run_simulation(options);
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].strategy, Strategy::kPairwise);
  EXPECT_FALSE(rows[0].simulated);
  EXPECT_EQ(rows[0].mean_first_pass_rounds, 16.0);
  EXPECT_TRUE(rows[1].simulated);
  EXPECT_EQ(rows[1].scenarios, 2);
}

TEST(SimulatorCli, ParsesFlagsAndRejectsBadOnes) {
  const ParsedCommandLine parsed = test::parse({"simulate", "--nodes", "32", "--rails", "4", "--fault-kinds", "nic,gpu",
                                                "--strategy", "bisect", "--noise", "0.1"});
  const SimulateOptions& options = test::command_as<SimulateCommand>(parsed).options();
  EXPECT_EQ(options.fabric.nodes, 32);
  EXPECT_EQ(options.fabric.rails, 4);
  EXPECT_EQ(options.scenarios.kinds, (std::vector<FaultKind>{FaultKind::kNic, FaultKind::kGpu}));
  EXPECT_EQ(options.strategy, "bisect");
  EXPECT_DOUBLE_EQ(options.fabric.noise, 0.1);
  EXPECT_THROW(test::parse({"simulate", "--fault-kinds", "nic,cable"}), InputError);
  EXPECT_THROW(test::parse({"simulate", "--nodes", "1"}), InputError);
}

}  // namespace
}  // namespace railcheck::simulate
