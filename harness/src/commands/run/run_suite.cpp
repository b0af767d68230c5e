#include "railcheck/commands/run/run_suite.h"

#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <functional>
#include <optional>
#include <sstream>
#include <utility>

#include "railcheck/analysis/baseline.h"
#include "railcheck/analysis/soak_drift.h"
#include "railcheck/core/error.h"
#include "railcheck/fleet/node_actions.h"
#include "railcheck/fleet/node_labels.h"
#include "railcheck/fleet/run_verdicts.h"
#include "railcheck/output/interval_stamp.h"
#include "railcheck/output/interval_summary.h"
#include "railcheck/output/output_dir.h"
#include "railcheck/output/summary_sink.h"
#include "railcheck/p2p/fabric_stages.h"
#include "railcheck/p2p/p2p_suite_test.h"
#include "railcheck/record/manifest.h"
#include "railcheck/record/wall_clock.h"
#include "railcheck/run/backend.h"
#include "railcheck/run/collective_bisection.h"
#include "railcheck/run/judge_run.h"
#include "railcheck/run/memory_guard.h"
#include "railcheck/run/progress_display.h"
#include "railcheck/run/runner.h"
#include "railcheck/run/soak_loop.h"
#include "railcheck/run/watchdog.h"
#include "railcheck/topology/local_discovery.h"

