#include "railcheck/commands/run/run_command.h"

#include <CLI/CLI.hpp>
#include <algorithm>
#include <array>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <optional>

#include "railcheck/commands/run/run_suite.h"
#include "railcheck/core/error.h"
#include "railcheck/plan/sizes.h"
#include "railcheck/topology/profile.h"

namespace railcheck {
namespace {

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
  app.add_option("--expect-gpus", common.expect_gpus,
                 "GPUs each host must show; a host with fewer fails its node (verdict, exit 1)")
      ->check(CLI::NonNegativeNumber);
  app.add_flag("!--no-telemetry", common.telemetry.enabled,
               "do not sample the nodes' counters (interfaces, TCP, RDMA ports, GPUs) around each test");
  app.add_option("--telemetry-period", common.telemetry.period_s,
                 "seconds between the sampler's reads while a test runs (default 1)")
      ->check(CLI::Validator(
          [](const std::string& text) {
            char* end = nullptr;
            const double value = std::strtod(text.c_str(), &end);
            return end != text.c_str() && *end == '\0' && std::isfinite(value) && value > 0
                       ? std::string()
                       : "'" + text + "' is not a period; give seconds above 0, e.g. 1 or 0.5";
          },
          "SECONDS"));
  app.add_option("--telemetry-exclude", common.telemetry.exclude,
                 "interfaces and RDMA devices the sampler leaves alone (shell patterns; replaces the default list "
                 "of container and VM interfaces and lo)");
  app.add_option_function<std::string>(
      "--junit", [&common](const std::string& file) { common.output_files["junit"] = file; },
      "also write a JUnit XML report (FILE.xml): one testcase per judged component, failures with evidence and "
      "action");
  app.add_option_function<std::string>(
      "--prom", [&common](const std::string& file) { common.output_files["prometheus"] = file; },
      "also write the verdicts and figures as Prometheus metrics for node_exporter's textfile collector "
      "(FILE.prom, replaced atomically)");
  app.add_option("--expect-ranks", common.expect_ranks,
                 "the world size the job asked for: any other ends the run before measuring (exit 2), naming the "
                 "hosts seen (a launcher that ignored its host list runs every rank on one host)")
      ->check(CLI::PositiveNumber);
  app.add_option("--expect-hosts", common.expect_hosts,
                 "the distinct hosts the job asked for: any other count ends the run before measuring (exit 2)")
      ->check(CLI::PositiveNumber);
  app.add_option("--act", common.act,
                 "what the run does about its verdicts: drain (Slurm: scontrol drain the failing nodes, reason "
                 "\"railcheck: <part> ...\"; needs Slurm operator rights), label (Kubernetes: railcheck.io/ labels "
                 "on every judged node) or taint (label, and taint failing nodes NoSchedule); never touches what "
                 "someone else set")
      ->check(CLI::IsMember({"drain", "label", "taint"}));
  app.add_option("--label-prefix", common.label_prefix,
                 "--act label / taint: railcheck's label and taint prefix (default railcheck.io/)");
  app.add_option("--max-drain", common.max_drain,
                 "--act drain: most nodes to drain; more failing nodes drain none (default: a quarter of the hosts)")
      ->check(CLI::NonNegativeNumber);
  app.add_option("--debug-corrupt-rank", common.faults.corrupt_rank,
                 "testing the checker: corrupt this rank's results after each check pass");
  app.add_option("--debug-flip-bit-rank", common.faults.flip_bit_rank,
                 "testing the checker: flip the lowest bit of one element of this rank's results");
  app.add_option("--debug-hang-rank", common.faults.hang_rank,
                 "testing the watchdog: this rank hangs before its first measurement");
  app.add_option("--debug-slow-rank", common.faults.slow_rank,
                 "testing bisection: this rank sleeps --debug-slow-ms after each collective call");
  app.add_option("--debug-slow-ms", common.faults.slow_ms, "milliseconds for --debug-slow-rank")
      ->check(CLI::NonNegativeNumber);
  app.add_option("--debug-pretend-gpu-rank", common.faults.pretend_gpu_rank,
                 "testing --backend auto: this rank reports one usable CUDA device");
}

// NCCL_TESTS_MIN_BW, read as nccl-tests reads it: the run fails when its Avg bus bandwidth is below 0.9 x
// this many GB/s. Unset or empty: no minimum.
std::optional<double> min_avg_busbw_from_environment() {
  const char* text = std::getenv("NCCL_TESTS_MIN_BW");
  if (text == nullptr || *text == '\0') return std::nullopt;
  char* end = nullptr;
  const double value = std::strtod(text, &end);
  if (end == text || *end != '\0' || !std::isfinite(value) || value < 0) {
    throw InputError("NCCL_TESTS_MIN_BW='" + std::string(text) +
                     "' is not a bandwidth in GB/s; give a number such as 180, or unset it");
  }
  return value;
}

// After parsing, for run and the sweeps alike: which common flags were given, and the environment's minimum.
void finish_common_options(const CLI::App& app, CommonOptions& common) {
  common.min_avg_busbw_gbps = min_avg_busbw_from_environment();
  common.backend_given = app.count("--backend") > 0;
  common.timeout_given = app.count("--timeout") > 0;
}

// `railcheck run [suite]`: the suite file's settings unless a flag says otherwise. `railcheck soak [suite]`: the
// same, as a soak (the suite's "soak" object, or --duration).
class SuiteCommand final : public RunCommand {
 public:
  SuiteCommand(CLI::App& sub, bool soak) : sub_(sub), soak_(soak) {
    sub.add_option("suite", suite_path_, "suite JSON file, e.g. suites/quick.json");
    if (soak) {
      sub.add_option("--duration", duration_, "how long to soak: 4h, 30m, 90s (the suite's soak.duration otherwise)");
      sub.add_option("--interval", interval_,
                     "an interval repeats the tests until this long has passed (default 60s; drift is judged per "
                     "interval)");
      sub.add_option("--max-intervals", max_intervals_, "stop after this many intervals too")
          ->check(CLI::NonNegativeNumber);
      sub.add_flag("--fail-early", fail_early_, "stop after the first interval whose records fail a part");
    }
    sub.add_option("--baseline", request_.common.baseline_path, "judge the run against this baseline file too");
    sub.add_option("--topology", request_.common.topology_path,
                   "the fabric (railcheck-topo file, ibnetdiscover or iblinkinfo output) the suite's fabric tests "
                   "plan their stages over and name links of (docs/fabric.md); without it they are skipped");
    sub.add_option("--routes", request_.common.routes_path,
                   "the switches' forwarding tables (dump_lfts.sh / ibroute output, or OpenSM's opensm-lfts.dump) "
                   "that route --topology: exact InfiniBand routes, any shape, a greedy plan; or `ecmp`: the "
                   "switches hash each flow onto one of its shortest paths (RoCE, routed Ethernet), untraced; "
                   "without it a leaf-spine tree routed destination-mod-k");
    sub.add_option("--profile", request_.common.profile,
                   "hardware profile of this cluster: a name (a baseline must match it) or a profile file such as "
                   "suites/profiles/dgx-h100.json (its name, and its GPU count as --expect-gpus)");
    add_common_options(sub, request_.common);
  }

