#include "railcheck/app.h"

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <iostream>

#include "build_info.h"
#include "railcheck/backend.h"
#include "railcheck/cli.h"
#include "railcheck/collectives/error.h"
#include "railcheck/output_dir.h"
#include "railcheck/p2p/p2p_command.h"
#include "railcheck/runner.h"
#include "railcheck/sinks.h"
#include "railcheck/topology/topology_command.h"
#include "railcheck/watchdog.h"

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

int run_measurements(const Command& command, const Bootstrap& bootstrap) {
  const BackendChoice choice = choose_backend(command.common.backend, bootstrap);
  for (const CollectiveTestSpec& spec : command.suite.tests) {
    if (auto problem = validate(spec, bootstrap.size())) {
      throw InputError(command.suite.source + ": test '" + spec.name + "': " + problem->field + ": " + problem->message);
    }
  }
  const std::filesystem::path dir = prepare_output_dir(command.common.output_dir, bootstrap);
  std::unique_ptr<Collective> collective = make_collective(choice, bootstrap);
  RunManifest manifest = collect_manifest(command, bootstrap, choice);

  SinkList sinks;
  if (bootstrap.rank() == 0) {
    sinks.add(std::make_unique<ConsoleTableSink>(std::cout));
    sinks.add(std::make_unique<ResultsFilesSink>(dir));
    sinks.begin_run(manifest);
  }
  Watchdog watchdog(bootstrap, command.common.timeout_s, [](const std::string& text) { std::cerr << text << std::endl; });
  Runner runner(bootstrap, *collective, watchdog, bootstrap.rank() == 0 ? &sinks : nullptr, command.common.runner);
  for (const CollectiveTestSpec& spec : command.suite.tests) runner.run(spec);

  int exit_code = kExitHealthy;
  if (bootstrap.rank() == 0) {
    manifest.end_time = utc_now_iso8601();
    sinks.end_run(manifest, runner.summary());
    exit_code = runner.summary().exit_code;
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
    print_error(e.what());
    if (world_size > 1) MPI_Abort(MPI_COMM_WORLD, kExitHarnessError);
    return kExitHarnessError;
  }
}

}  // namespace railcheck
