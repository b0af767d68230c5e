// Suite files: defaults, aliases, sizes as text or integers, and one-line InputErrors naming source and field.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <string>

#include "railcheck/core/error.h"
#include "railcheck/plan/suite.h"
#include "source_tree.h"

namespace railcheck {
namespace {

constexpr const char* kSource = "test.json";

// Parses `json` expecting an InputError; returns its message after checking the shared rules: it starts with
// "<source>: <path>: " and is one line.
std::string input_error(const std::string& json, const std::string& path) {
  try {
    (void)parse_suite(json, kSource);
  } catch (const InputError& e) {
    const std::string what = e.what();
    EXPECT_EQ(what.find('\n'), std::string::npos) << what;
    EXPECT_EQ(what.rfind(std::string(kSource) + ": " + path + ": ", 0), 0u)
        << "message should start with the source and field path '" << path << "': " << what;
    return what;
  } catch (const std::exception& e) {
    ADD_FAILURE() << "expected InputError, got another exception: " << e.what();
    return "";
  }
  ADD_FAILURE() << "expected InputError for: " << json;
  return "";
}

// A valid suite with one test whose fields are `test_fields` (JSON object members, without braces).
std::string one_test(const std::string& test_fields) {
  return R"({"schema_version": 1, "name": "t", "tests": [{)" + test_fields + "}]}";
}

TEST(ParseSuite, FullSuiteAppliesDefaultsAndPerTestFields) {
  const Suite suite = parse_suite(R"({
    "schema_version": 1,
    "name": "mini",
    "description": "three tests",
    "backend": "mpi",
    "timeout_s": 60,
    "defaults": {"min_bytes": "1K", "max_bytes": 65536, "step_factor": 4, "iters": 5, "dtype": "half"},
    "tests": [
      {"collective": "all_reduce"},
      {"collective": "allgather", "name": "ag", "dtype": "int32", "min_bytes": 8, "max_bytes": "8B",
       "placement": "in_place"},
      {"collective": "reduce_perf", "op": "max", "root": 1, "check": 0, "warmup_iters": 3, "graph_launches": 2,
       "step_bytes": "2K", "step_factor": 1}
    ]
  })",
                                  kSource);
  EXPECT_EQ(suite.name, "mini");
  EXPECT_EQ(suite.description, "three tests");
  EXPECT_EQ(suite.source, kSource);
  EXPECT_EQ(suite.backend, std::optional<std::string>("mpi"));
  EXPECT_EQ(suite.timeout_s, std::optional<double>(60.0));
  ASSERT_EQ(suite.tests.size(), 3u);

  const CollectiveTestSpec& a = suite.tests[0];
  EXPECT_EQ(a.name, "all_reduce");  // defaulted to the collective key
  EXPECT_EQ(a.kind, CollectiveKind::kAllReduce);
  EXPECT_EQ(a.min_bytes, 1024u);
  EXPECT_EQ(a.max_bytes, 65536u);
  EXPECT_EQ(a.step_factor, 4.0);
  EXPECT_EQ(a.iters, 5);
  EXPECT_EQ(a.type, DataType::kFloat16);
  EXPECT_EQ(a.op, ReduceOp::kSum);
  EXPECT_EQ(a.warmup_iters, 1);
  EXPECT_EQ(a.check_iters, 1);
  EXPECT_EQ(a.placement, Placement::kBoth);

  const CollectiveTestSpec& b = suite.tests[1];
  EXPECT_EQ(b.name, "ag");
  EXPECT_EQ(b.kind, CollectiveKind::kAllGather);
  EXPECT_EQ(b.type, DataType::kInt32);
  EXPECT_EQ(b.min_bytes, 8u);
  EXPECT_EQ(b.max_bytes, 8u);
  EXPECT_EQ(b.iters, 5);  // from defaults
  EXPECT_EQ(b.placement, Placement::kInPlace);

