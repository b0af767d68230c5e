// nccl-tests' JSON output (-J, JSON_FILE_VERSION 3, nccl-tests src/util.cu), field for field: what a script
// reading `all_reduce_perf -J` files finds in railcheck's.
#include "railcheck/output/nccl_tests_json_sink.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>
#include <regex>
#include <set>
#include <sstream>

#include "railcheck/core/error.h"

namespace railcheck {
namespace {

using Json = nlohmann::ordered_json;

class TempDir {
 public:
  TempDir() : path_(std::filesystem::temp_directory_path() / ("railcheck-nccl-json-" + std::to_string(::getpid()))) {
    std::filesystem::remove_all(path_);
    std::filesystem::create_directories(path_);
  }
  ~TempDir() { std::filesystem::remove_all(path_); }
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

RunManifest manifest() {
  RunManifest m;
  m.command_line = "railcheck allreduce -b 8 -e 16 -f 2 -J x.json";
  m.backend = "mpi";
  m.nccl = 22804;
  for (int r = 0; r < 2; ++r) {
    RankEntry e;
    e.info.rank = r;
    e.info.host = "node" + std::to_string(r);
    e.info.pid = 100 + r;
    if (r == 1) e.gpu = GpuDescription{0, "NVIDIA H200", "GPU-1", "0000:3b:00.0"};
    m.ranks.push_back(e);
  }
  return m;
}

CollectiveRecord half(std::size_t size, bool in_place, double time_us, std::int64_t wrong) {
  CollectiveRecord r;
  r.test_name = "all_reduce";
  r.kind = CollectiveKind::kAllReduce;
  r.size_bytes = size;
  r.count = size / 4;
  r.type = DataType::kFloat32;
  r.op = ReduceOp::kSum;
  r.in_place = in_place;
  r.iters = 20;
  r.time_us = time_us;
  r.cpu_time_us = time_us / 4;
  r.algbw_gbps = static_cast<double>(size) / time_us / 1e3;
  r.busbw_gbps = r.algbw_gbps;
  r.wrong_elements = wrong;
  return r;
}

Json read_json(const std::filesystem::path& file) {
  std::ifstream in(file);
  EXPECT_TRUE(in) << file;
  return Json::parse(in);
}

TEST(NcclTestsJson, AWholeRunIsNcclTestsVersion3FieldForField) {
  TempDir dir;
  const std::filesystem::path file = dir.path() / "ar.json";
  CollectiveTestSpec spec;
  spec.name = "all_reduce";
  spec.min_bytes = 8;
  spec.max_bytes = 16;
  spec.step_factor = 2;
  spec.warmup_iters = 5;
  std::ostringstream out;
  NcclTestsJsonSink sink(file, out);
  EXPECT_EQ(out.str(), "# Writing JSON output to " + file.string() + "\n");
  sink.begin_run(manifest());
  TestStart start;
  start.collective = &spec;
  sink.begin_test(start);
  sink.record(Record{half(8, false, 10.0, 0)});
  sink.record(Record{half(8, true, 12.5, 0)});
  // While the run goes on the file is already a whole document, without its footer.
  const Json during = read_json(file);
  EXPECT_EQ(during.at("results").size(), 1u);
  EXPECT_FALSE(during.contains("end_time"));
  sink.record(Record{half(16, false, 11.0, -1)});  // an unchecked row; no in-place half follows
  sink.end_test(start);
  RunSummary summary;
  summary.avg_busbw_gbps = 0.5;
  summary.min_avg_busbw_gbps = 1.0;
  summary.out_of_bounds = 0;
  sink.end_run(manifest(), summary);

  const Json doc = read_json(file);
  std::vector<std::string> keys;
  for (const auto& [key, value] : doc.items()) keys.push_back(key);
  EXPECT_EQ(keys, (std::vector<std::string>{"version", "start_time", "args", "env", "nccl_version", "config", "results",
                                            "out_of_bounds", "average_bus_bandwidth", "errors", "end_time"}));
  EXPECT_EQ(doc.at("version"), 3);
  const std::regex local_time(R"(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d)");
  EXPECT_TRUE(std::regex_match(doc.at("start_time").get<std::string>(), local_time)) << doc.at("start_time");
  EXPECT_TRUE(std::regex_match(doc.at("end_time").get<std::string>(), local_time)) << doc.at("end_time");
  EXPECT_EQ(doc.at("args").front(), "railcheck");
  EXPECT_EQ(doc.at("args").back(), "x.json");
  EXPECT_EQ(doc.at("nccl_version"), 22804);

  const Json& config = doc.at("config");
  EXPECT_EQ(config.at("nthreads"), 1);
  EXPECT_EQ(config.at("ngpus"), 1);
  EXPECT_EQ(config.at("minimum_bytes"), 8);
  EXPECT_EQ(config.at("maximum_bytes"), 16);
  EXPECT_EQ(config.at("step_factor"), 2);
  EXPECT_FALSE(config.contains("step_bytes"));
  EXPECT_EQ(config.at("warmup_iters"), 5);
  EXPECT_EQ(config.at("iterations"), 20);
  EXPECT_EQ(config.at("aggregated_iterations"), 1);
  EXPECT_EQ(config.at("blocking_collectives"), "false");  // nccl-tests' booleans are strings
  EXPECT_EQ(config.at("parallel_init"), "false");
  ASSERT_EQ(config.at("devices").size(), 2u);
  EXPECT_EQ(config.at("devices")[0].at("hostname"), "node0");
  EXPECT_EQ(config.at("devices")[0].at("pid"), 100);
  EXPECT_EQ(config.at("devices")[0].at("device"), -1);
  EXPECT_EQ(config.at("devices")[0].at("device_info"), "host memory (mpi backend)");
  EXPECT_EQ(config.at("devices")[1].at("device_hex"), "0000:3b:00");
  EXPECT_EQ(config.at("devices")[1].at("device_info"), "NVIDIA H200");

  ASSERT_EQ(doc.at("results").size(), 2u);
  const Json& row = doc.at("results")[0];
  EXPECT_EQ(row.at("size"), 8);
  EXPECT_EQ(row.at("count"), 2);
  EXPECT_EQ(row.at("type"), "float");
  EXPECT_EQ(row.at("redop"), "sum");
  EXPECT_EQ(row.at("root"), "    -1");  // "%6i", as a string
  EXPECT_DOUBLE_EQ(row.at("out_of_place").at("time").get<double>(), 10.0);
  EXPECT_DOUBLE_EQ(row.at("in_place").at("time").get<double>(), 12.5);
  EXPECT_EQ(row.at("in_place").at("nwrong"), 0.0);
  EXPECT_EQ(row.at("actual_iterations"), 20);
  EXPECT_EQ(row.at("experiment_name"), "all_reduce");
  const Json& unchecked = doc.at("results")[1];
  EXPECT_TRUE(unchecked.at("out_of_place").at("nwrong").is_null());
  EXPECT_TRUE(unchecked.at("in_place").is_null());

  EXPECT_EQ(doc.at("out_of_bounds"), Json({{"count", 0}, {"okay", "true"}}));
  EXPECT_DOUBLE_EQ(doc.at("average_bus_bandwidth").at("bandwidth").get<double>(), 0.5);
  EXPECT_EQ(doc.at("average_bus_bandwidth").at("okay"), "false");  // 0.5 < 0.9 x NCCL_TESTS_MIN_BW 1.0
  EXPECT_FALSE(std::filesystem::exists(dir.path() / "ar.json.tmp"));
}

TEST(NcclTestsJson, CputimeRowsCarryCpuTimeAndAnUncheckedMinimumSaysSo) {
  TempDir dir;
  CollectiveTestSpec spec;
  spec.report_cputime = true;
  std::ostringstream out;
  NcclTestsJsonSink sink(dir.path() / "c.json", out);
  sink.begin_run(manifest());
  TestStart start;
  start.collective = &spec;
  sink.begin_test(start);
  sink.record(Record{half(64, false, 8.0, 0)});
  sink.end_run(manifest(), RunSummary{});
  const Json doc = read_json(dir.path() / "c.json");
  const Json& half_json = doc.at("results")[0].at("out_of_place");
  EXPECT_DOUBLE_EQ(half_json.at("cpu_time").get<double>(), 2.0);
  EXPECT_FALSE(half_json.contains("time"));
  EXPECT_EQ(doc.at("average_bus_bandwidth").at("okay"), "unchecked");
}

TEST(NcclTestsJson, AnExistingFileIsNeverOverwrittenTheNameGetsANumberAsNcclTestsDoes) {
  TempDir dir;
  const std::filesystem::path file = dir.path() / "r.json";
  std::ofstream(file) << "keep me";
  std::ostringstream out;
  NcclTestsJsonSink first(file, out);
  EXPECT_EQ(first.path(), dir.path() / "r.json.0");
  NcclTestsJsonSink second(file, out);
  EXPECT_EQ(second.path(), dir.path() / "r.json.1");
  std::ifstream in(file);
  std::string kept;
  std::getline(in, kept);
  EXPECT_EQ(kept, "keep me");
}

TEST(NcclTestsJson, ADirectoryThatCannotBeWrittenIsAnErrorNamingTheFile) {
  std::ostringstream out;
  try {
    NcclTestsJsonSink sink("/nonexistent-railcheck-dir/r.json", out);
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("/nonexistent-railcheck-dir/r.json"), std::string::npos) << e.what();
  }
}

TEST(NcclTestsJson, TheEnvironmentKeepsOnlyVariablesThatDescribeTheRun) {
  ::setenv("NCCL_RAILCHECK_TEST_VAR", "1", 1);
  ::setenv("AWS_SECRET_ACCESS_KEY", "do-not-write", 1);
  TempDir dir;
  std::ostringstream out;
  {
    NcclTestsJsonSink sink(dir.path() / "e.json", out);
    sink.begin_run(manifest());
  }
  const Json env = read_json(dir.path() / "e.json").at("env");
  std::set<std::string> names;
  for (const auto& entry : env) names.insert(entry.get<std::string>());
  EXPECT_TRUE(names.contains("NCCL_RAILCHECK_TEST_VAR=1"));
  for (const std::string& entry : names) EXPECT_EQ(entry.find("AWS_SECRET"), std::string::npos) << entry;
  ::unsetenv("NCCL_RAILCHECK_TEST_VAR");
  ::unsetenv("AWS_SECRET_ACCESS_KEY");
}

}  // namespace
}  // namespace railcheck