  void finish() override {
    CommonOptions& common = request_.common;
    finish_common_options(sub_, common);
    request_.suite = suite_path_.empty() ? embedded_quick_suite() : load_suite(suite_path_);
    if (request_.suite.backend && !common.backend_given) common.backend = *request_.suite.backend;
    if (request_.suite.timeout_s && !common.timeout_given) common.timeout_s = *request_.suite.timeout_s;
    if (common.profile.empty()) common.profile = request_.suite.profile;
    if (common.profile.ends_with(".json")) {
      // A profile file: its name is the run's profile (a baseline must match it), its GPU count what every
      // host must show unless --expect-gpus says otherwise.
      const HardwareProfile profile = load_profile(common.profile);
      common.profile = profile.name;
      if (profile.gpus.count) request_.suite.analysis.inventory.expect_gpus = *profile.gpus.count;
    }
    if (common.expect_gpus >= 0) request_.suite.analysis.inventory.expect_gpus = common.expect_gpus;
    if (soak_) finish_soak();
  }

 private:
  void finish_soak() {
    SoakPlan plan = request_.suite.soak.value_or(SoakPlan{});
    auto seconds = [](const std::string& text, const char* flag) {
      if (auto value = parse_duration(text)) return *value;
      throw InputError(std::string(flag) + " '" + text + "' is not a duration; give one such as 4h, 30m or 90s");
    };
    if (!duration_.empty()) plan.duration_s = seconds(duration_, "--duration");
    if (!interval_.empty()) plan.interval_s = seconds(interval_, "--interval");
    if (sub_.count("--max-intervals") > 0) plan.max_intervals = max_intervals_;
    if (fail_early_) plan.fail_early = true;
    if (!request_.suite.soak && duration_.empty()) {
      throw InputError("railcheck soak: " + request_.suite.source +
                       " has no \"soak\" object; give --duration (e.g. --duration 4h) or a suite with one, such as "
                       "suites/burnin.json");
    }
    if (auto problem = soak_plan_problem(plan)) throw InputError("railcheck soak: " + *problem);
    request_.suite.soak = plan;
  }