  const CollectiveTestSpec& c = suite.tests[2];
  EXPECT_EQ(c.name, "reduce");
  EXPECT_EQ(c.kind, CollectiveKind::kReduce);
  EXPECT_EQ(c.op, ReduceOp::kMax);
  EXPECT_EQ(c.root, 1);
  EXPECT_EQ(c.check_iters, 0);
  EXPECT_EQ(c.warmup_iters, 3);
  EXPECT_EQ(c.graph_launches, 2);
  EXPECT_EQ(c.step_bytes, 2048u);
  EXPECT_EQ(c.step_factor, 1.0);
  EXPECT_EQ(c.type, DataType::kFloat16);  // from defaults
}

TEST(ParseSuite, MinimalSuiteUsesNcclTestsDefaults) {
  const Suite suite = parse_suite(one_test(R"("collective": "broadcast")"), kSource);
  EXPECT_FALSE(suite.backend.has_value());
  EXPECT_FALSE(suite.timeout_s.has_value());
  ASSERT_EQ(suite.tests.size(), 1u);
  const CollectiveTestSpec& t = suite.tests[0];
  const CollectiveTestSpec defaults;
  EXPECT_EQ(t.name, "broadcast");
  EXPECT_EQ(t.min_bytes, defaults.min_bytes);
  EXPECT_EQ(t.max_bytes, defaults.max_bytes);
  EXPECT_EQ(t.min_bytes, 32u << 20);
  EXPECT_EQ(t.iters, 20);
  EXPECT_EQ(t.type, DataType::kFloat32);
}

TEST(ParseSuite, InvalidJsonNamesLineAndColumn) {
  // The stray comma sits on line 3, column 11.
  input_error("{\n  \"schema_version\": 1,\n  \"name\": ,\n}", "not valid JSON at line 3 column 11");
}

TEST(ParseSuite, InvalidJsonMessageKeepsTheParsersReason) {
  // A mistyped literal is a lexer error, whose nlohmann message ends in "; last read: '...'": the reason
  // ("invalid literal") must survive, not only the text that was last read. Column 48 is the "}" that ended
  // the bad literal.
  const std::string what =
      input_error(R"({"schema_version": 1, "name": "t", "tests": tru})", "not valid JSON at line 1 column 48");
  EXPECT_NE(what.find("invalid literal"), std::string::npos) << what;
}

TEST(ParseSuite, TopLevelNotAnObjectIsRejected) { input_error("[1, 2]", "(top level)"); }

TEST(ParseSuite, MissingSchemaVersionIsRejected) {
  const std::string what = input_error(R"({"name": "t", "tests": [{"collective": "all_reduce"}]})", "schema_version");
  EXPECT_NE(what.find("missing"), std::string::npos) << what;
}

TEST(ParseSuite, MissingNameIsRejected) {
  input_error(R"({"schema_version": 1, "tests": [{"collective": "all_reduce"}]})", "name");
}

TEST(ParseSuite, UnsupportedSchemaVersionIsRejected) {
  const std::string what =
      input_error(R"({"schema_version": 2, "name": "t", "tests": [{"collective": "all_reduce"}]})", "schema_version");
  EXPECT_NE(what.find("2"), std::string::npos) << what;
  input_error(R"({"schema_version": "1", "name": "t", "tests": [{"collective": "all_reduce"}]})", "schema_version");
}

TEST(ParseSuite, UnknownTopLevelFieldIsRejected) {
  input_error(R"({"schema_version": 1, "name": "t", "test": [], "tests": [{"collective": "all_reduce"}]})", "test");
}

TEST(ParseSuite, UnknownBackendIsRejected) {
  input_error(R"({"schema_version": 1, "name": "t", "backend": "gloo", "tests": [{"collective": "all_reduce"}]})",
              "backend");
}

TEST(ParseSuite, TestsNotAnArrayIsRejected) {
  input_error(R"({"schema_version": 1, "name": "t", "tests": {"collective": "all_reduce"}})", "tests");
}

TEST(ParseSuite, EmptyTestsIsRejected) { input_error(R"({"schema_version": 1, "name": "t", "tests": []})", "tests"); }

TEST(ParseSuite, TestWithoutCollectiveIsRejected) {
  const std::string what = input_error(
      R"({"schema_version": 1, "name": "t", "tests": [{"collective": "all_reduce"}, {"name": "x"}]})", "tests[1]");
  EXPECT_NE(what.find("collective"), std::string::npos) << what;
}

