// The command line: nccl-tests-style sweeps, suite runs, help and version; one-line InputErrors.
#include <gtest/gtest.h>

#include <filesystem>
#include <set>
#include <string>
#include <vector>

#include "command_line_helpers.h"
#include "railcheck/commands/p2p/p2p_command.h"
#include "railcheck/commands/run/run_command.h"
#include "railcheck/core/error.h"
#include "source_tree.h"

namespace railcheck {
namespace {

using test::cli_error;
using test::contains;
using test::parse;

/// The suite run a parsed `run` or sweep command line asks for.
const SuiteRunRequest& request_of(const ParsedCommandLine& parsed) {
  return test::command_as<RunCommand>(parsed).request();
}

TEST(CommandLine, NcclTestsStyleFlagsGiveOneSpecWithThoseValues) {
  const ParsedCommandLine parsed = parse(
      {"allreduce", "-b", "8", "-e", "1G", "-f", "2", "-n", "20", "-w", "5", "-c", "1", "-d", "float", "-o", "sum"});
  EXPECT_EQ(parsed.name, "allreduce");
  EXPECT_EQ(parsed.command_line, "railcheck allreduce -b 8 -e 1G -f 2 -n 20 -w 5 -c 1 -d float -o sum");
  const SuiteRunRequest& cmd = request_of(parsed);
  EXPECT_EQ(cmd.suite.name, "all_reduce");
  ASSERT_EQ(cmd.suite.tests.size(), 1u);
  const CollectiveTestSpec& t = cmd.suite.tests[0];
  EXPECT_EQ(t.name, "all_reduce");
  EXPECT_EQ(t.kind, CollectiveKind::kAllReduce);
  EXPECT_EQ(t.min_bytes, 8u);
  EXPECT_EQ(t.max_bytes, 1u << 30);
  EXPECT_EQ(t.step_factor, 2.0);
  EXPECT_EQ(t.iters, 20);
  EXPECT_EQ(t.warmup_iters, 5);
  EXPECT_EQ(t.check_iters, 1);
  EXPECT_EQ(t.type, DataType::kFloat32);
  EXPECT_EQ(t.op, ReduceOp::kSum);
  EXPECT_FALSE(cmd.common.backend_given);
  EXPECT_EQ(cmd.common.backend, "auto");
}

TEST(CommandLine, NonDefaultSweepFlagsReachTheSpec) {
  const ParsedCommandLine parsed = parse(
      {"reduce", "-b", "1K",  "-e", "64K", "-i", "4K", "-n",          "7",        "-w",        "0",   "-c", "0", "-d",
       "bf16",   "-o", "max", "-r", "3",   "-G", "2",  "--placement", "in_place", "--backend", "mpi", "-T", "30"});
  const SuiteRunRequest& cmd = request_of(parsed);
  ASSERT_EQ(cmd.suite.tests.size(), 1u);
  const CollectiveTestSpec& t = cmd.suite.tests[0];
  EXPECT_EQ(t.kind, CollectiveKind::kReduce);
  EXPECT_EQ(t.min_bytes, 1024u);
  EXPECT_EQ(t.max_bytes, 65536u);
  EXPECT_EQ(t.step_bytes, 4096u);
  EXPECT_EQ(t.step_factor, 1.0);
  EXPECT_EQ(t.iters, 7);
  EXPECT_EQ(t.warmup_iters, 0);
  EXPECT_EQ(t.check_iters, 0);
  EXPECT_EQ(t.type, DataType::kBfloat16);
  EXPECT_EQ(t.op, ReduceOp::kMax);
  EXPECT_EQ(t.root, 3);
  EXPECT_EQ(t.graph_launches, 2);
  EXPECT_EQ(t.placement, Placement::kInPlace);
  EXPECT_EQ(cmd.common.backend, "mpi");
  EXPECT_TRUE(cmd.common.backend_given);
  EXPECT_EQ(cmd.common.timeout_s, 30.0);
  EXPECT_TRUE(cmd.common.timeout_given);
}

TEST(CommandLine, CollectiveAcceptsKeyDashlessAndPerfBinaryNames) {
  for (CollectiveKind kind : all_collectives()) {
    const std::string key(key_of(kind));
    std::string dashless = key;
    std::erase(dashless, '_');
    const std::string perf = key + "_perf";
    for (const std::string& name : {key, dashless, perf}) {
      const ParsedCommandLine parsed = parse({name.c_str()});
      const SuiteRunRequest& cmd = request_of(parsed);
      ASSERT_EQ(cmd.suite.tests.size(), 1u) << name;
      EXPECT_EQ(cmd.suite.tests[0].kind, kind) << name;
    }
  }
}

TEST(CommandLine, AllTypesAndAllOpsExpandToTenTimesFiveForAllReduce) {
  const ParsedCommandLine parsed = parse({"all_reduce", "-d", "all", "-o", "all"});
  const SuiteRunRequest& cmd = request_of(parsed);
  ASSERT_EQ(cmd.suite.tests.size(), 50u);
  std::set<std::string> names;
  std::set<std::pair<DataType, ReduceOp>> combos;
  for (const CollectiveTestSpec& t : cmd.suite.tests) {
    names.insert(t.name);
    combos.insert({t.type, t.op});
  }
  EXPECT_EQ(names.size(), 50u) << "each expanded spec needs its own name";
  EXPECT_EQ(combos.size(), 50u);
  EXPECT_EQ(names.count("all_reduce.bfloat16.avg"), 1u);
}

TEST(CommandLine, AllOpsCollapseForDataMovementCollectives) {
  const ParsedCommandLine parsed = parse({"all_gather", "-d", "all", "-o", "all"});
  const SuiteRunRequest& cmd = request_of(parsed);
  ASSERT_EQ(cmd.suite.tests.size(), 10u);
  std::set<DataType> types;
  for (const CollectiveTestSpec& t : cmd.suite.tests) types.insert(t.type);
  EXPECT_EQ(types.size(), 10u);
  EXPECT_EQ(request_of(parse({"broadcast", "-o", "all"})).suite.tests.size(), 1u);
  EXPECT_EQ(request_of(parse({"reduce_scatter", "-d", "half", "-o", "all"})).suite.tests.size(), 5u);
}

TEST(CommandLine, UnknownCollectiveIsRejected) {
  const std::string what = cli_error({"foo"});
  EXPECT_TRUE(contains(what, "unknown collective")) << what;
  EXPECT_TRUE(contains(what, "'foo'")) << what;
  EXPECT_TRUE(contains(what, "all_reduce")) << what;
}

TEST(CommandLine, MinBytesAboveMaxBytesNamesDashB) {
  const std::string what = cli_error({"allreduce", "-b", "2M", "-e", "1M"});
  EXPECT_TRUE(contains(what, "-b")) << what;
}

TEST(CommandLine, ZeroItersNamesDashN) {
  const std::string what = cli_error({"allreduce", "-n", "0"});
  EXPECT_TRUE(contains(what, "-n")) << what;
}

TEST(CommandLine, BadSizeIsRejected) {
  const std::string what = cli_error({"allreduce", "-b", "1Q"});
  EXPECT_TRUE(contains(what, "-b")) << what;
  EXPECT_TRUE(contains(what, "1Q")) << what;
  EXPECT_TRUE(contains(cli_error({"allreduce", "-e", "x"}), "-e"));
}

TEST(CommandLine, BadDataTypeIsRejected) {
  const std::string what = cli_error({"allreduce", "-d", "float8"});
  EXPECT_TRUE(contains(what, "-d")) << what;
  EXPECT_TRUE(contains(what, "float8")) << what;
}

TEST(CommandLine, BadReduceOpIsRejected) {
  const std::string what = cli_error({"allreduce", "-o", "xor"});
  EXPECT_TRUE(contains(what, "-o")) << what;
}

TEST(CommandLine, BadBackendIsRejected) {
  const std::string what = cli_error({"allreduce", "--backend", "gloo"});
  EXPECT_TRUE(contains(what, "--backend")) << what;
  EXPECT_TRUE(contains(what, "gloo")) << what;
}

TEST(CommandLine, UnknownFlagIsRejected) {
  const std::string what = cli_error({"allreduce", "--bogus"});
  EXPECT_TRUE(contains(what, "--bogus")) << what;
}

// nccl-tests' flags as operators copy them: "-g 1 -t 1" means one rank per GPU, which railcheck always is;
// above 1 each is refused with one line naming railcheck's way.
TEST(CommandLine, NcclTestsOneGpuOneThreadIsAcceptedAndMoreIsRefusedNamingOneRankPerGpu) {
  const ParsedCommandLine parsed = parse({"allreduce", "-b", "8", "-e", "128M", "-f", "2", "-g", "1", "-t", "1"});
  EXPECT_EQ(request_of(parsed).suite.tests.at(0).max_bytes, 128u << 20);
  for (const char* flag : {"-g", "-t", "--ngpus", "--nthreads"}) {
    const std::string what = cli_error({"allreduce", flag, "8"});
    EXPECT_TRUE(contains(what, " 8: railcheck runs one rank per GPU")) << what;
    EXPECT_TRUE(contains(what, "mpirun -n")) << what;
    EXPECT_EQ(what.find('\n'), std::string::npos) << what;
  }
}

TEST(CommandLine, DashAPicksHowTheRanksTimesMakeTheRowsTime) {
  EXPECT_EQ(request_of(parse({"allreduce"})).suite.tests.at(0).average, TimeAggregation::kAvg);
  EXPECT_EQ(request_of(parse({"allreduce", "-a", "0"})).suite.tests.at(0).average, TimeAggregation::kRank0);
  EXPECT_EQ(request_of(parse({"allreduce", "-a", "3"})).suite.tests.at(0).average, TimeAggregation::kMax);
  EXPECT_TRUE(contains(cli_error({"allreduce", "-a", "4"}), "-a")) << cli_error({"allreduce", "-a", "4"});
}

TEST(CommandLine, DecimalSizesAreReadAsNcclTestsReadsThem) {
  const ParsedCommandLine parsed = parse({"allreduce", "-b", "1.5K", "-e", "0.5M"});
  EXPECT_EQ(request_of(parsed).suite.tests.at(0).min_bytes, 1536u);
  EXPECT_EQ(request_of(parsed).suite.tests.at(0).max_bytes, 512u * 1024);
}

// The rest of nccl-tests' flags (its src/common.cu getopt string): each parsed into the spec with its meaning.
TEST(CommandLine, NcclTestsCyclesBlockingTimestampsCputimeParallelInitAndTimingReachTheSpec) {
  const CollectiveTestSpec defaults = request_of(parse({"allreduce"})).suite.tests.at(0);
  EXPECT_EQ(defaults.cycles, 1);
  EXPECT_EQ(defaults.blocking, Blocking::kNone);
  EXPECT_EQ(defaults.timing, TimingWindow::kLoop);  // nccl-tests' host clock around the loop
  EXPECT_FALSE(defaults.report_timestamps);
  EXPECT_FALSE(defaults.report_cputime);
  const CollectiveTestSpec t =
      request_of(parse({"allreduce", "-N", "3", "-z", "3", "-p", "1", "-S", "1", "-C", "1"})).suite.tests.at(0);
  EXPECT_EQ(t.cycles, 3);
  EXPECT_EQ(t.blocking, Blocking::kWaitAndUntimedBarrier);
  EXPECT_TRUE(t.report_timestamps);
  EXPECT_TRUE(t.report_cputime);
  const CollectiveTestSpec long_names =
      request_of(parse({"allreduce", "--run_cycles", "2", "--blocking", "2", "--parallel_init", "0",
                        "--report_timestamps", "1", "--report_cputime", "0", "--timing", "loop"}))
          .suite.tests.at(0);
  EXPECT_EQ(long_names.cycles, 2);
  EXPECT_EQ(long_names.blocking, Blocking::kWait);
  EXPECT_EQ(long_names.timing, TimingWindow::kLoop);
  EXPECT_EQ(request_of(parse({"allreduce", "--timing", "events"})).suite.tests.at(0).timing, TimingWindow::kEvents);
}

TEST(CommandLine, NcclTestsFlagsOutOfRangeOrThatCannotRunTogetherAreRefusedNamingTheFlag) {
  EXPECT_TRUE(contains(cli_error({"allreduce", "-N", "0"}), "give a count")) << cli_error({"allreduce", "-N", "0"});
  EXPECT_TRUE(contains(cli_error({"allreduce", "-z", "4"}), "--blocking: Value 4 not in range 0 to 3"))
      << cli_error({"allreduce", "-z", "4"});
  EXPECT_TRUE(contains(cli_error({"allreduce", "-p", "2"}), "--parallel_init")) << cli_error({"allreduce", "-p", "2"});
  const std::string events = cli_error({"allreduce", "-z", "1", "--timing", "events"});
  EXPECT_TRUE(contains(events, "-z: blocking needs timing \"loop\"")) << events;
  const std::string graph = cli_error({"allreduce", "-z", "1", "-G", "2"});
  EXPECT_TRUE(contains(graph, "-z: blocking needs graph_launches 0")) << graph;
  const std::string cputime = cli_error({"allreduce", "-C", "1", "--timing", "events"});
  EXPECT_TRUE(contains(cputime, "-C:")) << cputime;
  EXPECT_TRUE(contains(cli_error({"allreduce", "--timing", "gpu"}), "--timing 'gpu'"));
}

TEST(CommandLine, DashXSetsNcclsCtaPolicyFrom0To2) {
  EXPECT_FALSE(request_of(parse({"allreduce"})).common.backend_options.cta_policy.has_value());
  const ParsedCommandLine parsed = parse({"allreduce", "-x", "1"});
  EXPECT_EQ(request_of(parsed).common.backend_options.cta_policy, 1);
  EXPECT_TRUE(contains(cli_error({"allreduce", "-x", "3"}), "--cta_policy")) << cli_error({"allreduce", "-x", "3"});
}

TEST(CommandLine, DashRMinusOneAsksForEveryRootInTurn) {
  EXPECT_EQ(request_of(parse({"broadcast", "-r", "-1"})).suite.tests.at(0).root, -1);
  EXPECT_TRUE(contains(cli_error({"broadcast", "-r", "-2"}), "-r")) << cli_error({"broadcast", "-r", "-2"});
}

TEST(CommandLine, DashJAsksForNcclTestsJsonAndRefusesANameNotEndingInJson) {
  EXPECT_TRUE(request_of(parse({"allreduce"})).common.output_files.empty());
  const ParsedCommandLine parsed = parse({"allreduce", "-J", "out/ar.JSON"});
  const SuiteRunRequest& with_json = request_of(parsed);
  ASSERT_EQ(with_json.common.output_files.count("nccl_tests_json"), 1u);
  EXPECT_EQ(with_json.common.output_files.at("nccl_tests_json"), std::filesystem::path("out/ar.JSON"));
  const std::string what = cli_error({"allreduce", "--output_file", "ar.txt"});
  EXPECT_TRUE(contains(what, "-J 'ar.txt'")) << what;
  EXPECT_TRUE(contains(what, "ar.json")) << what;
}

TEST(CommandLine, NcclTestsFlagsNotBuiltYetAreRefusedInOneLineNamingTheFlag) {
  for (const char* flag : {"-M", "-R"}) {
    const std::string what = cli_error({"allreduce", flag, "1"});
    EXPECT_TRUE(contains(what, std::string(flag) + " ")) << what;
    EXPECT_TRUE(contains(what, "not supported yet")) << what;
  }
}

TEST(CommandLine, P2pOpIsWriteOnVerbsSendOnTcpAndTcpRefusesOneSidedTransfers) {
  EXPECT_EQ(transfer_of(test::command_as<P2pCommand>(parse({"p2p", "--transport", "verbs"})).options()),
            TransferOp::kWrite);
  EXPECT_EQ(transfer_of(test::command_as<P2pCommand>(parse({"p2p"})).options()), TransferOp::kSend);
  EXPECT_EQ(transfer_of(test::command_as<P2pCommand>(parse({"p2p", "--transport", "verbs", "--op", "read"})).options()),
            TransferOp::kRead);
  EXPECT_TRUE(contains(cli_error({"p2p", "--op", "write"}), "--op write: TCP has no one-sided operations"));
  EXPECT_TRUE(contains(cli_error({"p2p", "--transport", "verbs", "--op", "put"}),
                       "--op 'put' is not a transfer; choose write"));
  // perftest counts -n and -t per QP: on verbs they multiply by -q, on TCP (sockets share a message) they do not.
  EXPECT_EQ(
      per_connection_lanes(test::command_as<P2pCommand>(parse({"p2p", "--transport", "verbs", "-q", "4"})).options()),
      4);
  EXPECT_EQ(per_connection_lanes(test::command_as<P2pCommand>(parse({"p2p", "-q", "4"})).options()), 1);
}

// perftest's -Q / --cq-mod (and railcheck's --cq_mod): verbs write and read only, default 100, at most -t.
TEST(CommandLine, P2pCqModModeratesVerbsWriteAndReadOnlyAndIsAtMostTheTxDepth) {
  auto cq_mod = [](std::vector<const char*> args) {
    args.insert(args.begin(), "p2p");
    return cq_mod_of(test::command_as<P2pCommand>(parse(args)).options());
  };
  EXPECT_EQ(cq_mod({"--transport", "verbs", "-t", "128"}), 100);
  EXPECT_EQ(cq_mod({"--transport", "verbs"}), 16) << "the default -t 16 caps perftest's 100";
  EXPECT_EQ(cq_mod({"--transport", "verbs", "-t", "128", "-Q", "8"}), 8);
  EXPECT_EQ(cq_mod({"--transport", "verbs", "-t", "128", "--cq-mod", "8", "--op", "read"}), 8);
  EXPECT_EQ(cq_mod({"--transport", "verbs", "-t", "128", "--cq_mod", "8"}), 8);
  EXPECT_EQ(cq_mod({"--transport", "verbs", "--op", "send"}), std::nullopt);
  EXPECT_EQ(cq_mod({}), std::nullopt);
  EXPECT_TRUE(contains(cli_error({"p2p", "--cq_mod", "8"}), "--cq_mod moderates the completions of RDMA write"));
  EXPECT_TRUE(contains(cli_error({"p2p", "--cq_mod", "8"}), "TCP has none"));
  EXPECT_TRUE(
      contains(cli_error({"p2p", "--transport", "verbs", "--op", "send", "-Q", "8"}), "each send is signalled"));
  EXPECT_TRUE(contains(cli_error({"p2p", "--transport", "verbs", "-Q", "0"}), "--cq_mod 0: must be at least 1"));
}

TEST(CommandLine, P2pReportsGBpsByDefaultGbpsOrMiBpsButNotBoth) {
  EXPECT_EQ(test::command_as<P2pCommand>(parse({"p2p"})).options().unit, BandwidthUnit::kGBps);
  EXPECT_EQ(test::command_as<P2pCommand>(parse({"p2p", "--report_gbits"})).options().unit, BandwidthUnit::kGbps);
  EXPECT_EQ(test::command_as<P2pCommand>(parse({"p2p", "--report_mib"})).options().unit, BandwidthUnit::kMiBps);
  EXPECT_TRUE(contains(cli_error({"p2p", "--report_gbits", "--report_mib"}), "excludes"));
}

TEST(CommandLine, NoCommandIsRejectedWithAnExample) {
  const std::string what = cli_error({});
  EXPECT_TRUE(contains(what, "railcheck run")) << what;
}

TEST(CommandLine, RunWithoutSuiteUsesEmbeddedQuickSuiteAndItsSettings) {
  const ParsedCommandLine parsed = parse({"run"});
  EXPECT_EQ(parsed.name, "run");
  const SuiteRunRequest& cmd = request_of(parsed);
  EXPECT_EQ(cmd.suite.name, "quick");
  EXPECT_EQ(cmd.suite.tests.size(), embedded_quick_suite().tests.size());
  EXPECT_EQ(cmd.common.backend, "auto");
  EXPECT_EQ(cmd.common.timeout_s, 300.0);  // quick.json's timeout_s
}

// `railcheck soak`: the suite's "soak" object, its fields overridden by flags; without one, --duration is needed.
TEST(CommandLine, SoakFlagsWinOverTheSuitesSoakAndADurationIsNeeded) {
  const std::string burnin = test::source_path("suites/burnin.json").string();
  const ParsedCommandLine preset_parsed = parse({"soak", burnin.c_str()});
  const SuiteRunRequest& preset = request_of(preset_parsed);
  ASSERT_TRUE(preset.suite.soak);
  EXPECT_EQ(preset.suite.soak->duration_s, 4 * 3600.0);
  EXPECT_EQ(preset.suite.soak->interval_s, 60.0);
  const ParsedCommandLine shortened =
      parse({"soak", burnin.c_str(), "--duration", "2m", "--interval", "10s", "--max-intervals", "5", "--fail-early"});
  const SoakPlan& plan = *request_of(shortened).suite.soak;
  EXPECT_EQ(plan.duration_s, 120.0);
  EXPECT_EQ(plan.interval_s, 10.0);
  EXPECT_EQ(plan.max_intervals, 5);
  EXPECT_TRUE(plan.fail_early);
  const ParsedCommandLine quick_parsed = parse({"soak", "--duration", "90s"});
  const SuiteRunRequest& quick = request_of(quick_parsed);
  EXPECT_EQ(quick.suite.name, "quick");
  EXPECT_EQ(quick.suite.soak->duration_s, 90.0);
  EXPECT_TRUE(contains(cli_error({"soak"}), "give --duration"));
  EXPECT_TRUE(contains(cli_error({"soak", "--duration", "soon"}), "--duration 'soon' is not a duration"));
  const ParsedCommandLine run = parse({"run"});
  EXPECT_FALSE(request_of(run).suite.soak) << "run soaks only a suite with a soak object";
}

TEST(CommandLine, TelemetryIsOnByDefaultAndItsFlagsParseOrNameTheFix) {
  const ParsedCommandLine plain = parse({"run"});
  EXPECT_TRUE(request_of(plain).common.telemetry.enabled);
  EXPECT_EQ(request_of(plain).common.telemetry.period_s, 1.0);
  EXPECT_TRUE(std::find(request_of(plain).common.telemetry.exclude.begin(),
                        request_of(plain).common.telemetry.exclude.end(),
                        "docker*") != request_of(plain).common.telemetry.exclude.end());
  const ParsedCommandLine tuned = parse(
      {"soak", "--duration", "1m", "--no-telemetry", "--telemetry-period", "0.5", "--telemetry-exclude", "mlx5_4"});
  EXPECT_FALSE(request_of(tuned).common.telemetry.enabled);
  EXPECT_EQ(request_of(tuned).common.telemetry.period_s, 0.5);
  EXPECT_EQ(request_of(tuned).common.telemetry.exclude, std::vector<std::string>{"mlx5_4"});
  EXPECT_TRUE(contains(cli_error({"run", "--telemetry-period", "0"}),
                       "--telemetry-period: '0' is not a period; give seconds above 0"));
}

TEST(CommandLine, RunFlagsWinOverTheSuite) {
  const ParsedCommandLine parsed = parse({"run", "--backend", "mpi", "-T", "12"});
  const SuiteRunRequest& cmd = request_of(parsed);
  EXPECT_EQ(cmd.common.backend, "mpi");
  EXPECT_EQ(cmd.common.timeout_s, 12.0);
}

// A profile file on `run`: its name for the baseline check, its GPU count as --expect-gpus (which wins).
TEST(CommandLine, RunWithAProfileFileExpectsItsGpuCountOnEveryHost) {
  const std::string profile = test::profile_path("dgx-h100.json").string();
  const ParsedCommandLine with_profile = parse({"run", "--profile", profile.c_str()});
  EXPECT_EQ(request_of(with_profile).common.profile, "dgx-h100");
  EXPECT_EQ(request_of(with_profile).suite.analysis.inventory.expect_gpus, 8);
  const ParsedCommandLine flag_wins = parse({"run", "--profile", profile.c_str(), "--expect-gpus", "4"});
  EXPECT_EQ(request_of(flag_wins).suite.analysis.inventory.expect_gpus, 4);
  const ParsedCommandLine by_name = parse({"run", "--profile", "dgx-h100"});
  EXPECT_EQ(request_of(by_name).common.profile, "dgx-h100");
  EXPECT_EQ(request_of(by_name).suite.analysis.inventory.expect_gpus, 0) << "a name alone says nothing about GPUs";
  EXPECT_TRUE(contains(cli_error({"run", "--profile", "/nonexistent/p.json"}), "/nonexistent/p.json"));
}

TEST(CommandLine, RunLoadsTheGivenSuiteFile) {
  const std::string path = test::source_path("suites/quick.json").string();
  const ParsedCommandLine parsed = parse({"run", path.c_str()});
  const SuiteRunRequest& cmd = request_of(parsed);
  EXPECT_EQ(cmd.suite.source, path);
  EXPECT_EQ(cmd.suite.name, "quick");
}

TEST(CommandLine, RunWithMissingSuiteFileNamesThePath) {
  const std::string what = cli_error({"run", "/nonexistent/railcheck/quick.json"});
  EXPECT_TRUE(contains(what, "/nonexistent/railcheck/quick.json")) << what;
}

TEST(CommandLine, HelpGivesHelpTextListingCommands) {
  const ParsedCommandLine cmd = parse({"--help"});
  EXPECT_EQ(cmd.command, nullptr);
  EXPECT_TRUE(contains(cmd.help_text, "run")) << cmd.help_text;
  EXPECT_TRUE(contains(cmd.help_text, "allreduce")) << cmd.help_text;
}

TEST(CommandLine, CollectiveHelpDescribesSweepFlags) {
  const ParsedCommandLine cmd = parse({"allreduce", "--help"});
  EXPECT_EQ(cmd.command, nullptr);
  EXPECT_TRUE(contains(cmd.help_text, "--minbytes")) << cmd.help_text;
  EXPECT_TRUE(contains(cmd.help_text, "--stepfactor")) << cmd.help_text;
}

TEST(CommandLine, VersionCommand) {
  const ParsedCommandLine parsed = parse({"version"});
  EXPECT_EQ(parsed.name, "version");
  ASSERT_NE(parsed.command, nullptr);
  EXPECT_FALSE(parsed.command->needs_mpi());
}

TEST(CommandLine, EveryRegisteredNameAndAliasIsUniqueAndParses) {
  std::set<std::string> seen;
  for (const CommandSpec& spec : all_commands()) {
    EXPECT_TRUE(seen.insert(spec.name).second) << spec.name << " registered twice";
    for (const std::string& alias : spec.aliases) {
      if (alias != spec.name) {
        EXPECT_TRUE(seen.insert(alias).second) << alias << " registered twice";
      }
    }
    EXPECT_FALSE(spec.description.empty()) << spec.name;
    const ParsedCommandLine help = parse({spec.name.c_str(), "--help"});
    EXPECT_FALSE(help.help_text.empty()) << spec.name;
  }
}

}  // namespace
}  // namespace railcheck
