#include "railcheck/app.h"

#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <optional>

#include "build_info.h"
#include "p2p/p2p_suite_test.h"
#include "railcheck/analysis/analysis_options.h"
#include "railcheck/analysis/analyze.h"
#include "railcheck/analyze_command.h"
#include "railcheck/baseline/baseline_command.h"
#include "railcheck/cli.h"
#include "railcheck/core/error.h"
#include "railcheck/gpu_check/gpu_check_command.h"
#include "railcheck/output/output_dir.h"
#include "railcheck/output/sinks.h"
#include "railcheck/p2p/p2p_command.h"
#include "railcheck/run/backend.h"
#include "railcheck/run/collective_bisection.h"
#include "railcheck/run/runner.h"
#include "railcheck/run/watchdog.h"
#include "railcheck/simulate/simulate_command.h"
#include "railcheck/topology/topology_command.h"

namespace railcheck {
namespace {

// Before MPI is up, only the launcher's environment says which rank this is; rank 0 speaks for all.
bool is_launcher_rank_zero() {
  for (const char* name : {"OMPI_COMM_WORLD_RANK", "PMIX_RANK", "PMI_RANK", "SLURM_PROCID"}) {
    if (const char* value = std::getenv(name)) return std::string(value) == "0";
  }
  return true;
}

void print_error(const std::string& message) { std::cerr << "railcheck: error: " << message << std::endl; }

RunManifest collect_manifest(const Command& command, const Bootstrap& bootstrap, const BackendChoice& choice) {
  RunManifest m = base_manifest(command.command_line, command.suite.name, bootstrap);
  m.backend = choice.name;
  m.backend_reason = choice.reason;
  fill_cuda_versions(m);
  if (bootstrap.rank() == 0) m.topology = manifest_topology();  // rank 0's node; null when nothing found
  // Each rank describes its own GPU; rank 0 collects "device|name|uuid|bus".
  const auto gpu = describe_gpu(choice);
  const std::string mine =
      gpu ? std::to_string(gpu->device) + "|" + gpu->name + "|" + gpu->uuid + "|" + gpu->pci_bus_id : "";
  const auto all = bootstrap.gather_strings(mine, 0);
  for (std::size_t r = 0; r < m.ranks.size(); ++r) {
    if (r < all.size() && !all[r].empty()) {
      GpuDescription d;
      std::string rest = all[r];
      auto take = [&rest]() {
        const auto bar = rest.find('|');
        std::string field = rest.substr(0, bar);
        rest = bar == std::string::npos ? "" : rest.substr(bar + 1);
        return field;
      };
      d.device = std::stoi(take());
      d.name = take();
      d.uuid = take();
      d.pci_bus_id = take();
      m.ranks[r].gpu = d;
    }
  }
  return m;
}

// Rank 0: verdicts over everything the run recorded, printed and written to the results files.
int judge_run(const Command& command, const analysis::Baseline* baseline, ResultsFiles& files) {
  const std::vector<analysis::Verdict> verdicts =
      analysis::analyze_records(files.records(), command.suite.analysis, baseline);
  analysis::print_verdicts(std::cout, verdicts);
  nlohmann::json about = {
      {"options", analysis::to_json(command.suite.analysis)},
      {"baseline",
       command.common.baseline_path.empty() ? nlohmann::json(nullptr) : nlohmann::json(command.common.baseline_path)},
      {"profile", command.common.profile}};
  files.set_analysis(std::move(about), analysis::verdicts_json(verdicts));
  return analysis::exit_code_of(verdicts);
}

// What a bisecting test's groups are judged against: the suite's number, else the baseline's group entry for
// the test at the bisection size. Neither: an input error before anything is measured.
BisectionExpectation bisection_expectation(const Command& command, const CollectiveTestSpec& spec,
                                           const analysis::Baseline* baseline, int world_size) {
  const std::string where = command.suite.source + ": test '" + spec.name + "': bisect";
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

int run_measurements(const Command& command, const Bootstrap& bootstrap) {
  const BackendChoice choice = choose_backend(command.common.backend, bootstrap);
  for (const CollectiveTestSpec& spec : command.suite.tests) {
    if (auto problem = validate(spec, bootstrap.size())) {
      throw InputError(command.suite.source + ": test '" + spec.name + "': " + problem->field + ": " +
                       problem->message);
    }
  }
  // A bad baseline is an input error on every rank before anything is measured.
  std::optional<analysis::Baseline> baseline;
  if (!command.common.baseline_path.empty()) {
    baseline = analysis::load_baseline(command.common.baseline_path);
    analysis::check_profile(*baseline, command.common.profile);
  }
  std::vector<std::optional<BisectionExpectation>> bisect_expected;
  for (const CollectiveTestSpec& spec : command.suite.tests) {
    bisect_expected.push_back(
        spec.bisect.enabled
            ? std::optional(bisection_expectation(command, spec, baseline ? &*baseline : nullptr, bootstrap.size()))
            : std::nullopt);
  }
  const std::filesystem::path dir = prepare_output_dir(command.common.output_dir, bootstrap);
  const bool root = bootstrap.rank() == 0;
  SinkList sinks;
  ResultsFilesSink* files_sink = nullptr;
  // The watchdog watches communicator set-up too (ncclCommInitRank is the first call to hang on a bad
  // fabric); its last word goes to the console and, on rank 0, into results.jsonl.
  const std::filesystem::path stream_path = dir / "results.jsonl";
  Watchdog watchdog(bootstrap, command.common.timeout_s, [root, stream_path](const WatchdogReport& report) {
    std::cerr << report.text << std::endl;
    if (root && !append_line_now(stream_path, to_json(report))) {
      std::cerr << "railcheck watchdog: could not append the report to " << stream_path.string() << std::endl;
    }
  });
  std::unique_ptr<Collective> collective;
  {
    const Watchdog::Scope init(watchdog, 0, "communicator set-up (" + choice.name + ")");
    collective = make_collective(choice, bootstrap);
  }
  RunManifest manifest = collect_manifest(command, bootstrap, choice);
  if (root) {
    sinks.add(std::make_unique<ConsoleTableSink>(std::cout));
    auto files = std::make_unique<ResultsFilesSink>(dir);
    files_sink = files.get();
    sinks.add(std::move(files));
    sinks.begin_run(manifest);
  }
  Runner runner(bootstrap, *collective, watchdog, root ? &sinks : nullptr, command.common.runner);
  for (std::size_t t = 0; t < command.suite.tests.size(); ++t) {
    const CollectiveTestSpec& spec = command.suite.tests[t];
    runner.run(spec);
    if (!bisect_expected[t]) continue;
    const BisectionOutput output{root ? &files_sink->files() : nullptr, root ? &std::cout : nullptr};
    run_collective_bisection(spec, *bisect_expected[t], command.suite.analysis.bisection, bootstrap, *collective,
                             watchdog, command.common.runner.faults, runner, output);
  }

  RunSummary summary = root ? runner.summary() : RunSummary{};
  const double p2p_timeout_s = command.common.timeout_s > 0 ? std::min(command.common.timeout_s, 60.0) : 30.0;
  for (const P2pTestSpec& spec : command.suite.p2p_tests) {
    const SuiteOutput output{root ? &files_sink->files() : nullptr, root ? &summary : nullptr,
                             root ? &std::cout : nullptr};
    run_p2p_suite_test(spec, bootstrap, p2p_timeout_s, command.suite.analysis, output,
                       StepWatch{&watchdog, [&runner] { return runner.next_step(); }});
  }

  int exit_code = kExitHealthy;
  if (root) {
    const int verdict_code = judge_run(command, baseline ? &*baseline : nullptr, files_sink->files());
    summary.exit_code = std::max({summary.exit_code, verdict_code, summary.problems.empty() ? 0 : kExitDegraded});
    manifest.end_time = utc_now_iso8601();
    sinks.end_run(manifest, summary);
    exit_code = summary.exit_code;
    std::cout << "# results: " << (dir / "results.json").string() << " (streamed: " << (dir / "results.jsonl").string()
              << ")" << std::endl;
  }
  return bootstrap.max_over_ranks(exit_code);
}

}  // namespace

int run_app(int argc, char** argv) {
  Command command;
  try {
    command = parse_command_line(argc, argv);
  } catch (const InputError& e) {
    if (is_launcher_rank_zero()) print_error(e.what());
    return kExitHarnessError;
  }
  if (command.kind == CommandKind::kHelp) {
    if (is_launcher_rank_zero()) std::cout << command.help_text;
    return kExitHealthy;
  }
  if (command.kind == CommandKind::kVersion) {
    std::cout << "railcheck " << build_info::kVersion << " (" << build_info::kGitRevision << ")\n"
              << "compiler: " << build_info::kCompiler << "\n"
              << "backends: mpi" << (build_info::kWithNccl ? ", nccl" : "") << "\n";
    return kExitHealthy;
  }

  // Topology commands read this node only: no MPI.
  if (command.kind == CommandKind::kTopo) return run_topo_command(command.topology, std::cout, std::cerr);
  if (command.kind == CommandKind::kCheckNode) return run_check_node_command(command.topology, std::cout, std::cerr);
  // Baselines are files in, a file out: no MPI either.
  if (command.kind == CommandKind::kBaseline) return run_baseline_command(command.baseline, std::cout, std::cerr);
  if (command.kind == CommandKind::kAnalyze) return run_analyze_command(command.analyze, std::cout, std::cerr);
  // The simulator models a fabric: no MPI.
  if (command.kind == CommandKind::kSimulate) return run_simulate_command(command.simulate, std::cout, std::cerr);
  // Single-GPU checks: one process per GPU under any launcher, or alone; no MPI.
  if (command.kind == CommandKind::kGpuCheck) {
    return run_gpu_check_command(command.gpu_check, command.command_line, std::cout, std::cerr);
  }

  MpiRuntime mpi(&argc, &argv);
  int world_size = 1;
  MPI_Comm_size(MPI_COMM_WORLD, &world_size);
  try {
    const Bootstrap bootstrap;
    if (!mpi.thread_multiple() && command.common.timeout_s > 0 && bootstrap.rank() == 0) {
      std::cerr << "railcheck: warning: MPI lacks MPI_THREAD_MULTIPLE; the watchdog may misbehave" << std::endl;
    }
    if (command.kind == CommandKind::kP2p) return run_p2p(command, bootstrap);
    return run_measurements(command, bootstrap);
  } catch (const InputError& e) {
    // Raised the same way on every rank (validation and agreed decisions): exit cleanly together.
    int rank = 0;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    if (rank == 0) print_error(e.what());
    return kExitHarnessError;
  } catch (const std::exception& e) {
    // One rank's failure: the others would wait for it forever, so take the job down.
    // end_job() exits by itself when MPI_Abort cannot reach a host.
    print_error(e.what());
    if (world_size > 1) end_job(kExitHarnessError);
    return kExitHarnessError;
  }
}

}  // namespace railcheck