TEST(ParseSuite, UnknownCollectiveListsTheChoices) {
  const std::string what = input_error(one_test(R"("collective": "allreduse")"), "tests[0].collective");
  EXPECT_NE(what.find("allreduse"), std::string::npos) << what;
  EXPECT_NE(what.find("all_reduce, all_gather, reduce_scatter, all_to_all, broadcast, reduce, send_recv"),
            std::string::npos)
      << what;
}

TEST(ParseSuite, BadDtypeIsRejectedWithChoices) {
  const std::string what = input_error(one_test(R"("collective": "all_reduce", "dtype": "float8")"), "tests[0].dtype");
  EXPECT_NE(what.find("bfloat16"), std::string::npos) << what;
}

TEST(ParseSuite, BadOpAndPlacementAreRejected) {
  input_error(one_test(R"("collective": "all_reduce", "op": "xor")"), "tests[0].op");
  input_error(one_test(R"("collective": "all_reduce", "placement": "sideways")"), "tests[0].placement");
}

TEST(ParseSuite, BadSizeStringIsRejected) {
  input_error(one_test(R"("collective": "all_reduce", "min_bytes": "1Q")"), "tests[0].min_bytes");
  input_error(one_test(R"("collective": "all_reduce", "max_bytes": -1)"), "tests[0].max_bytes");
  input_error(one_test(R"("collective": "all_reduce", "step_bytes": 1.5)"), "tests[0].step_bytes");
}

TEST(ParseSuite, MinBytesAboveMaxBytesIsRejected) {
  const std::string what = input_error(one_test(R"("collective": "all_reduce", "min_bytes": "2M", "max_bytes": "1M")"),
                                       "tests[0].min_bytes");
  EXPECT_NE(what.find("2M"), std::string::npos) << what;
}

TEST(ParseSuite, ZeroItersIsRejected) {
  input_error(one_test(R"("collective": "all_reduce", "iters": 0)"), "tests[0].iters");
  input_error(one_test(R"("collective": "all_reduce", "iters": "5")"), "tests[0].iters");
}

TEST(ParseSuite, IntegerOutsideIntRangeIsRejectedNotTruncated) {
  // 4294967297 = 2^32 + 1 must not silently become 1 iteration.
  input_error(one_test(R"("collective": "all_reduce", "iters": 4294967297)"), "tests[0].iters");
  input_error(one_test(R"("collective": "broadcast", "root": 4294967296)"), "tests[0].root");
}

TEST(ParseSuite, BisectTakesTrueOrAnObjectWithSizeAndExpectedBusbw) {
  Suite suite = parse_suite(one_test(R"("collective": "all_reduce", "bisect": true)"), kSource);
  EXPECT_TRUE(suite.tests[0].bisect.enabled);
  EXPECT_EQ(suite.tests[0].bisect.size_bytes, 0u);
  suite = parse_suite(one_test(R"("collective": "all_reduce", "bisect": {"size": "64M", "expected_busbw_gbps": 40})"),
                      kSource);
  EXPECT_TRUE(suite.tests[0].bisect.enabled);
  EXPECT_EQ(suite.tests[0].bisect.size_bytes, 64u << 20);
  EXPECT_DOUBLE_EQ(suite.tests[0].bisect.expected_busbw_gbps, 40.0);
  EXPECT_FALSE(parse_suite(one_test(R"("collective": "all_reduce")"), kSource).tests[0].bisect.enabled);
}

TEST(ParseSuite, BadBisectFieldsNameTheFieldAndTheFix) {
  const auto has = [](const std::string& what, const char* text) {
    EXPECT_NE(what.find(text), std::string::npos) << what;
  };
  has(input_error(one_test(R"("collective": "all_reduce", "bisect": "yes")"), "tests[0].bisect"),
      "expected true, false or an object");
  has(input_error(one_test(R"("collective": "all_reduce", "bisect": {"expected_busbw_gbps": 0})"),
                  "tests[0].bisect.expected_busbw_gbps"),
      "expected a bus bandwidth in GB/s > 0");
  has(input_error(one_test(R"("collective": "all_reduce", "bisect": {"size": 0})"), "tests[0].bisect.size"),
      "must be more than 0");
  has(input_error(one_test(R"("collective": "all_reduce", "bisect": {"rounds": 3})"), "tests[0].bisect.rounds"),
      "known bisect fields: size, expected_busbw_gbps");
}