  CLI::App& sub_;
  bool soak_;
  std::string suite_path_;
  std::string duration_, interval_;
  int max_intervals_ = 0;
  bool fail_early_ = false;
};

// Raw flag text for one sweep, converted and validated in finish().
struct SweepFlags {
  std::string min_bytes = "32M", max_bytes = "32M", step_bytes = "1M";
  double step_factor = 1.0;
  int iters = 20, warmup_iters = 1, check = 1, root = 0, graph_launches = 0;
  int gpus_per_thread = 1, threads = 1;  ///< nccl-tests' -g / -t: railcheck is always one rank per GPU
  int average = 1;                       ///< nccl-tests' -a
  int cycles = 1, blocking = 0, parallel_init = 0, report_timestamps = 0, report_cputime = 0;
  std::string dtype = "float", op = "sum", placement = "both", timing = "loop", output_file;
  std::string memory_report, local_register;  ///< -M, -R: refused until railcheck has them
  int cta_policy = -1;                        ///< -x: NCCL's CTA policy; -1 not given
};

// nccl-tests' flags railcheck does not have yet: refused in one line each, never silently ignored.
struct NotYetFlag {
  const char* names;
  std::string SweepFlags::*value;
  const char* what;
};
constexpr std::array kNotYetFlags = {
    NotYetFlag{"-M,--memory", &SweepFlags::memory_report, "the GPU memory report (nccl-tests' -M)"},
    NotYetFlag{"-R,--local_register", &SweepFlags::local_register,
               "NCCL buffer registration (nccl-tests' -R, ncclCommRegister / symmetric windows)"},
};

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
  if (field == "cycles") return "-N";
  if (field == "blocking") return "-z";
  if (field == "timing") return "--timing";
  if (field == "report_cputime") return "-C";
  return "--" + field;
}