namespace railcheck {
namespace {

RunManifest collect_manifest(const SuiteRunRequest& request, const Bootstrap& bootstrap, const BackendChoice& choice) {
  RunManifest m = base_manifest(request.command_line, request.suite.name, bootstrap);
  m.backend = choice.name;
  m.backend_reason = choice.reason;
  fill_cuda_versions(m);
  if (bootstrap.rank() == 0) m.topology = manifest_topology();  // rank 0's node; null when nothing found
  // Each rank describes its own GPU; rank 0 collects them.
  const auto gpu = describe_gpu(choice);
  const nlohmann::json mine = gpu ? nlohmann::json{{"device", gpu->device},
                                                   {"name", gpu->name},
                                                   {"uuid", gpu->uuid},
                                                   {"pci_bus_id", gpu->pci_bus_id}}
                                  : nlohmann::json(nullptr);
  const auto all = bootstrap.gather_strings(mine.dump(), 0);
  for (std::size_t r = 0; r < m.ranks.size() && r < all.size(); ++r) {
    const nlohmann::json d = nlohmann::json::parse(all[r]);
    if (d.is_null()) continue;
    m.ranks[r].gpu = GpuDescription{d.at("device"), d.at("name"), d.at("uuid"), d.at("pci_bus_id")};
  }
  // One rank per host counts the GPUs its host shows (inventory verdicts: --expect-gpus).
  const bool counts = bootstrap.self().local_rank == 0;
  const auto inventories = bootstrap.gather_strings(counts ? local_gpu_inventory().dump() : std::string(), 0);
  for (std::size_t r = 0; r < inventories.size() && r < m.ranks.size(); ++r) {
    if (inventories[r].empty()) continue;
    const nlohmann::json i = nlohmann::json::parse(inventories[r]);
    m.host_gpus.push_back({m.ranks[r].info.host, i.at("gpus"), i.at("source"), i.at("pci_bus_ids"), i.at("note")});
  }
  return m;
}

// What a bisecting test's groups are judged against: the suite's number, else the baseline's group entry for
// the test at the bisection size. Neither: an input error before anything is measured.
BisectionExpectation bisection_expectation(const Suite& suite, const CollectiveTestSpec& spec,
                                           const analysis::Baseline* baseline, int world_size) {
  const std::string where = suite.source + ": test '" + spec.name + "': bisect";
  if (spec.bisect.expected_busbw_gbps > 0.0) return {spec.bisect.expected_busbw_gbps, "suite expected_busbw_gbps"};
  const std::size_t size = spec.bisect.size_bytes > 0 ? spec.bisect.size_bytes : spec.max_bytes;
  const std::string metric = test_key(spec) + " busbw_gbps";
  if (baseline == nullptr) {
    throw InputError(where +
                     ": no expected_busbw_gbps and no --baseline; give \"bisect\": {\"expected_busbw_gbps\": "
                     "<what a healthy group reaches>} or run with --baseline FILE");
  }
  const analysis::BaselineEntry* entry = analysis::find_entry(*baseline, "group", metric, size, -1, world_size);
  if (entry == nullptr) entry = analysis::find_entry(*baseline, "group", metric, size, -1, -1);
  if (entry == nullptr) {
    throw InputError(where + ": baseline " + baseline->source + " has no group entry for " + metric + " at " +
                     std::to_string(size) + " B; regenerate it from a run of this test or give expected_busbw_gbps");
  }
  return {entry->expected, "baseline " + baseline->source};
}

// The job is the one asked for: Open MPI 5 under mpi-operator ignores the orte_* variables it sets and starts
// every rank on the launcher, and a wrong hostfile does the same. The same answer on every rank.
void check_world(const CommonOptions& common, const Bootstrap& bootstrap) {
  const std::vector<std::string>& hosts = bootstrap.hosts();
  const bool ranks_wrong = common.expect_ranks > 0 && bootstrap.size() != common.expect_ranks;
  const bool hosts_wrong = common.expect_hosts > 0 && static_cast<int>(hosts.size()) != common.expect_hosts;
  if (!ranks_wrong && !hosts_wrong) return;
  std::string seen;
  for (const std::string& h : hosts) seen += (seen.empty() ? "" : ", ") + h;
  throw InputError("the job has " + std::to_string(bootstrap.size()) + " rank(s) on " + std::to_string(hosts.size()) +
                   " host(s) (" + seen + "), asked for " +
                   (common.expect_ranks > 0 ? std::to_string(common.expect_ranks) + " rank(s)" : std::string()) +
                   (common.expect_ranks > 0 && common.expect_hosts > 0 ? " on " : "") +
                   (common.expect_hosts > 0 ? std::to_string(common.expect_hosts) + " host(s)" : std::string()) +
                   "; nothing measured: check the launcher's host list (mpirun --hostfile, Open MPI 5 ignores "
                   "OMPI_MCA_orte_* settings)");
}

// Everything checked before anything is measured, the same on every rank.
struct Prepared {
  std::optional<analysis::Baseline> baseline;
  std::unique_ptr<fabric::RoutedFabric> topology;           ///< --topology (and --routes), for the fabric tests
  std::vector<std::optional<BisectionExpectation>> bisect;  ///< per collective test
};

Prepared prepare(const SuiteRunRequest& request, const Bootstrap& bootstrap) {
  const Suite& suite = request.suite;
  for (const CollectiveTestSpec& spec : suite.tests) {
    if (auto problem = validate(spec, bootstrap.size())) {
      throw InputError(suite.source + ": test '" + spec.name + "': " + problem->field + ": " + problem->message);
    }
  }
  Prepared p;
  if (!request.common.baseline_path.empty()) {
    p.baseline = analysis::load_baseline(request.common.baseline_path);
    analysis::check_profile(*p.baseline, request.common.profile);
  }
  if (!request.common.routes_path.empty() && request.common.topology_path.empty()) {
    throw InputError("--routes " + request.common.routes_path +
                     ": forwarding tables route a fabric; give its topology with --topology too");
  }
  if (!request.common.topology_path.empty()) {
    const bool any_fabric = std::any_of(suite.p2p_tests.begin(), suite.p2p_tests.end(),
                                        [](const P2pTestSpec& spec) { return spec.fabric; });
    if (!any_fabric) {
      throw InputError("--topology " + request.common.topology_path + ": suite " + suite.source +
                       " has no fabric test to plan over it; add {\"fabric\": \"tcp\"} (or verbs) to its tests, "
                       "or leave --topology out");
    }
    p.topology = load_run_fabric(request.common.topology_path, request.common.routes_path);
    for (const P2pTestSpec& spec : suite.p2p_tests) {
      if (spec.fabric && spec.confirm_stages > 0 && !p.topology->routes_known()) {
        throw InputError(suite.source + ": test '" + spec.name + "': confirm_stages " +
                         std::to_string(spec.confirm_stages) +
                         ": a confirmation stage aims flows over chosen links, which ECMP's hashing (--routes ecmp) "
                         "cannot; set it to 0, or give the forwarding tables with --routes");
      }
    }
  }
  for (const CollectiveTestSpec& spec : suite.tests) {
    p.bisect.push_back(spec.bisect.enabled ? std::optional(bisection_expectation(
                                                 suite, spec, p.baseline ? &*p.baseline : nullptr, bootstrap.size()))
                                           : std::nullopt);
  }
  return p;
}

// Keeps the verdicts a judgement hands its sink, and hands them on to `next` when there is one.
class VerdictCapture final : public OutputSink {
 public:
  explicit VerdictCapture(OutputSink* next = nullptr) : next_(next) {}
  void verdicts(const VerdictReport& report) override {
    judged = report.verdicts;
    if (next_ != nullptr) next_->verdicts(report);
  }
  std::vector<analysis::Verdict> judged;

