// The flags of `railcheck simulate` and their validation.
#include <CLI/CLI.hpp>
#include <algorithm>

#include "railcheck/commands/simulate/simulate_command.h"
#include "railcheck/core/error.h"
#include "railcheck/simulate/simulation.h"

namespace railcheck {

CommandSpec simulate_command_spec() {
  return {"simulate",
          {},
          "random faults (slow NIC, bad link, slow GPU) on a modelled N x R fabric, localized by the pairwise "
          "and bisect strategies through the real analysis: recall, false failures, rounds (no MPI)",
          [](CLI::App& sub) { return std::make_unique<SimulateCommand>(sub); }};
}

SimulateCommand::SimulateCommand(CLI::App& app) {
  CLI::App* sub = &app;
  SimulateOptions& o = options_;
  auto& pairs = o.localization.analysis.pairs;
  auto& fleet = o.localization.analysis.fleet;
  auto& bisection = o.localization.analysis.bisection;
  sub->add_option("--nodes", o.fabric.nodes, "nodes in the fabric")->capture_default_str();
  sub->add_option("--rails", o.fabric.rails, "rails (one NIC and one GPU per rail on every node)")
      ->capture_default_str();
  sub->add_option("--scenarios", o.scenario_count, "random fault scenarios")->capture_default_str();
  sub->add_option("--faults", o.scenarios.faults, "faults per scenario")->capture_default_str();
  sub->add_option("--fault-kinds", fault_kinds_,
                  "kinds drawn from, comma separated: nic, link, gpu, link_one_way, lossy_nic")
      ->capture_default_str();
  sub->add_option("--min-factor", o.scenarios.min_factor, "slowest fault: this fraction of nominal speed")
      ->capture_default_str();
  sub->add_option("--max-factor", o.scenarios.max_factor, "mildest fault: this fraction of nominal speed")
      ->capture_default_str();
  sub->add_option("--noise", o.fabric.noise, "standard deviation of each measurement's noise, fraction of the value")
      ->capture_default_str();
  sub->add_option("--dips", o.fabric.dips,
                  "chance that a bandwidth measurement dips to 20-70% of its value (a busy host), e.g. 0.05")
      ->capture_default_str();
  sub->add_option("--strategy", o.strategy, "pairwise, bisect or both")
      ->check(CLI::IsMember({"pairwise", "bisect", "both"}))
      ->capture_default_str();
  sub->add_option("--seed", o.seed, "seed of the scenarios and the noise")->capture_default_str();
  sub->add_option("--round-seconds", o.round_seconds, "modelled duration of one measurement round")
      ->capture_default_str();
  sub->add_option("--max-pairwise-links", o.max_pairwise_links,
                  "link measurements the pairwise strategy may simulate in one run; above: planned rounds only")
      ->capture_default_str();
  sub->add_option("--json", o.json_path, "also write the summary as JSON to this file");
  sub->add_option("--show-scenario", o.show_scenario, "print this scenario's faults and every strategy's verdicts");
  sub->add_option("--link-fail-spreads", pairs.link.fail_spreads,
                  "pair matrix: a link is slow beyond this many spreads")
      ->capture_default_str();
  sub->add_option("--link-fail-deviation", pairs.link.fail_deviation, "... and this fraction below the rail's centre")
      ->capture_default_str();
  sub->add_option("--gpu-fail-spreads", fleet.fail_spreads, "GPU checks: fail beyond this many spreads")
      ->capture_default_str();
  sub->add_option("--gpu-fail-deviation", fleet.fail_deviation, "... and this fraction below the fleet median")
      ->capture_default_str();
  sub->add_option("--retest-spreads", pairs.retest_spreads,
                  "re-tests: slow again beyond this many spreads (and --link-fail-deviation)")
      ->capture_default_str();
  sub->add_option("--retest-peers", pairs.retest_peers, "good peers each suspect NIC is re-tested with")
      ->capture_default_str();
  sub->add_option("--slow-tolerance", bisection.slow_tolerance,
                  "bisection: a group below expected by more than "
                  "this fraction is slow")
      ->capture_default_str();
  sub->add_option("--min-group-nodes", bisection.min_group_nodes, "bisection: groups this small are not split")
      ->capture_default_str();
  sub->add_option("--gpu-check-samples", o.localization.gpu_check_samples, "single-GPU check repetitions per GPU")
      ->capture_default_str();
  sub->add_option("--reference-pairs", o.localization.reference_pairs,
                  "bisect: cleared-NIC pairs per rail measured with the re-tests as the healthy reference")
      ->capture_default_str();
}

void SimulateCommand::finish() {
  SimulateOptions& o = options_;
  auto require = [](bool ok, const std::string& flag, const std::string& problem) {
    if (!ok) throw InputError(flag + ": " + problem);
  };
  require(o.fabric.nodes >= 2 && o.fabric.nodes <= 1'000'000, "--nodes",
          "must be 2 to 1000000; give the fabric's size");
  require(o.fabric.rails >= 1 && o.fabric.rails <= 64, "--rails", "must be 1 to 64");
  require(o.scenario_count >= 1, "--scenarios", "must be >= 1");
  require(o.scenarios.faults >= 0 && o.scenarios.faults <= o.fabric.nodes, "--faults",
          "must be 0 to --nodes; use a few faults per scenario");
  require(o.fabric.noise >= 0 && o.fabric.noise < 1, "--noise", "must be in [0, 1), e.g. 0.05 for 5%");
  require(o.fabric.dips >= 0 && o.fabric.dips <= 1, "--dips", "must be in [0, 1], e.g. 0.05 for one in twenty");
  require(o.scenarios.min_factor > 0 && o.scenarios.min_factor <= o.scenarios.max_factor && o.scenarios.max_factor <= 1,
          "--min-factor/--max-factor", "need 0 < min <= max <= 1");
  require(o.round_seconds > 0, "--round-seconds", "must be > 0");
  require(o.localization.gpu_check_samples >= 1, "--gpu-check-samples", "must be >= 1");
  require(o.localization.reference_pairs >= 1, "--reference-pairs", "must be >= 1");
  require(o.localization.analysis.pairs.retest_peers >= 1, "--retest-peers", "must be >= 1");
  require(o.localization.analysis.bisection.slow_tolerance >= 0 && o.localization.analysis.bisection.slow_tolerance < 1,
          "--slow-tolerance", "must be in [0, 1)");
  require(o.localization.analysis.bisection.min_group_nodes >= 1, "--min-group-nodes", "must be >= 1");

  o.scenarios.kinds.clear();
  std::string rest = fault_kinds_;
  while (!rest.empty()) {
    const auto comma = rest.find(',');
    const std::string word = rest.substr(0, comma);
    rest = comma == std::string::npos ? "" : rest.substr(comma + 1);
    const auto kind = simulate::parse_fault_kind(word);
    require(kind.has_value(), "--fault-kinds",
            "'" + word + "' is not a fault kind; use nic, link, gpu, link_one_way or lossy_nic");
    o.scenarios.kinds.push_back(*kind);
  }
  require(!o.scenarios.kinds.empty(), "--fault-kinds", "name at least one of nic, link, gpu, link_one_way, lossy_nic");
  // Loss is seen only through retransmit counts: model them when a lossy NIC can be drawn.
  o.fabric.loss_evidence = std::find(o.scenarios.kinds.begin(), o.scenarios.kinds.end(),
                                     simulate::FaultKind::kLossyNic) != o.scenarios.kinds.end();
}

}  // namespace railcheck