// `railcheck allreduce ...`: nccl-tests' flags; -d all / -o all expand to one test per type and operator.
class SweepCommand final : public RunCommand {
 public:
  SweepCommand(CLI::App& sub, CollectiveKind kind) : sub_(sub), kind_(kind) {
    SweepFlags& f = flags_;
    sub.add_option("-b,--minbytes", f.min_bytes, "minimum size (bytes; K, M, G suffixes)")->capture_default_str();
    sub.add_option("-e,--maxbytes", f.max_bytes, "maximum size")->capture_default_str();
    sub.add_option("-i,--stepbytes", f.step_bytes, "size increment when -f is not given")->capture_default_str();
    sub.add_option("-f,--stepfactor", f.step_factor, "size multiplier (> 1 replaces -i)")->capture_default_str();
    sub.add_option("-n,--iters", f.iters, "timed iterations per size")->capture_default_str();
    sub.add_option("-w,--warmup_iters", f.warmup_iters, "warm-up iterations per size")->capture_default_str();
    sub.add_option("-c,--check", f.check, "correctness passes per size (0 disables)")->capture_default_str();
    sub.add_option("-d,--datatype", f.dtype, "element type or 'all': " + data_type_choices())->capture_default_str();
    sub.add_option("-o,--op", f.op, "reduction or 'all': " + reduce_op_choices())->capture_default_str();
    sub.add_option("-r,--root", f.root, "root rank (broadcast, reduce)")->capture_default_str();
    sub.add_option("-G,--cudagraph", f.graph_launches,
                   "capture the timed loop in a CUDA graph, replay it N times (NCCL)")
        ->capture_default_str();
    sub.add_option("--placement", f.placement, "both, out_of_place or in_place")->capture_default_str();
    sub.add_option("-a,--average", f.average,
                   "the row's time from the ranks' times: 0 rank 0's, 1 the mean, 2 the fastest, 3 the slowest")
        ->check(CLI::Range(0, 3))
        ->capture_default_str();
    sub.add_option("-g,--ngpus", f.gpus_per_thread, "GPUs per rank: 1 (one rank per GPU; nccl-tests' -g)")
        ->capture_default_str();
    sub.add_option("-t,--nthreads", f.threads, "threads per rank: 1 (nccl-tests' -t)")->capture_default_str();
    sub.add_option("-N,--run_cycles", f.cycles,
                   "run the size sweep this many times (nccl-tests' 0, forever, is refused)")
        ->capture_default_str();
    sub.add_option("-z,--blocking", f.blocking,
                   "after each call: 0 nothing, 1 wait for the stream and a barrier, 2 wait only, 3 wait and a barrier "
                   "left out of the time (needs --timing loop)")
        ->check(CLI::Range(0, 3))
        ->capture_default_str();
    sub.add_option("-p,--parallel_init", f.parallel_init,
                   "0 or 1, accepted for copied command lines: with one rank per GPU every rank already sets up its "
                   "own communicator, in parallel with the others")
        ->check(CLI::Range(0, 1))
        ->capture_default_str();
    sub.add_option("-S,--report_timestamps", f.report_timestamps, "1: each row ends with the local time")
        ->check(CLI::Range(0, 1))
        ->capture_default_str();
    sub.add_option("-C,--report_cputime", f.report_cputime,
                   "1: the time columns show rank 0's host time to queue a call (needs --timing loop)")
        ->check(CLI::Range(0, 1))
        ->capture_default_str();
    sub.add_option("-J,--output_file", f.output_file,
                   "also write nccl-tests' JSON (version 3) to this file; the name must end in .json")
        ->type_name("FILE.json");
    sub.add_option("-x,--cta_policy", f.cta_policy,
                   "NCCL's CTA policy for the communicator: 0 default, 1 efficiency, 2 zero (NCCL backend, "
                   "NCCL >= 2.27)")
        ->check(CLI::Range(0, 2));
    sub.add_option("--timing", f.timing,
                   "loop: the host clock around the whole timed loop, as nccl-tests (default); events: a GPU "
                   "event per call behind a stream latch")
        ->capture_default_str();
    for (const NotYetFlag& flag : kNotYetFlags) {
      sub.add_option(flag.names, f.*flag.value, std::string(flag.what) + ": not supported yet (refused)");
    }
    add_common_options(sub, request_.common);
  }

  void finish() override {
    finish_common_options(sub_, request_.common);
    for (const NotYetFlag& flag : kNotYetFlags) {
      const std::string& value = flags_.*flag.value;
      if (value.empty()) continue;
      const std::string name(flag.names, std::string_view(flag.names).find(','));
      throw InputError(name + " " + value + ": " + flag.what + " is not supported yet; run without " + name);
    }
    if (!flags_.output_file.empty()) {
      const std::filesystem::path file = flags_.output_file;
      std::string extension = file.extension().string();
      std::transform(extension.begin(), extension.end(), extension.begin(), ::tolower);
      if (extension != ".json") {
        throw InputError("-J '" + flags_.output_file +
                         "': nccl-tests writes its JSON only to a name ending in .json (it ignores any other); "
                         "name the file " +
                         file.stem().string() + ".json");
      }
      request_.common.output_files["nccl_tests_json"] = file;
    }
    if (flags_.cta_policy >= 0) request_.common.backend_options.cta_policy = flags_.cta_policy;
    request_.suite.name = std::string(key_of(kind_));
    request_.suite.source = "command line";
    request_.suite.tests = specs();
    if (request_.common.expect_gpus >= 0) request_.suite.analysis.inventory.expect_gpus = request_.common.expect_gpus;
  }