 private:
  OutputSink* next_;
};

// --act: the failing nodes out of Slurm's scheduling, or the verdicts on Kubernetes' nodes, said on the console
// and in the stream's notes. A failure to act is a warning: the verdicts and results stand.
void act_on_verdicts(const CommonOptions& common, const RunManifest& manifest,
                     const std::vector<analysis::Verdict>& verdicts, OutputSink& outputs) {
  if (common.act.empty()) return;
  const std::string run_id = fleet::run_id_of(manifest);
  std::ostringstream said;
  try {
    if (common.act == "drain") {
      fleet::DrainOptions options;
      options.run_id = run_id;
      options.max_nodes = common.max_drain;
      fleet::SystemProgramRunner runner;
      fleet::SlurmNodes slurm(runner);
      fleet::drain_failing_nodes(verdicts, manifest.hosts.size(), options, /*apply=*/true, slurm, said);
    } else {
      fleet::LabelOptions options;
      options.prefix = common.label_prefix;
      options.taint = common.act == "taint";
      options.run_id = run_id;
      const auto api = fleet::make_kube_api(fleet::in_cluster_connection());
      fleet::label_nodes(fleet::plan_labels(verdicts, options), options, /*apply=*/true, *api, said);
    }
  } catch (const Error& e) {
    outputs.note(NoteLevel::kWarning, "--act " + common.act + ": " + e.what());
  }
  std::istringstream lines(said.str());
  for (std::string line; std::getline(lines, line);) {
    outputs.note(NoteLevel::kInfo, line.rfind("# ", 0) == 0 ? line.substr(2) : line);
  }
}

// The progress line's context in a soak: the interval, the time left, the worst part so far (rank 0, on a
// terminal; judging re-reads the stream, so only a person watching pays for it).
std::string soak_progress(const SoakPlan& plan, int interval, double elapsed_s,
                          const std::function<std::vector<analysis::Verdict>()>& judge_so_far) {
  std::string text =
      "soak interval " + std::to_string(interval) + ", " + format_hms(plan.duration_s - elapsed_s) + " left";
  if (interval == 0) return text;
  const std::vector<analysis::Verdict> verdicts = judge_so_far();
  const auto worst = std::find_if(verdicts.begin(), verdicts.end(), [](const analysis::Verdict& v) {
    return v.status >= analysis::VerdictStatus::kWarn && v.component.kind != analysis::ComponentKind::kNode;
  });
  return text + ", worst so far: " +
         (worst == verdicts.end() ? std::string("none")
                                  : analysis::label(worst->component) + " " +
                                        (worst->status == analysis::VerdictStatus::kFail ? "FAIL" : "WARN"));
}

}  // namespace

int run_suite(const SuiteRunRequest& request, const Bootstrap& bootstrap, const SinkRegistry& sinks, std::ostream& out,
              std::ostream& err) {
  const CommonOptions& common = request.common;
  const Suite& suite = request.suite;
  const BackendChoice choice = choose_backend(common.backend, bootstrap, common.faults.pretend_gpu_rank);
  check_world(common, bootstrap);
  if (common.act == "label" || common.act == "taint") fleet::check_label_prefix(common.label_prefix);
  const Prepared prepared = prepare(request, bootstrap);
  const std::filesystem::path dir = prepare_output_dir(common.output_dir, bootstrap);
  const bool root = bootstrap.rank() == 0;

  RunManifest manifest = collect_manifest(request, bootstrap, choice);
  SinkFanout outputs;
  SummarySink* summary = nullptr;
  if (root) {
    outputs = sinks.open({dir, out, err, common.output_files});
    auto counter = std::make_unique<SummarySink>(common.min_avg_busbw_gbps);
    summary = counter.get();
    outputs.add(std::move(counter));
    outputs.begin_run(manifest);
  }

  // The watchdog watches communicator set-up too (ncclCommInitRank is the first call to hang on a bad
  // fabric); rank 0's diagnosis goes to its outputs, another rank's (rank 0 lost) to its console.
  Steps steps;
  HangFault hang(common.faults, bootstrap);  // before the watchdog: a hung rank never announces the step
  steps.attach(hang);
  WatchdogOptions watchdog_options;
  watchdog_options.timeout_s = common.timeout_s;
  Watchdog watchdog(bootstrap, watchdog_options, [root, &outputs, &err](const WatchdogReport& report) {
    if (root) {
      outputs.watchdog(report);
    } else {
      err << report.text << std::endl;
    }
  });
  steps.attach(watchdog);
  ProgressDisplay progress(root && isatty(STDERR_FILENO) == 1, err);
  steps.attach(progress);

  std::unique_ptr<Collective> collective;
  {
    const Steps::Scope step = steps.begin(StepKind::kSetup, "communicator set-up (" + choice.name + ")");
    collective =
        with_debug_faults(make_collective(choice, bootstrap, common.backend_options), common.faults, bootstrap.rank());
  }
  {  // Before anything is measured, on every rank alike: sizes whose buffers cannot fit end the run here.
    const BufferBudget budget = agreed_buffer_budget(bootstrap, *collective);
    for (const CollectiveTestSpec& spec : suite.tests) require_buffers_fit(spec, collective->size(), budget);
  }
  // Records pass through the stamp, which in a soak names each record's interval, then the interval summary,
  // which in a soak keeps one record per test, size and part per interval.
  IntervalSummary summarized(outputs);
  IntervalStamp stamped(summarized);
  const RunContext context{bootstrap, *collective, steps, stamped};
  Runner runner(context, common.runner);
  // Each host's counters around every test (a soak: every interval), recorded by rank 0.
  telemetry::RunTelemetry telemetry(bootstrap, stamped, steps, common.telemetry);
  const double p2p_timeout_s = common.timeout_s > 0 ? std::min(common.timeout_s, 60.0) : 30.0;
  // One pass over the tests; `stop` (a soak's, agreed over the ranks) is asked before each test.
  // Outside a soak each test is a telemetry window; in a soak each interval is one (hooks below).
  const bool window_per_test = !suite.soak;
  auto watched = [&](const std::string& name, const auto& test) {
    if (window_per_test) telemetry.open(name);
    test();
    if (window_per_test) telemetry.close();
  };
  auto one_pass = [&](const StopCheck& stop) {
    for (std::size_t t = 0; t < suite.tests.size(); ++t) {
      if (stop()) return;
      watched(suite.tests[t].name, [&] {
        runner.run(suite.tests[t]);
        if (prepared.bisect[t]) {
          run_collective_bisection(suite.tests[t], *prepared.bisect[t], suite.analysis.bisection, context);
        }
      });
    }
    for (const P2pTestSpec& spec : suite.p2p_tests) {
      if (stop()) return;
      watched(spec.name, [&] {
        if (spec.fabric) {
          run_fabric_suite_test(spec, prepared.topology.get(), suite.analysis.fabric, bootstrap, p2p_timeout_s, steps,
                                stamped);
        } else {
          run_p2p_suite_test(spec, bootstrap, p2p_timeout_s, suite.analysis, steps, stamped);
        }
      });
    }
  };
  const analysis::Baseline* baseline = prepared.baseline ? &*prepared.baseline : nullptr;
  const JudgeInputs judge_inputs{suite.analysis, baseline, common.baseline_path, common.profile};
  if (suite.soak) {
    SoakHooks hooks;
    hooks.pass = one_pass;
    hooks.interval_ends = [&](int) {
      summarized.flush();  // before anything judges the stream
      telemetry.close();
    };
    // Judged to decide (fail-early) or to show the worst part so far (the progress line), not reported: the
    // verdicts come once, at the end.
    // Fail-early judges at an interval's end; the progress line at the next one's start would judge the same
    // stream again, so it takes that judgement when there is one.
    std::optional<std::vector<analysis::Verdict>> judged_at_interval_end;
    auto judge_so_far = [&] {
      if (judged_at_interval_end) return *std::exchange(judged_at_interval_end, std::nullopt);
      VerdictCapture capture;
      judge_run(dir / "results.jsonl", judge_inputs, capture);
      return capture.judged;
    };
    hooks.failed_so_far = [&] {
      std::vector<analysis::Verdict> verdicts = judge_so_far();
      const bool failed = analysis::exit_code_of(verdicts) != kExitHealthy;
      if (progress.enabled()) judged_at_interval_end = std::move(verdicts);
      return failed;
    };
    hooks.interval_begins = [&](int interval, double elapsed_s) {
      if (progress.enabled()) progress.set_context(soak_progress(*suite.soak, interval, elapsed_s, judge_so_far));
      judged_at_interval_end.reset();
      telemetry.open("interval " + std::to_string(interval));
    };
    const SoakOutcome soak = [&] {
      try {
        return run_soak(*suite.soak, bootstrap, stamped, hooks, outputs);
      } catch (...) {  // the interval under way is measured data: on disk before the error ends the run
        try {
          summarized.flush();
        } catch (...) {
        }
        throw;
      }
    }();
    if (root) {
      outputs.note(NoteLevel::kInfo, "soak: " + describe(soak));
      const analysis::SoakOptions& judged = suite.analysis.soak;
      const int needed = analysis::soak_intervals_needed(judged);
      if (soak.intervals < needed) {
        outputs.note(NoteLevel::kWarning, "soak: drift and dips not judged: " + std::to_string(soak.intervals) +
                                              " interval(s), they need " + std::to_string(needed) +
                                              " (analysis.soak: warm-up " + std::to_string(judged.warmup_intervals) +
                                              " + reference " + std::to_string(judged.window_intervals) +
                                              " + 1); soak longer or give a shorter --interval");
      }
    }
  } else {
    one_pass([] { return false; });
  }

  int exit_code = kExitHealthy;
  if (root) {
    VerdictCapture judged(&outputs);
    const int verdict_code = judge_run(dir / "results.jsonl", judge_inputs, judged);
    act_on_verdicts(common, manifest, judged.judged, outputs);
    RunSummary totals = summary->summary();
    totals.exit_code = std::max(totals.exit_code, verdict_code);
    manifest.end_time = utc_now_iso8601();
    outputs.end_run(manifest, totals);
    exit_code = totals.exit_code;
  }
  progress.finish();
  return bootstrap.max_over_ranks(exit_code);
}

}  // namespace railcheck