TEST(ParseSuite, UnknownTestFieldTypoIsRejected) {
  const std::string what = input_error(one_test(R"("collective": "all_reduce", "iter": 5)"), "tests[0].iter");
  EXPECT_NE(what.find("iters"), std::string::npos) << "should list the known fields: " << what;
}

TEST(ParseSuite, ProblemsInDefaultsNameTheDefaultsPath) {
  input_error(R"({"schema_version": 1, "name": "t", "defaults": {"iter": 5}, "tests": [{"collective": "all_reduce"}]})",
              "defaults.iter");
  input_error(
      R"({"schema_version": 1, "name": "t", "defaults": {"collective": "all_reduce"}, "tests": [{"collective": "all_reduce"}]})",
      "defaults");
}

TEST(ParseSuite, InvalidDefaultsAreReportedAgainstTheTestThatUsesThem) {
  // min > max only through defaults: the test inheriting them is the one that cannot run.
  input_error(R"({"schema_version": 1, "name": "t", "defaults": {"min_bytes": "2M", "max_bytes": "1M"},
                  "tests": [{"collective": "all_reduce"}]})",
              "tests[0].min_bytes");
}

TEST(ParseSuite, P2pOpNamesTheTransferAndTcpRefusesWriteAndRead) {
  const Suite suite = parse_suite(
      R"({"schema_version": 1, "name": "t", "tests": [{"p2p": "verbs", "op": "read"}, {"p2p": "verbs"}]})", "s.json");
  ASSERT_EQ(suite.p2p_tests.size(), 2u);
  EXPECT_EQ(transfer_of(suite.p2p_tests[0].options), TransferOp::kRead);
  EXPECT_EQ(transfer_of(suite.p2p_tests[1].options), TransferOp::kWrite);
  input_error(R"({"schema_version": 1, "name": "t", "tests": [{"p2p": "tcp", "op": "write"}]})", "tests[0].op");
  input_error(R"({"schema_version": 1, "name": "t", "tests": [{"p2p": "verbs", "op": "put"}]})", "tests[0].op");
}

TEST(ParseSuite, AFabricTestIsAP2pTestOfStagesWithoutLatencyAndRefusesPairOnlyFields) {
  const Suite suite = parse_suite(
      R"({"schema_version": 1, "name": "t",
          "tests": [{"fabric": "tcp", "size": "1M", "duration_s": 0.5}, {"p2p": "tcp"}, {"fabric": "verbs"}]})",
      "s.json");
  ASSERT_EQ(suite.p2p_tests.size(), 3u);
  EXPECT_TRUE(suite.p2p_tests[0].fabric);
  EXPECT_EQ(suite.p2p_tests[0].name, "fabric_tcp");
  EXPECT_EQ(suite.p2p_tests[0].options.lat_iters, 0);
  EXPECT_EQ(suite.p2p_tests[0].options.duration_s, 0.5);
  EXPECT_FALSE(suite.p2p_tests[1].fabric);
  EXPECT_EQ(suite.p2p_tests[2].name, "fabric_verbs");
  for (const char* field : {"lat_iters", "within_node", "bidirectional", "ifname"}) {
    const std::string value = std::string(field) == "lat_iters" ? "5"
                              : std::string(field) == "ifname"  ? "\"eth0\""
                                                                : "true";
    const std::string text = R"({"schema_version": 1, "name": "t", "tests": [{"fabric": "tcp", ")" +
                             std::string(field) + "\": " + value + "}]}";
    EXPECT_NE(input_error(text, std::string("tests[0].") + field).find("does not apply to a fabric test"),
              std::string::npos)
        << field;
  }
  input_error(R"({"schema_version": 1, "name": "t", "tests": [{"fabric": "tcp", "p2p": "tcp"}]})", "tests[0]");
  input_error(R"({"schema_version": 1, "name": "t", "tests": [{"fabric": "ib"}]})", "tests[0].fabric");
}

