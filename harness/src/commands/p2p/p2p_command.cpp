// `railcheck p2p`: the transport opened on every rank, every pair of hosts per rail, the records through the
// run's sinks, exit 1 when a link failed.
#include "railcheck/commands/p2p/p2p_command.h"

#include "railcheck/output/output_dir.h"
#include "railcheck/output/sink_registry.h"
#include "railcheck/output/summary_sink.h"
#include "railcheck/p2p/p2p_session.h"
#include "railcheck/plan/pair_plan.h"
#include "railcheck/record/manifest.h"
#include "railcheck/run/steps.h"
#include "railcheck/telemetry/run_telemetry.h"

namespace railcheck {
namespace {

constexpr double kDefaultTimeoutS = 30.0;

}  // namespace

int P2pCommand::run(const CommandEnv& env) {
  const Bootstrap& bootstrap = *env.bootstrap;
  const P2pOptions& o = options_;
  const bool root = bootstrap.rank() == 0;
  const double timeout_s = timeout_s_ > 0 ? timeout_s_ : kDefaultTimeoutS;

  P2pSession session(bootstrap, o, timeout_s);
  if (!session.skip_reason().empty()) {
    if (root) env.out << "railcheck p2p: SKIP " << session.skip_reason() << std::endl;
    return kExitHealthy;
  }
  PairPlanOptions plan_options;
  plan_options.within_node = o.within_node;
  const std::vector<PairRound> plan = plan_pairs(session.rank_layout(), plan_options);

  const std::filesystem::path dir = prepare_output_dir(output_dir_, bootstrap);
  RunManifest manifest = base_manifest(env.command_line, "p2p", bootstrap);
  manifest.backend = o.transport;
  manifest.backend_reason = "--transport " + o.transport;
  SinkFanout outputs;
  SummarySink* summary = nullptr;
  if (root) {
    outputs = env.sinks.open({dir, env.out, env.err});
    auto counter = std::make_unique<SummarySink>();
    summary = counter.get();
    outputs.add(std::move(counter));
    outputs.begin_run(manifest);
  }
  TestStart start;
  start.kind = LineType::kP2p;
  start.nranks = bootstrap.size();
  start.description = session.describe(plan.size());
  start.hosts = bootstrap.hosts();
  start.unit = o.unit;
  outputs.begin_test(start);
  Steps steps;  // unwatched: every transfer has its own deadline (-T)
  // Each host's counters over the transfers (a flapping link, port errors): a telemetry record per host, for
  // the console and for `railcheck analyze` of the results.
  telemetry::RunTelemetry telemetry(bootstrap, outputs, steps, {});
  telemetry.open("p2p");
  session.run_rounds(plan, "", "first", steps, outputs);
  telemetry.close();
  outputs.end_test(start);

  int exit_code = kExitHealthy;
  if (root) {
    const RunSummary totals = summary->summary();
    manifest.end_time = utc_now_iso8601();
    outputs.end_run(manifest, totals);
    exit_code = totals.exit_code;
  }
  return bootstrap.max_over_ranks(exit_code);
}

}  // namespace railcheck
