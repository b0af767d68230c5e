#include "railcheck/cli.h"

#include <CLI/CLI.hpp>

#include "analyze/analyze_cli.h"
#include "baseline/baseline_cli.h"
#include "gpu_check/gpu_check_cli.h"
#include "p2p/p2p_cli.h"
#include "railcheck/core/error.h"
#include "railcheck/run/sizes.h"
#include "simulate/simulate_cli.h"
#include "topology/topology_cli.h"

namespace railcheck {
namespace {

// Raw flag text for one sweep, converted and validated after CLI11 has parsed.
struct SweepFlags {
  std::string min_bytes = "32M", max_bytes = "32M", step_bytes = "1M";
  double step_factor = 1.0;
  int iters = 20, warmup_iters = 1, check = 1, root = 0, graph_launches = 0;
  std::string dtype = "float", op = "sum", placement = "both";
};

std::string cli_name(CollectiveKind kind) {
  std::string name(key_of(kind));
  std::erase(name, '_');
  return name;
}

void add_common_options(CLI::App& app, CommonOptions& common) {
  app.add_option("--backend", common.backend, "auto (NCCL when every rank sees a GPU, else MPI host), nccl or mpi")
      ->check(CLI::IsMember({"auto", "nccl", "mpi"}));
  app.add_option("--output-dir", common.output_dir,
                 "where results.jsonl (streamed) and results.json go; default railcheck-results/<time>-<job>");
  app.add_option("-T,--timeout", common.timeout_s,
                 "watchdog: seconds one step may take before the run is aborted "
                 "naming the missing ranks (0 disables)")
      ->check(CLI::NonNegativeNumber);
  app.add_flag("--record-samples", common.runner.record_samples, "keep every rank's per-iteration times");
  app.add_option("--debug-corrupt-rank", common.runner.faults.corrupt_rank,
                 "testing the checker: corrupt this rank's results after each check pass");
  app.add_option("--debug-hang-rank", common.runner.faults.hang_rank,
                 "testing the watchdog: this rank hangs before its first step");
  app.add_option("--debug-slow-rank", common.runner.faults.slow_rank,
                 "testing bisection: this rank sleeps --debug-slow-ms after each timed collective call");
  app.add_option("--debug-slow-ms", common.runner.faults.slow_ms, "milliseconds for --debug-slow-rank")
      ->check(CLI::NonNegativeNumber);
}

void add_sweep_options(CLI::App& app, SweepFlags& f) {
  app.add_option("-b,--minbytes", f.min_bytes, "minimum size (bytes; K, M, G suffixes)")->capture_default_str();
  app.add_option("-e,--maxbytes", f.max_bytes, "maximum size")->capture_default_str();
  app.add_option("-i,--stepbytes", f.step_bytes, "size increment when -f is not given")->capture_default_str();
  app.add_option("-f,--stepfactor", f.step_factor, "size multiplier (> 1 replaces -i)")->capture_default_str();
  app.add_option("-n,--iters", f.iters, "timed iterations per size")->capture_default_str();
  app.add_option("-w,--warmup_iters", f.warmup_iters, "warm-up iterations per size")->capture_default_str();
  app.add_option("-c,--check", f.check, "correctness passes per size (0 disables)")->capture_default_str();
  app.add_option("-d,--datatype", f.dtype, "element type or 'all': " + data_type_choices())->capture_default_str();
  app.add_option("-o,--op", f.op, "reduction or 'all': " + reduce_op_choices())->capture_default_str();
  app.add_option("-r,--root", f.root, "root rank (broadcast, reduce)")->capture_default_str();
  app.add_option("-G,--cudagraph", f.graph_launches, "capture the timed loop in a CUDA graph, replay it N times (NCCL)")
      ->capture_default_str();
  app.add_option("--placement", f.placement, "both, out_of_place or in_place")->capture_default_str();
}

std::size_t size_flag(const std::string& text, const char* flag) {
  if (auto size = parse_size(text)) return *size;
  throw InputError(std::string(flag) + " '" + text + "' is not a size; use bytes such as 8, 64K, 1M or 1G");
}

// Maps a spec problem's field to the flag a user typed.
std::string flag_of(const std::string& field) {
  if (field == "min_bytes") return "-b";
  if (field == "max_bytes") return "-e";
  if (field == "step_bytes") return "-i";
  if (field == "iters") return "-n";
  if (field == "warmup_iters") return "-w";
  if (field == "check") return "-c";
  if (field == "root") return "-r";
  if (field == "graph_launches") return "-G";
  return "--" + field;
}

std::vector<CollectiveTestSpec> sweep_specs(CollectiveKind kind, const SweepFlags& f) {
  CollectiveTestSpec base;
  base.kind = kind;
  base.name = std::string(key_of(kind));
  base.min_bytes = size_flag(f.min_bytes, "-b");
  base.max_bytes = size_flag(f.max_bytes, "-e");
  base.step_bytes = size_flag(f.step_bytes, "-i");
  base.step_factor = f.step_factor;
  base.iters = f.iters;
  base.warmup_iters = f.warmup_iters;
  base.check_iters = f.check;
  base.root = f.root;
  base.graph_launches = f.graph_launches;
  auto placement = parse_placement(f.placement);
  if (!placement) throw InputError("--placement '" + f.placement + "': choose both, out_of_place or in_place");
  base.placement = *placement;
  if (auto problem = validate(base)) throw InputError(flag_of(problem->field) + ": " + problem->message);

  std::vector<DataType> types;
  if (f.dtype == "all") {
    types.assign(all_data_types().begin(), all_data_types().end());
  } else if (auto type = parse_data_type(f.dtype)) {
    types.push_back(*type);
  } else {
    throw InputError("-d '" + f.dtype + "' is not a data type; choose one of " + data_type_choices() + ", all");
  }
  std::vector<ReduceOp> ops;
  if (f.op == "all") {
    ops.assign(all_reduce_ops().begin(), all_reduce_ops().end());
  } else if (auto op = parse_reduce_op(f.op)) {
    ops.push_back(*op);
  } else {
    throw InputError("-o '" + f.op + "' is not a reduction; choose one of " + reduce_op_choices() + ", all");
  }
  if (!takes_reduce_op(kind)) ops.resize(1);

  std::vector<CollectiveTestSpec> specs;
  for (DataType type : types) {
    for (ReduceOp op : ops) {
      CollectiveTestSpec spec = base;
      spec.type = type;
      spec.op = op;
      if (types.size() > 1 || ops.size() > 1) spec.name = test_key(spec);
      specs.push_back(spec);
    }
  }
  return specs;
}

bool known_command(std::string_view word) {
  return word == "run" || word == "version" || word == "p2p" || word == "topo" || word == "check-node" ||
         word == "baseline" || word == "analyze" || word == "gpu-check" || word == "simulate" ||
         parse_collective(word).has_value();
}

}  // namespace

Command parse_command_line(int argc, const char* const* argv) {
  Command command;
  for (int i = 0; i < argc; ++i) command.command_line += (i ? " " : "") + std::string(argv[i]);

  if (argc >= 2 && argv[1][0] != '-' && !known_command(argv[1])) {
    throw InputError("unknown collective or command '" + std::string(argv[1]) +
                     "'; collectives: " + collective_choices() +
                     " (also without underscores); commands: run, p2p, analyze, topo, check-node, baseline, "
                     "gpu-check, simulate, version");
  }

  CLI::App app{
      "railcheck: GPU-cluster collective benchmark and burn-in harness (run under mpirun/srun, one rank "
      "per GPU)",
      "railcheck"};
  app.require_subcommand(1);
  SweepFlags sweep;
  std::string suite_path;
  CLI::App* run = app.add_subcommand("run", "run a suite file (default: the embedded quick suite)");
  run->add_option("suite", suite_path, "suite JSON file, e.g. suites/quick.json");
  run->add_option("--baseline", command.common.baseline_path, "judge the run against this baseline file too");
  run->add_option("--profile", command.common.profile, "hardware profile of this cluster (a baseline must match it)");
  add_common_options(*run, command.common);
  CLI::App* version = app.add_subcommand("version", "print version and build configuration");
  P2pCli p2p_cli;
  CLI::App* p2p = p2p_cli.add(app, command.common);
  const TopologySubcommands topology = add_topology_subcommands(app, command.topology);
  const BaselineSubcommands baseline = add_baseline_subcommands(app, command.baseline);
  CLI::App* analyze = add_analyze_subcommand(app, command.analyze);
  GpuCheckCli gpu_check_cli;
  CLI::App* gpu_check = gpu_check_cli.add(app);
  SimulateCli simulate_cli;
  CLI::App* simulate = simulate_cli.add(app);
  std::vector<std::pair<CollectiveKind, CLI::App*>> collectives;
  for (CollectiveKind kind : all_collectives()) {
    CLI::App* sub = app.add_subcommand(cli_name(kind), "sweep " + std::string(key_of(kind)) + " like nccl-tests' " +
                                                           std::string(key_of(kind)) + "_perf");
    sub->alias(std::string(key_of(kind)));
    sub->alias(std::string(key_of(kind)) + "_perf");
    add_sweep_options(*sub, sweep);
    add_common_options(*sub, command.common);
    collectives.emplace_back(kind, sub);
  }

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp&) {
    command.kind = CommandKind::kHelp;
    command.help_text = app.help();
    for (const auto& [kind, sub] : collectives) {
      if (sub->parsed()) command.help_text = sub->help();
    }
    if (run->parsed()) command.help_text = run->help();
    if (p2p->parsed()) command.help_text = p2p->help();
    for (CLI::App* sub : {topology.topo, topology.check_node}) {
      if (sub->parsed()) command.help_text = sub->help();
    }
    if (analyze->parsed()) command.help_text = analyze->help();
    if (gpu_check->parsed()) command.help_text = gpu_check->help();
    if (simulate->parsed()) command.help_text = simulate->help();
    for (CLI::App* sub : {baseline.baseline, baseline.generate, baseline.merge}) {
      if (sub->parsed()) command.help_text = sub->help();
    }
    return command;
  } catch (const CLI::ParseError& e) {
    std::string what = e.what();
    if (argc < 2) what = "no command given; try: railcheck run   or   railcheck allreduce -b 8 -e 1G -f 2";
    throw InputError(what + " (see railcheck --help)");
  }