TEST(ParseSuite, ConfirmStagesAreAFabricTestsFieldFromZeroToEight) {
  const Suite suite = parse_suite(
      R"({"schema_version": 1, "name": "t", "tests": [{"fabric": "tcp", "confirm_stages": 4}, {"fabric": "tcp"}]})",
      "s.json");
  EXPECT_EQ(suite.p2p_tests[0].confirm_stages, 4);
  EXPECT_EQ(suite.p2p_tests[1].confirm_stages, 0);
  EXPECT_NE(input_error(R"({"schema_version": 1, "name": "t", "tests": [{"p2p": "tcp", "confirm_stages": 1}]})",
                        "tests[0].confirm_stages")
                .find("fabric test only"),
            std::string::npos);
  input_error(R"({"schema_version": 1, "name": "t", "tests": [{"fabric": "tcp", "confirm_stages": 9}]})",
              "tests[0].confirm_stages");
  input_error(R"({"schema_version": 1, "name": "t", "tests": [{"fabric": "tcp", "confirm_stages": -1}]})",
              "tests[0].confirm_stages");
}

TEST(ParseSuite, RepeatsAndThinAreAFabricTestsFieldsInTheirRanges) {
  const Suite suite = parse_suite(
      R"({"schema_version": 1, "name": "t", "tests": [{"fabric": "tcp", "repeats": 4, "thin": 8}, {"fabric": "tcp"}]})",
      "s.json");
  EXPECT_EQ(suite.p2p_tests[0].repeats, 4);
  EXPECT_EQ(suite.p2p_tests[0].thin, 8);
  EXPECT_EQ(suite.p2p_tests[1].repeats, 1);
  EXPECT_EQ(suite.p2p_tests[1].thin, 1);
  for (const char* field : {"repeats", "thin"}) {
    const std::string at = std::string("tests[0].") + field;
    EXPECT_NE(
        input_error(
            R"({"schema_version": 1, "name": "t", "tests": [{"p2p": "tcp", ")" + std::string(field) + R"(": 2}]})", at)
            .find("fabric test only"),
        std::string::npos);
    input_error(
        R"({"schema_version": 1, "name": "t", "tests": [{"fabric": "tcp", ")" + std::string(field) + R"(": 0}]})", at);
    input_error(
        R"({"schema_version": 1, "name": "t", "tests": [{"fabric": "tcp", ")" + std::string(field) + R"(": 65}]})", at);
  }
}

TEST(ParseSuite, ASoakObjectTakesDurationsAsTextOrSecondsAndRefusesWhatCannotRun) {
  const Suite suite = parse_suite(
      R"({"schema_version": 1, "name": "t", "soak": {"duration": "4h", "interval": 90, "fail_early": true},
          "tests": [{"collective": "all_reduce"}]})",
      "s.json");
  ASSERT_TRUE(suite.soak);
  EXPECT_EQ(suite.soak->duration_s, 4 * 3600.0);
  EXPECT_EQ(suite.soak->interval_s, 90.0);
  EXPECT_TRUE(suite.soak->fail_early);
  EXPECT_FALSE(
      parse_suite(R"({"schema_version": 1, "name": "t", "tests": [{"collective": "all_reduce"}]})", "s.json").soak);
  auto suite_with = [](const std::string& soak) {
    return R"({"schema_version": 1, "name": "t", "soak": )" + soak + R"(, "tests": [{"collective": "all_reduce"}]})";
  };
  EXPECT_NE(input_error(suite_with(R"({"interval": "1m"})"), "soak.duration").find("missing"), std::string::npos);
  EXPECT_NE(input_error(suite_with(R"({"duration": "4 hours"})"), "soak.duration").find("\"4h\""), std::string::npos);
  EXPECT_NE(input_error(suite_with(R"({"duration": "1m", "interval": "2m"})"), "soak").find("at most the duration"),
            std::string::npos);
  EXPECT_NE(input_error(suite_with(R"({"duration": 0})"), "soak").find("above 0"), std::string::npos);
  input_error(suite_with(R"({"duration": "1h", "every": 3})"), "soak.every");
}

