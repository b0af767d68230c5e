#include "railcheck/run/collective_bisection.h"

#include <algorithm>
#include <cmath>
#include <ostream>
#include <sstream>

#include "railcheck/analysis/bisection.h"
#include "railcheck/analysis/verdict.h"
#include "railcheck/collectives/coll_counts.h"
#include "railcheck/record/record_kinds.h"
#include "railcheck/run/check.h"
#include "railcheck/run/stats.h"

namespace railcheck {
namespace {

using nlohmann::json;

constexpr const char* kBusbw = "busbw_gbps";  // the unit format_value reads from the field name

/// The bisection's units: nodes across hosts, or the ranks (GPUs) of a single host.
struct Units {
  bool by_node = true;
  std::vector<int> unit_of_rank;   ///< unit index of every world rank
  std::vector<std::string> names;  ///< "node3" or "node3 GPU 2"
};

Units units_of(const Bootstrap& bootstrap) {
  Units u;
  u.by_node = bootstrap.hosts().size() > 1;
  for (const RankInfo& info : bootstrap.ranks()) u.unit_of_rank.push_back(u.by_node ? info.node_index : info.rank);
  if (u.by_node) {
    u.names = bootstrap.hosts();
  } else {
    for (const RankInfo& info : bootstrap.ranks())
      u.names.push_back(analysis::label(analysis::make_gpu(info.host, info.local_rank)));
  }
  return u;
}

std::string group_text(const std::vector<int>& group, const Units& units) {
  std::vector<std::string> names;
  for (int unit : group) names.push_back(units.names[static_cast<std::size_t>(unit)]);
  return analysis::format_list(names);
}

/// This rank's mean time per call over the group's communicator, in microseconds.
double measure_group(const CollectiveTestSpec& spec, std::size_t size_bytes, Collective& group, int world_rank,
                     const DebugFaults& faults) {
  const int nranks = group.size();
  const CheckCase check{spec.kind, spec.type, spec.op,
                        spec.root, nranks,    coll_counts(spec.kind, size_bytes, spec.type, nranks)};
  const std::size_t width = size_of(spec.type);
  Buffer send = group.allocate(check.counts.send_count * width);
  Buffer recv = group.allocate(check.counts.recv_count * width);
  group.upload(send, 0, make_check_input(check, group.rank(), 0));
  const CollectiveCall call{spec.kind, send.data(), recv.data(), check.counts.param_count,
                            spec.type, spec.op,     spec.root};
  for (int i = 0; i < spec.warmup_iters; ++i) group.run(call);
  group.synchronize();
  auto timer = group.make_timer();
  timer->start();
  for (int i = 0; i < spec.iters; ++i) {
    group.run(call);
    faults.after_timed_call(world_rank);
    timer->lap();
  }
  return summarize(timer->finish()).mean_us;
}

}  // namespace

void run_collective_bisection(const CollectiveTestSpec& spec, const BisectionExpectation& expected,
                              const analysis::BisectionOptions& options, const Bootstrap& bootstrap, Collective& world,
                              Watchdog& watchdog, const DebugFaults& faults, Runner& runner,
                              const BisectionOutput& output) {
  const Units units = units_of(bootstrap);
  const std::size_t size_bytes = spec.bisect.size_bytes > 0 ? spec.bisect.size_bytes : spec.max_bytes;
  analysis::BisectionOptions effective = options;
  // A group of one rank has no bus bandwidth to compare: never split down to single-rank groups.
  const bool one_rank_per_unit =
      !units.by_node || std::all_of(bootstrap.ranks().begin(), bootstrap.ranks().end(),
                                    [](const RankInfo& info) { return info.local_size == 1; });
  if (one_rank_per_unit) effective.min_group_nodes = std::max(effective.min_group_nodes, 2);
  const int unit_count = units.by_node ? static_cast<int>(bootstrap.hosts().size()) : bootstrap.size();
  std::vector<int> all(static_cast<std::size_t>(unit_count));
  for (int u = 0; u < unit_count; ++u) all[static_cast<std::size_t>(u)] = u;
  analysis::Bisection bisection(all, effective);

  const bool root = bootstrap.rank() == 0;
  const int me = units.unit_of_rank[static_cast<std::size_t>(bootstrap.rank())];
  if (root && output.console != nullptr) {
    *output.console << "# bisect " << spec.name << ": " << unit_count << (units.by_node ? " nodes" : " GPUs") << " at "
                    << size_bytes << " B, expected busbw " << analysis::format_value(expected.busbw_gbps, kBusbw)
                    << " (" << expected.from << "), slow below by more than "
                    << std::lround(effective.slow_tolerance * 100.0) << "%" << std::endl;
  }
  while (!bisection.done()) {
    const std::vector<std::vector<int>> pending = bisection.pending();
    int my_group = -1;
    for (std::size_t g = 0; g < pending.size(); ++g) {
      if (std::find(pending[g].begin(), pending[g].end(), me) != pending[g].end()) my_group = static_cast<int>(g);
    }
    const int round = bisection.rounds() + 1;
    watchdog.begin(runner.next_step(), spec.name + " bisect round " + std::to_string(round));
    // Ranks in no pending group share one idle communicator and measure nothing.
    std::unique_ptr<Collective> group =
        world.split(my_group >= 0 ? my_group : static_cast<int>(pending.size()), bootstrap.rank());
    double mean_us = -1.0;
    if (my_group >= 0 && group->size() >= 2)
      mean_us = measure_group(spec, size_bytes, *group, bootstrap.rank(), faults);
    const std::vector<double> all_numbers = bootstrap.gather({static_cast<double>(my_group), mean_us}, 0);
    watchdog.end();

    // Rank 0: per group, the mean of its ranks' mean times (as the sweep's records) -> bus bandwidth.
    std::vector<double> values(pending.size(), 0.0), times(pending.size(), 0.0);
    std::vector<int> ranks_in(pending.size(), 0);
    if (root) {
      for (int r = 0; r < bootstrap.size(); ++r) {
        const int g = static_cast<int>(all_numbers[static_cast<std::size_t>(2 * r)]);
        const double t = all_numbers[static_cast<std::size_t>(2 * r + 1)];
        if (g < 0 || t < 0.0) continue;
        times[static_cast<std::size_t>(g)] += t;
        ++ranks_in[static_cast<std::size_t>(g)];
      }
      for (std::size_t g = 0; g < pending.size(); ++g) {
        if (ranks_in[g] < 2) continue;  // nothing measurable: reported as 0 GB/s, i.e. slow
        times[g] /= ranks_in[g];
        const CollCounts counts = coll_counts(spec.kind, size_bytes, spec.type, ranks_in[g]);
        values[g] = bandwidth(spec.kind, counts.param_count, spec.type, times[g] * 1.0e-6, ranks_in[g]).busbw_gbps;
      }
    }
    // Every rank advances the same state machine with rank 0's numbers.
    std::ostringstream encoded;
    encoded.precision(17);
    for (double v : values) encoded << v << ' ';
    std::istringstream decoded(bootstrap.broadcast(encoded.str(), 0));
    for (double& v : values) decoded >> v;
    bisection.report(values, std::vector<double>(pending.size(), expected.busbw_gbps));

    if (!root) continue;
    const std::vector<std::vector<int>>& next = bisection.pending();
    for (std::size_t g = 0; g < pending.size(); ++g) {
      const analysis::BisectionStep& step = bisection.history()[bisection.history().size() - pending.size() + g];
      const auto first_half = analysis::split_halves(pending[g]).first;
      const bool split = std::find(next.begin(), next.end(), first_half) != next.end();
      json members = json::array();
      for (int unit : pending[g]) {
        if (units.by_node) {
          members.push_back({{"host", bootstrap.hosts()[static_cast<std::size_t>(unit)]}});
        } else {
          const RankInfo& info = bootstrap.ranks()[static_cast<std::size_t>(unit)];
          members.push_back({{"host", info.host}, {"local_rank", info.local_rank}, {"rank", info.rank}});
        }
      }
      json record = {{"kind", line_type_info(LineType::kBisection).record_kind},
                     {"test", spec.name},
                     {"test_key", test_key(spec)},
                     {"collective", key_of(spec.kind)},
                     {"backend", world.backend_name()},
                     {"round", round},
                     {"group_index", g},
                     {"units", units.by_node ? "node" : "gpu"},
                     {"members", members},
                     {"nranks", ranks_in[g]},
                     {"size_bytes", size_bytes},
                     {"iters", spec.iters},
                     {"time_us", times[g]},
                     {"busbw_gbps", step.value},
                     {"expected_busbw_gbps", step.expected},
                     {"expected_from", expected.from},
                     {"slow", step.slow},
                     {"split", split}};
      if (output.files != nullptr) output.files->add(LineType::kBisection, std::move(record));
      if (output.console != nullptr) {
        *output.console << "# bisect " << spec.name << " round " << round << ": " << group_text(pending[g], units)
                        << " (" << ranks_in[g] << " ranks) busbw " << analysis::format_value(step.value, kBusbw) << ": "
                        << (step.slow ? (split ? "SLOW, split" : "SLOW, isolated") : "ok") << std::endl;
      }
    }
  }
  if (root && output.console != nullptr) {
    const std::vector<int> suspects = bisection.suspects();
    *output.console << "# bisect " << spec.name << ": " << bisection.rounds() << " round(s); "
                    << (suspects.empty() ? std::string("no slow group") : "isolated: " + group_text(suspects, units))
                    << std::endl;
  }
}

}  // namespace railcheck
