#include "railcheck/run/collective_bisection.h"

#include <algorithm>
#include <cmath>
#include <sstream>

#include "railcheck/analysis/bisection.h"
#include "railcheck/analysis/verdict.h"
#include "railcheck/collectives/coll_counts.h"
#include "railcheck/record/bisection_record.h"
#include "railcheck/record/stats.h"
#include "railcheck/record/wall_clock.h"
#include "railcheck/run/check.h"
#include "railcheck/run/timed_loop.h"

namespace railcheck {
namespace {

constexpr const char* kBusbw = "busbw_gbps";  // the unit format_value reads from the field name

/// The bisection's units: nodes across hosts, or the ranks (GPUs) of a single host.
struct Units {
  bool by_node = true;
  std::vector<int> unit_of_rank;   ///< unit index of every world rank
  std::vector<std::string> names;  ///< "node3" or "node3 GPU 2"
  std::vector<BisectionMember> members;
};

Units units_of(const Bootstrap& bootstrap) {
  Units u;
  u.by_node = bootstrap.hosts().size() > 1;
  for (const RankInfo& info : bootstrap.ranks()) u.unit_of_rank.push_back(u.by_node ? info.node_index : info.rank);
  if (u.by_node) {
    u.names = bootstrap.hosts();
    for (const std::string& host : bootstrap.hosts()) u.members.push_back({host, std::nullopt, std::nullopt});
  } else {
    for (const RankInfo& info : bootstrap.ranks()) {
      u.names.push_back(analysis::label(analysis::make_gpu(info.host, info.local_rank)));
      u.members.push_back({info.host, info.local_rank, info.rank});
    }
  }
  return u;
}

std::string group_text(const std::vector<int>& group, const Units& units) {
  std::vector<std::string> names;
  for (int unit : group) names.push_back(units.names[static_cast<std::size_t>(unit)]);
  return analysis::format_list(names);
}

/// This rank's mean time per call over the group's communicator, in microseconds.
double measure_group(const CollectiveTestSpec& spec, std::size_t size_bytes, Collective& group) {
  const SizeBuffers one = prepare_size(group, spec, size_bytes);
  warm_up(group, one.call, spec.warmup_iters);
  const TimedLoop loop{spec.iters, 0, spec.timing, Blocking::kNone};  // no waits: nothing to barrier with
  return summarize(time_calls(group, one.call, loop, [] {}).seconds).mean_us;
}

// Rank 0: per group, the mean of its ranks' mean times (as the sweep's records) -> bus bandwidth.
struct GroupFigures {
  std::vector<double> busbw, time_us;
  std::vector<int> ranks;
};

GroupFigures group_figures(const CollectiveTestSpec& spec, std::size_t size_bytes, std::size_t groups,
                           const std::vector<double>& numbers) {
  GroupFigures f{std::vector<double>(groups, 0.0), std::vector<double>(groups, 0.0), std::vector<int>(groups, 0)};
  for (std::size_t r = 0; 2 * r + 1 < numbers.size(); ++r) {
    const int g = static_cast<int>(numbers[2 * r]);
    const double t = numbers[2 * r + 1];
    if (g < 0 || t < 0.0) continue;
    f.time_us[static_cast<std::size_t>(g)] += t;
    ++f.ranks[static_cast<std::size_t>(g)];
  }
  for (std::size_t g = 0; g < groups; ++g) {
    if (f.ranks[g] < 2) continue;  // nothing measurable: reported as 0 GB/s, i.e. slow
    f.time_us[g] /= f.ranks[g];
    const CollCounts counts = coll_counts(spec.kind, size_bytes, spec.type, f.ranks[g]);
    f.busbw[g] = bandwidth(spec.kind, counts.param_count, spec.type, f.time_us[g] * 1.0e-6, f.ranks[g]).busbw_gbps;
  }
  return f;
}

}  // namespace

void run_collective_bisection(const CollectiveTestSpec& spec, const BisectionExpectation& expected,
                              const analysis::BisectionOptions& options, const RunContext& context) {
  const Bootstrap& bootstrap = context.bootstrap;
  const Units units = units_of(bootstrap);
  const std::size_t size_bytes = spec.bisect.size_bytes > 0 ? spec.bisect.size_bytes : spec.max_bytes;
  analysis::BisectionOptions effective = options;
  // A group of one rank has no bus bandwidth to compare: never split down to single-rank groups.
  const bool one_rank_per_unit =
      !units.by_node || std::all_of(bootstrap.ranks().begin(), bootstrap.ranks().end(),
                                    [](const RankInfo& info) { return info.local_size == 1; });
  if (one_rank_per_unit) effective.min_group_nodes = std::max(effective.min_group_nodes, 2);
  const int unit_count = static_cast<int>(units.names.size());
  std::vector<int> all(static_cast<std::size_t>(unit_count));
  for (int u = 0; u < unit_count; ++u) all[static_cast<std::size_t>(u)] = u;
  analysis::Bisection bisection(all, effective);

  const bool root = bootstrap.rank() == 0;
  const int me = units.unit_of_rank[static_cast<std::size_t>(bootstrap.rank())];
  if (root) {
    std::ostringstream text;
    text << "bisect " << spec.name << ": " << unit_count << (units.by_node ? " nodes" : " GPUs") << " at " << size_bytes
         << " B, expected busbw " << analysis::format_value(expected.busbw_gbps, kBusbw) << " (" << expected.from
         << "), slow below by more than " << std::lround(effective.slow_tolerance * 100.0) << "%";
    context.sink.note(NoteLevel::kInfo, text.str());
  }
  while (!bisection.done()) {
    const std::vector<std::vector<int>> pending = bisection.pending();
    int my_group = -1;
    for (std::size_t g = 0; g < pending.size(); ++g) {
      if (std::find(pending[g].begin(), pending[g].end(), me) != pending[g].end()) my_group = static_cast<int>(g);
    }
    const int round = bisection.rounds() + 1;
    std::vector<double> numbers;
    const double start = unix_now_s();
    {
      const Steps::Scope step =
          context.steps.begin(StepKind::kRound, spec.name + " bisect round " + std::to_string(round));
      // Ranks in no pending group share one idle communicator and measure nothing.
      std::unique_ptr<Collective> group =
          context.world.split(my_group >= 0 ? my_group : static_cast<int>(pending.size()), bootstrap.rank());
      double mean_us = -1.0;
      if (my_group >= 0 && group->size() >= 2) mean_us = measure_group(spec, size_bytes, *group);
      numbers = bootstrap.gather({static_cast<double>(my_group), mean_us}, 0);
    }
    GroupFigures figures;
    if (root) figures = group_figures(spec, size_bytes, pending.size(), numbers);
    // Every rank advances the same state machine with rank 0's numbers.
    std::ostringstream encoded;
    encoded.precision(17);
    for (std::size_t g = 0; g < pending.size(); ++g) encoded << (root ? figures.busbw[g] : 0.0) << ' ';
    std::istringstream decoded(bootstrap.broadcast(encoded.str(), 0));
    std::vector<double> values(pending.size(), 0.0);
    for (double& v : values) decoded >> v;
    bisection.report(values, std::vector<double>(pending.size(), expected.busbw_gbps));
    if (!root) continue;

    const std::vector<std::vector<int>>& next = bisection.pending();
    for (std::size_t g = 0; g < pending.size(); ++g) {
      const analysis::BisectionStep& outcome = bisection.history()[bisection.history().size() - pending.size() + g];
      BisectionRecord record;
      record.test = spec.name;
      record.test_key = test_key(spec);
      record.collective = std::string(key_of(spec.kind));
      record.backend = std::string(context.world.backend_name());
      record.round = round;
      record.group_index = static_cast<int>(g);
      record.by_node = units.by_node;
      for (int unit : pending[g]) record.members.push_back(units.members[static_cast<std::size_t>(unit)]);
      record.nranks = figures.ranks[g];
      record.size_bytes = size_bytes;
      record.iters = spec.iters;
      record.time_us = figures.time_us[g];
      record.busbw_gbps = outcome.value;
      record.expected_busbw_gbps = outcome.expected;
      record.expected_from = expected.from;
      record.slow = outcome.slow;
      record.split = std::find(next.begin(), next.end(), analysis::split_halves(pending[g]).first) != next.end();
      record.start_unix_s = start;
      record.end_unix_s = unix_now_s();
      context.sink.record(record);
    }
  }
  if (root) {
    const std::vector<int> suspects = bisection.suspects();
    context.sink.note(
        NoteLevel::kInfo,
        "bisect " + spec.name + ": " + std::to_string(bisection.rounds()) + " round(s); " +
            (suspects.empty() ? std::string("no slow group") : "isolated: " + group_text(suspects, units)));
  }
}

}  // namespace railcheck