TEST(ParseDuration, SecondsMinutesHoursOrAPlainNumber) {
  EXPECT_EQ(parse_duration("90"), 90.0);
  EXPECT_EQ(parse_duration("90s"), 90.0);
  EXPECT_EQ(parse_duration("15m"), 900.0);
  EXPECT_EQ(parse_duration("1.5h"), 5400.0);
  for (const char* bad : {"", "h", "-5m", "4 hours", "1e3", "5d", "nan"}) EXPECT_FALSE(parse_duration(bad)) << bad;
}

TEST(ParseSuite, P2pCqModIsForVerbsWriteAndReadOnly) {
  const Suite suite = parse_suite(
      R"({"schema_version": 1, "name": "t", "tests": [{"p2p": "verbs", "cq_mod": 8, "tx_depth": 64}]})", "s.json");
  ASSERT_EQ(suite.p2p_tests.size(), 1u);
  EXPECT_EQ(cq_mod_of(suite.p2p_tests[0].options), 8);
  input_error(R"({"schema_version": 1, "name": "t", "tests": [{"p2p": "tcp", "cq_mod": 8}]})", "tests[0].cq_mod");
  input_error(R"({"schema_version": 1, "name": "t", "tests": [{"p2p": "verbs", "op": "send", "cq_mod": 8}]})",
              "tests[0].cq_mod");
  input_error(R"({"schema_version": 1, "name": "t", "tests": [{"p2p": "verbs", "cq_mod": 0}]})", "tests[0].cq_mod");
}

TEST(EmbeddedQuickSuite, ParsesAndCoversEveryCollective) {
  const Suite suite = embedded_quick_suite();
  EXPECT_EQ(suite.name, "quick");
  EXPECT_GE(suite.tests.size(), 7u);
  std::set<CollectiveKind> kinds;
  for (const CollectiveTestSpec& t : suite.tests) kinds.insert(t.kind);
  for (CollectiveKind kind : all_collectives()) EXPECT_EQ(kinds.count(kind), 1u) << key_of(kind);
  EXPECT_NE(suite.source.find("embedded"), std::string::npos) << suite.source;
}

TEST(LoadSuite, CheckedInQuickSuiteMatchesTheEmbeddedOne) {
  const std::filesystem::path path = test::source_path("suites/quick.json");
  const Suite file = load_suite(path);
  const Suite embedded = embedded_quick_suite();
  EXPECT_EQ(file.source, path.string());
  EXPECT_EQ(file.name, "quick");
  ASSERT_EQ(file.tests.size(), embedded.tests.size());
  for (std::size_t i = 0; i < file.tests.size(); ++i) {
    EXPECT_EQ(file.tests[i].name, embedded.tests[i].name);
    EXPECT_EQ(file.tests[i].kind, embedded.tests[i].kind);
    EXPECT_EQ(file.tests[i].min_bytes, embedded.tests[i].min_bytes);
    EXPECT_EQ(file.tests[i].max_bytes, embedded.tests[i].max_bytes);
  }
}

TEST(LoadSuite, MissingFileThrowsInputErrorNamingThePath) {
  const std::string path = "/nonexistent/railcheck/suite.json";
  try {
    (void)load_suite(path);
    FAIL() << "expected InputError";
  } catch (const InputError& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find(path), std::string::npos) << what;
    EXPECT_EQ(what.find('\n'), std::string::npos) << what;
  }
}

TEST(LoadSuite, ErrorsInAFileNameTheFile) {
  const std::filesystem::path path = std::filesystem::path(::testing::TempDir()) / "railcheck_bad_suite.json";
  {
    std::ofstream out(path);
    out << one_test(R"("collective": "all_reduce", "iters": 0)");
  }
  try {
    (void)load_suite(path);
    FAIL() << "expected InputError";
  } catch (const InputError& e) {
    EXPECT_EQ(std::string(e.what()).rfind(path.string() + ": tests[0].iters: ", 0), 0u) << e.what();
  }
  std::filesystem::remove(path);
}

}  // namespace
}  // namespace railcheck
