// The bisect strategy: per rail a ring all-reduce over all nodes, Bisection of slow groups (all rails' groups of
// a round at once), then the suspects that no fine group cleared are re-tested (see localization.h).
#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <string>
#include <tuple>

#include "railcheck/analysis/bisection.h"
#include "railcheck/analysis/fleet_outliers.h"
#include "railcheck/analysis/pair_matrix.h"
#include "railcheck/simulate/localization.h"
#include "simulated_samples.h"

namespace railcheck::simulate {
namespace {

using analysis::BisectionStep;
using analysis::ComponentId;
using NodePair = std::pair<int, int>;  // (lower, higher)

constexpr const char* kGroupMetric = "all_reduce.float.sum busbw_gbps";

/// The links a ring over `ring` crosses (none for one node, one for two).
std::vector<NodePair> ring_links(const std::vector<int>& ring) {
  std::vector<NodePair> links;
  if (ring.size() < 2) return links;
  const std::size_t count = ring.size() == 2 ? 1 : ring.size();
  for (std::size_t i = 0; i < count; ++i) {
    const int a = ring[i];
    const int b = ring[(i + 1) % ring.size()];
    links.emplace_back(std::min(a, b), std::max(a, b));
  }
  return links;
}

/// What one rail's bisection leaves to re-test, with the terminal slow group that named each suspect.
struct RailSuspects {
  int rail = 0;
  std::map<int, const BisectionStep*> nics;  // node -> its terminal slow group
  std::map<int, const BisectionStep*> gpus;
  std::map<NodePair, const BisectionStep*> links;
  std::vector<int> cleared_nic_nodes;  // in a fine group of >= 2 nodes: their NIC was crossed and was fine
  std::vector<int> cleared_gpu_nodes;  // in any fine group
  bool empty() const { return nics.empty() && gpus.empty() && links.empty(); }
};

RailSuspects rail_suspects(const analysis::Bisection& bisection, int rail, int nodes) {
  RailSuspects out;
  out.rail = rail;
  const std::vector<int> suspects = bisection.suspects();
  if (suspects.empty()) return out;
  const std::set<int> suspect_set(suspects.begin(), suspects.end());

  std::vector<bool> nic_cleared(static_cast<std::size_t>(nodes)), gpu_cleared(static_cast<std::size_t>(nodes));
  std::set<NodePair> link_cleared;
  std::map<std::tuple<int, int, std::size_t>, bool> measured;  // (round, first node, size) -> slow: a step's children
  for (const BisectionStep& step : bisection.history()) {
    measured[{step.round, step.nodes.front(), step.nodes.size()}] = step.slow;
    if (step.slow) continue;
    for (int node : step.nodes) {
      gpu_cleared[static_cast<std::size_t>(node)] = true;
      if (step.nodes.size() >= 2) nic_cleared[static_cast<std::size_t>(node)] = true;
    }
    for (const NodePair& link : ring_links(step.nodes)) link_cleared.insert(link);
  }

  for (const BisectionStep& step : bisection.history()) {
    if (!step.slow) continue;
    // Terminal: not split, or split with both halves fine (the fault sits between them: the links that
    // joined the halves, which neither half's ring crosses). A slow half carries the search on.
    const auto [first_half, second_half] = analysis::split_halves(step.nodes);
    const auto half_slow = [&](const std::vector<int>& half) {
      const auto it = half.empty() ? measured.end() : measured.find({step.round + 1, half.front(), half.size()});
      return it != measured.end() && it->second;
    };
    const bool split = measured.contains({step.round + 1, first_half.front(), first_half.size()});
    if (split && (half_slow(first_half) || half_slow(second_half))) continue;
    for (int node : step.nodes) {
      if (!suspect_set.contains(node)) continue;
      if (!nic_cleared[static_cast<std::size_t>(node)] && step.nodes.size() >= 2) out.nics.try_emplace(node, &step);
      if (!gpu_cleared[static_cast<std::size_t>(node)]) out.gpus.try_emplace(node, &step);
    }
    for (const NodePair& link : ring_links(step.nodes)) {
      if (!link_cleared.contains(link)) out.links.try_emplace(link, &step);
    }
  }
  for (int node = 0; node < nodes; ++node) {
    if (nic_cleared[static_cast<std::size_t>(node)]) out.cleared_nic_nodes.push_back(node);
    if (gpu_cleared[static_cast<std::size_t>(node)]) out.cleared_gpu_nodes.push_back(node);
  }
  return out;
}

std::string nodes_text(const std::vector<int>& nodes) {
  std::string text;
  for (std::size_t i = 0; i < nodes.size() && i < 8; ++i) text += (i ? "," : "") + host_name(nodes[i]);
  if (nodes.size() > 8) text += ",... (" + std::to_string(nodes.size()) + " nodes)";
  return text;
}

/// The first-pass finding of a suspect: kFail until confirm() judges its re-tests.
analysis::Finding suspect_finding(const ComponentId& id, const BisectionStep& step, int rail) {
  analysis::Finding finding;
  finding.component = id;
  finding.status = analysis::VerdictStatus::kFail;
  analysis::Evidence& evidence = finding.evidence;
  evidence.source = "bisection";
  evidence.metric = kGroupMetric;
  evidence.measured = step.value;
  evidence.expected = step.expected;
  evidence.expected_from = "nominal ring bandwidth";
  evidence.deviation = step.expected != 0.0 ? (step.value - step.expected) / step.expected : 0.0;
  evidence.refs.push_back("round " + std::to_string(step.round) + ": rail " + std::to_string(rail) + " group " +
                          nodes_text(step.nodes));
  evidence.text = analysis::label(id) + ": in the slow all-reduce group " + nodes_text(step.nodes) + " on rail " +
                  std::to_string(rail) + " (bisection round " + std::to_string(step.round) + ", " +
                  analysis::describe_deviation(evidence.deviation) + " expected)";
  return finding;
}

/// One rail's re-test work: the suspects as a first pass for plan_retests() / confirm(), and its references.
struct RailRetest {
  int rail = 0;
  analysis::PairMatrixResult first_pass;
  std::vector<analysis::RetestPair> plan;
  std::vector<int> cleared;            // nodes whose NIC on this rail may serve as a reference
  std::set<NodePair> reference_pairs;  // cleared pairs measured as the rail's healthy reference
};

/// Reference pairs: cleared NICs of hosts idle in a re-test round are paired with each other (no extra cost),
/// until every rail has `wanted`; rails still short get extra rounds of reference pairs. Returns the number of
/// extra rounds. Pairs are distinct; no host is in two pairs of one round, as in retest_rounds().
int add_reference_pairs(std::vector<RailRetest>& rails, const std::vector<std::vector<analysis::RetestPair>>& rounds,
                        int wanted, int nodes) {
  auto fill = [&](std::set<int>& busy) {
    bool added = false;
    for (RailRetest& rail : rails) {
      int waiting = -1;
      for (int node : rail.cleared) {
        if (static_cast<int>(rail.reference_pairs.size()) >= wanted) break;
        if (busy.contains(node)) continue;
        if (waiting < 0) {
          waiting = node;
          continue;
        }
        const NodePair pair{waiting, node};
        if (rail.reference_pairs.contains(pair)) continue;  // keep waiting for a partner not met yet
        rail.reference_pairs.insert(pair);
        busy.insert(waiting);
        busy.insert(node);
        waiting = -1;
        added = true;
      }
    }
    return added;
  };
  for (const auto& round : rounds) {
    std::set<int> busy;
    for (const analysis::RetestPair& pair : round) {
      busy.insert(node_of_host(pair.host_a));
      busy.insert(node_of_host(pair.host_b));
    }
    fill(busy);
  }
  int extra = 0;
  for (int guard = 0; guard < nodes; ++guard) {
    const bool short_rail = std::any_of(rails.begin(), rails.end(), [&](const RailRetest& rail) {
      return static_cast<int>(rail.reference_pairs.size()) < wanted && rail.cleared.size() >= 2;
    });
    if (!short_rail) break;
    std::set<int> busy;
    if (!fill(busy)) break;  // every pair of cleared nodes is used already
    ++extra;
  }
  return extra;
}

}  // namespace

LocalizationRun run_bisect(const FabricModel& fabric, const LocalizationOptions& options, std::mt19937_64& rng) {
  using namespace analysis;
  LocalizationRun run;
  std::vector<int> all_nodes(static_cast<std::size_t>(fabric.nodes()));
  for (int node = 0; node < fabric.nodes(); ++node) all_nodes[static_cast<std::size_t>(node)] = node;
  std::vector<Bisection> bisections;
  for (int rail = 0; rail < fabric.rails(); ++rail) bisections.emplace_back(all_nodes, options.analysis.bisection);

  // Every rail's pending groups of a round run at once: one round per pass of this loop.
  while (std::any_of(bisections.begin(), bisections.end(), [](const Bisection& b) { return !b.done(); })) {
    ++run.bisection_rounds;
    for (int rail = 0; rail < fabric.rails(); ++rail) {
      Bisection& bisection = bisections[static_cast<std::size_t>(rail)];
      if (bisection.done()) continue;
      std::vector<double> values, expected;
      for (const std::vector<int>& group : bisection.pending()) {
        values.push_back(fabric.measure_ring_gbps(group, rail, rng));
        expected.push_back(fabric.options().nic_gbps);
      }
      run.measurements += static_cast<std::int64_t>(values.size());
      bisection.report(values, expected);
    }
  }

  std::vector<Finding> findings;
  std::vector<RailRetest> rails;
  std::vector<RetestPair> whole_plan;
  std::vector<UnitSample> gpu_checks;
  for (int rail = 0; rail < fabric.rails(); ++rail) {
    const RailSuspects suspects = rail_suspects(bisections[static_cast<std::size_t>(rail)], rail, fabric.nodes());
    const std::string nic = nic_name(rail);
    if (!suspects.nics.empty() || !suspects.links.empty()) {
      RailRetest retest;
      retest.rail = rail;
      PairMatrixResult& first_pass = retest.first_pass;
      for (const auto& [node, step] : suspects.nics) {
        first_pass.suspects.push_back(make_nic(host_name(node), nic, rail));
        first_pass.findings.push_back(suspect_finding(first_pass.suspects.back(), *step, rail));
      }
      for (const auto& [link, step] : suspects.links) {
        first_pass.suspects.push_back(make_link(host_name(link.first), nic, host_name(link.second), nic, rail));
        first_pass.findings.push_back(suspect_finding(first_pass.suspects.back(), *step, rail));
      }
      for (int node : suspects.cleared_nic_nodes) first_pass.good_nics.push_back(make_nic(host_name(node), nic, rail));
      std::sort(first_pass.good_nics.begin(), first_pass.good_nics.end());
      retest.plan = plan_retests(first_pass, options.analysis.pairs);
      // References from the end of the list: plan_retests takes its partners from the start.
      retest.cleared.assign(suspects.cleared_nic_nodes.rbegin(), suspects.cleared_nic_nodes.rend());
      whole_plan.insert(whole_plan.end(), retest.plan.begin(), retest.plan.end());
      rails.push_back(std::move(retest));
    }
    if (!suspects.gpus.empty()) {
      for (const auto& [node, step] : suspects.gpus) {
        add_gpu_check_samples(fabric, node, rail, options.gpu_check_samples, rng, gpu_checks);
      }
      const std::vector<int>& cleared = suspects.cleared_gpu_nodes;
      const int references = std::min(options.reference_gpus, static_cast<int>(cleared.size()));
      for (int i = 0; i < references; ++i) {
        const int node = cleared[cleared.size() - 1 - static_cast<std::size_t>(i)];
        add_gpu_check_samples(fabric, node, rail, options.gpu_check_samples, rng, gpu_checks);
      }
    }
  }

  const auto rounds = retest_rounds(whole_plan, options.analysis.pairs);
  run.retest_rounds =
      static_cast<int>(rounds.size()) + add_reference_pairs(rails, rounds, options.reference_pairs, fabric.nodes());
  for (const RailRetest& rail : rails) {
    std::vector<LinkSample> references;
    for (const auto& [a, b] : rail.reference_pairs) {
      add_pair_samples(fabric, a, b, rail.rail, 0, false, rng, references);
    }
    const std::vector<LinkSample> retests =
        measure_retests(fabric, retest_rounds(rail.plan, options.analysis.pairs), rng);
    run.measurements += static_cast<std::int64_t>(references.size() + retests.size());
    for (Finding& finding : confirm(rail.first_pass, references, retests, options.analysis.pairs)) {
      findings.push_back(std::move(finding));
    }
  }
  if (!gpu_checks.empty()) {
    ++run.retest_rounds;  // the suspect and reference GPUs' single-GPU checks, all at once
    run.measurements += static_cast<std::int64_t>(gpu_checks.size());
    for (Finding& finding : fleet_outliers(gpu_checks, options.analysis.fleet)) findings.push_back(std::move(finding));
  }
  run.verdicts = combine(findings);
  return run;
}

}  // namespace railcheck::simulate