 private:
  std::vector<CollectiveTestSpec> specs() const {
    const SweepFlags& f = flags_;
    // nccl-tests drives several GPUs from one process with -g and -t; railcheck is one rank per GPU, so only
    // the "-g 1 -t 1" of copied command lines means anything.
    for (const auto& [flag, value] : {std::pair<const char*, int>{"-g", f.gpus_per_thread}, {"-t", f.threads}}) {
      if (value != 1) {
        throw InputError(std::string(flag) + " " + std::to_string(value) +
                         ": railcheck runs one rank per GPU; launch one rank per GPU instead (mpirun -n <GPUs>, "
                         "or srun --ntasks-per-node=<GPUs per node> --gpus-per-task=1)");
      }
    }
    CollectiveTestSpec base;
    base.kind = kind_;
    base.name = std::string(key_of(kind_));
    base.min_bytes = size_flag(f.min_bytes, "-b");
    base.max_bytes = size_flag(f.max_bytes, "-e");
    base.step_bytes = size_flag(f.step_bytes, "-i");
    base.step_factor = f.step_factor;
    base.iters = f.iters;
    base.warmup_iters = f.warmup_iters;
    base.check_iters = f.check;
    base.root = f.root;
    base.graph_launches = f.graph_launches;
    base.average = static_cast<TimeAggregation>(f.average);
    base.cycles = f.cycles;
    base.blocking = static_cast<Blocking>(f.blocking);
    base.report_timestamps = f.report_timestamps == 1;
    base.report_cputime = f.report_cputime == 1;
    auto timing = parse_timing_window(f.timing);
    if (!timing) throw InputError("--timing '" + f.timing + "': choose loop (nccl-tests' host clock) or events");
    base.timing = *timing;
    if (f.cycles == 0) {
      throw InputError("-N 0: nccl-tests' run-forever; railcheck ends every run by itself: give a count of cycles");
    }
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
    if (!takes_reduce_op(kind_)) ops.resize(1);

    std::vector<CollectiveTestSpec> out;
    for (DataType type : types) {
      for (ReduceOp op : ops) {
        CollectiveTestSpec spec = base;
        spec.type = type;
        spec.op = op;
        if (types.size() > 1 || ops.size() > 1) spec.name = test_key(spec);
        out.push_back(spec);
      }
    }
    return out;
  }

  CLI::App& sub_;
  CollectiveKind kind_;
  SweepFlags flags_;
};

}  // namespace

int RunCommand::run(const CommandEnv& env) {
  request_.command_line = env.command_line;
  return run_suite(request_, *env.bootstrap, env.sinks, env.out, env.err);
}

CommandSpec run_command_spec() {
  return {"run", {}, "run a suite file (default: the embedded quick suite)", [](CLI::App& sub) {
            return std::make_unique<SuiteCommand>(sub, false);
          }};
}

CommandSpec soak_command_spec() {
  return {"soak",
          {},
          "burn-in: run a suite's tests again and again in intervals for a duration, judging drift and dips "
          "(e.g. railcheck soak suites/burnin.json --duration 4h)",
          [](CLI::App& sub) { return std::make_unique<SuiteCommand>(sub, true); }};
}

std::vector<CommandSpec> sweep_command_specs() {
  std::vector<CommandSpec> specs;
  for (CollectiveKind kind : all_collectives()) {
    const std::string key(key_of(kind));
    std::string name = key;
    std::erase(name, '_');
    specs.push_back(
        {name, {key, key + "_perf"}, "sweep " + key + " like nccl-tests' " + key + "_perf", [kind](CLI::App& sub) {
           return std::make_unique<SweepCommand>(sub, kind);
         }});
  }
  return specs;
}

}  // namespace railcheck
