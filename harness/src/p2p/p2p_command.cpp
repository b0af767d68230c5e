#include "railcheck/p2p/p2p_command.h"

#include <filesystem>
#include <iostream>
#include <set>

#include "p2p_session.h"
#include "railcheck/output/output_dir.h"
#include "railcheck/output/sinks.h"
#include "railcheck/p2p/pair_plan.h"
#include "railcheck/record/manifest.h"
#include "railcheck/record/p2p_record.h"

namespace railcheck {
namespace {

constexpr double kDefaultTimeoutS = 30.0;

RunManifest p2p_manifest(const Command& command, const Bootstrap& bootstrap) {
  RunManifest m = base_manifest(command.command_line, "p2p", bootstrap);
  m.backend = command.p2p.transport;
  m.backend_reason = "--transport " + command.p2p.transport;
  return m;
}

}  // namespace

void print_link_matrices(std::ostream& out, const std::vector<P2pRecord>& records,
                         const std::vector<std::string>& hosts, const P2pOptions& o) {
  std::set<int> rails;
  for (const P2pRecord& r : records) rails.insert(r.rail);
  const P2pOp bw_op = o.bidirectional ? P2pOp::kBidirectionalBandwidth : P2pOp::kBandwidth;
  for (int rail : rails) {
    out << format_link_matrix(records, hosts, bw_op, rail, o.report_gbits);
    if (o.lat_iters > 0) out << format_link_matrix(records, hosts, P2pOp::kLatency, rail, false);
  }
}

int run_p2p(const Command& command, const Bootstrap& bootstrap) {
  const P2pOptions& o = command.p2p;
  const bool root = bootstrap.rank() == 0;
  const double timeout_s = command.common.timeout_s > 0 ? command.common.timeout_s : kDefaultTimeoutS;

  P2pSession session(bootstrap, o, timeout_s);
  if (!session.skip_reason().empty()) {
    if (root) std::cout << "railcheck p2p: SKIP " << session.skip_reason() << std::endl;
    return kExitHealthy;
  }
  PairPlanOptions plan_options;
  plan_options.within_node = o.within_node;
  const std::vector<PairRound> plan = plan_pairs(session.rank_layout(), plan_options);

  const std::filesystem::path dir = prepare_output_dir(command.common.output_dir, bootstrap);
  RunManifest manifest = p2p_manifest(command, bootstrap);
  std::unique_ptr<ResultsFiles> writer;
  RunSummary summary;
  if (root) {
    writer = std::make_unique<ResultsFiles>(dir);
    writer->begin(manifest);
    std::cout << single_cpu_note(manifest) << session.describe(plan.size()) << std::endl;
  }
  const P2pOutput output{writer.get(), root ? &std::cout : nullptr, root ? &summary : nullptr};
  const std::vector<P2pRecord> all = session.run_rounds(plan, "", "first", output);

  int exit_code = kExitHealthy;
  if (root) {
    double bw_sum = 0;
    int bw_count = 0;
    for (const P2pRecord& r : all) {
      if (r.ok && r.op != P2pOp::kLatency) bw_sum += r.bw_gbps, ++bw_count;
    }
    summary.avg_busbw_gbps = bw_count ? bw_sum / bw_count : 0.0;
    print_link_matrices(std::cout, all, bootstrap.hosts(), o);
    for (const std::string& p : summary.problems) std::cout << "# FAILED " << p << "\n";
    summary.exit_code = summary.problems.empty() ? kExitHealthy : kExitDegraded;
    exit_code = summary.exit_code;
    manifest.end_time = utc_now_iso8601();
    writer->finish(manifest, summary);
    std::cout << "# results: " << (dir / "results.json").string() << " (streamed: " << (dir / "results.jsonl").string()
              << ")" << std::endl;
  }
  return bootstrap.max_over_ranks(exit_code);
}

}  // namespace railcheck