  for (const auto& [kind, sub] : collectives) {
    if (!sub->parsed()) continue;
    command.kind = CommandKind::kSweep;
    command.common.backend_given = sub->count("--backend") > 0;
    command.common.timeout_given = sub->count("--timeout") > 0;
    command.suite.name = std::string(key_of(kind));
    command.suite.source = "command line";
    command.suite.tests = sweep_specs(kind, sweep);
    return command;
  }
  if (run->parsed()) {
    command.kind = CommandKind::kRunSuite;
    command.common.backend_given = run->count("--backend") > 0;
    command.common.timeout_given = run->count("--timeout") > 0;
    command.suite = suite_path.empty() ? embedded_quick_suite() : load_suite(suite_path);
    if (command.suite.backend && !command.common.backend_given) command.common.backend = *command.suite.backend;
    if (command.suite.timeout_s && !command.common.timeout_given) command.common.timeout_s = *command.suite.timeout_s;
    if (command.common.profile.empty()) command.common.profile = command.suite.profile;
    return command;
  }
  if (p2p->parsed()) {
    command.kind = CommandKind::kP2p;
    command.p2p = p2p_cli.finish();
    return command;
  }
  if (gpu_check->parsed()) {
    command.kind = CommandKind::kGpuCheck;
    command.gpu_check = gpu_check_cli.finish();
    return command;
  }
  if (simulate->parsed()) {
    command.kind = CommandKind::kSimulate;
    command.simulate = simulate_cli.finish();
    return command;
  }
  if (topology.topo->parsed()) command.kind = CommandKind::kTopo;
  if (topology.check_node->parsed()) command.kind = CommandKind::kCheckNode;
  if (baseline.baseline->parsed()) command.kind = CommandKind::kBaseline;
  if (analyze->parsed()) command.kind = CommandKind::kAnalyze;
  if (version->parsed()) command.kind = CommandKind::kVersion;
  return command;
}

}  // namespace railcheck
