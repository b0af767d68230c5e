// Records and the results document as JSON: field names, nulls, optional fields, and agreement with
// results-schema/results.schema.json's field lists.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>

#include <nlohmann/json.hpp>

#include "railcheck/output/jsonl_sink.h"
#include "railcheck/output/results_document_sink.h"
#include "railcheck/output/sink_registry.h"
#include "railcheck/record/collective_record.h"
#include "railcheck/record/manifest.h"
#include "railcheck/record/record.h"
#include "source_tree.h"

namespace railcheck {
namespace {

using nlohmann::json;

CollectiveRecord all_reduce_record() {
  CollectiveRecord r;
  r.test_name = "all_reduce";
  r.test_key = "all_reduce.float.sum";
  r.kind = CollectiveKind::kAllReduce;
  r.backend = "mpi";
  r.nranks = 2;
  r.size_bytes = 1048576;
  r.count = 262144;
  r.type = DataType::kFloat32;
  r.op = ReduceOp::kSum;
  r.in_place = true;
  r.iters = 20;
  r.warmup_iters = 5;
  r.time_us = 150.5;
  r.time_us_min = 140.0;
  r.time_us_max = 161.0;
  r.slowest_rank = 1;
  r.algbw_gbps = 6.97;
  r.busbw_gbps = 6.97;
  r.wrong_elements = 3;
  r.status = RecordStatus::kWrong;
  RankResult a;
  a.rank = 0;
  a.host = "node-a";
  a.time.count = 20;
  a.time.mean_us = 140.0;
  a.wrong_elements = 0;
  RankResult b;
  b.rank = 1;
  b.host = "node-b";
  b.local_rank = 0;
  b.time.count = 20;
  b.time.mean_us = 161.0;
  b.wrong_elements = 3;
  r.ranks = {a, b};
  return r;
}

std::set<std::string> keys(const json& object) {
  std::set<std::string> out;
  for (const auto& [key, value] : object.items()) out.insert(key);
  return out;
}

TEST(RecordJson, HasCollectiveSizePlacementTimesBandwidthAndWrongElements) {
  const json j = to_json(all_reduce_record());
  EXPECT_EQ(j.at("collective"), "all_reduce");
  EXPECT_EQ(j.at("size_bytes"), 1048576);
  EXPECT_EQ(j.at("count"), 262144);
  EXPECT_EQ(j.at("dtype"), "float");
  EXPECT_EQ(j.at("redop"), "sum");
  EXPECT_TRUE(j.at("root").is_null());
  EXPECT_EQ(j.at("in_place"), true);
  EXPECT_DOUBLE_EQ(j.at("time_us").get<double>(), 150.5);
  EXPECT_DOUBLE_EQ(j.at("algbw_gbps").get<double>(), 6.97);
  EXPECT_DOUBLE_EQ(j.at("busbw_gbps").get<double>(), 6.97);
  EXPECT_EQ(j.at("wrong_elements"), 3);
  EXPECT_EQ(j.at("status"), "wrong");
  EXPECT_EQ(j.at("test_key"), "all_reduce.float.sum");
  EXPECT_EQ(j.at("slowest_rank"), 1);
}

TEST(RecordJson, RanksCarryRankHostTimeAndWrongElements) {
  const json j = to_json(all_reduce_record());
  ASSERT_TRUE(j.at("ranks").is_array());
  ASSERT_EQ(j.at("ranks").size(), 2u);
  const json& slow = j.at("ranks")[1];
  EXPECT_EQ(slow.at("rank"), 1);
  EXPECT_EQ(slow.at("host"), "node-b");
  EXPECT_DOUBLE_EQ(slow.at("time_us").get<double>(), 161.0);
  EXPECT_EQ(slow.at("wrong_elements"), 3);
  EXPECT_EQ(slow.at("time").at("count"), 20);
  EXPECT_FALSE(slow.contains("samples_us")) << "samples only with --record-samples";
  EXPECT_EQ(j.at("ranks")[0].at("host"), "node-a");
}

TEST(RecordJson, SamplesAppearWhenRecorded) {
  CollectiveRecord r = all_reduce_record();
  r.ranks[0].samples_us = {1.0, 2.0};
  const json j = to_json(r);
  EXPECT_EQ(j.at("ranks")[0].at("samples_us"), json::array({1.0, 2.0}));
}

TEST(RecordJson, AllGatherHasNullRedop) {
  CollectiveRecord r = all_reduce_record();
  r.kind = CollectiveKind::kAllGather;
  r.op.reset();
  const json j = to_json(r);
  EXPECT_EQ(j.at("collective"), "all_gather");
  ASSERT_TRUE(j.contains("redop"));
  EXPECT_TRUE(j.at("redop").is_null());
}

TEST(RecordJson, RootedCollectiveHasRoot) {
  CollectiveRecord r = all_reduce_record();
  r.kind = CollectiveKind::kBroadcast;
  r.op.reset();
  r.root = 3;
  EXPECT_EQ(to_json(r).at("root"), 3);
}

TEST(RecordJson, SkipReasonOnlyWhenSkipped) {
  CollectiveRecord r = all_reduce_record();
  r.skip_reason = "left over from an earlier record";
  EXPECT_FALSE(to_json(r).contains("skip_reason"));
  r.status = RecordStatus::kSkipped;
  r.skip_reason = "needs 2 ranks";
  const json j = to_json(r);
  EXPECT_EQ(j.at("status"), "skipped");
  EXPECT_EQ(j.at("skip_reason"), "needs 2 ranks");
}

TEST(RecordJson, NotCheckedIsMinusOne) {
  CollectiveRecord r = all_reduce_record();
  r.status = RecordStatus::kOk;
  r.wrong_elements = -1;
  EXPECT_EQ(to_json(r).at("wrong_elements"), -1);
}

RunManifest manifest() {
  RunManifest m;
  m.railcheck_version = "0.1.0";
  m.git_revision = "abc";
  m.command_line = "railcheck allreduce";
  m.suite = "all_reduce";
  m.backend = "mpi";
  m.backend_reason = "requested";
  m.start_time = "2026-01-01T00:00:00Z";
  m.hosts = {"node-a", "node-b"};
  RankEntry a;
  a.info.rank = 0;
  a.info.host = "node-a";
  m.ranks.push_back(a);
  return m;
}

TEST(ResultsDocument, AssembledFromTheStreamHasSchemaVersionManifestRecordsAndSummary) {
  const std::filesystem::path dir =
      std::filesystem::temp_directory_path() / ("railcheck-results-document-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  RunSummary summary;
  summary.records = 1;
  summary.wrong_records = 1;
  summary.wrong_elements = 3;
  summary.exit_code = kExitDegraded;
  summary.problems = {"rank 1 on node-b: 3 wrong elements"};
  {
    std::ostringstream out, err;
    SinkFanout sinks = SinkRegistry::standard().open({dir, out, err});
    sinks.begin_run(manifest());
    sinks.record(Record{all_reduce_record()});
    sinks.note(NoteLevel::kWarning, "a note is not a record");
    sinks.end_run(manifest(), summary);
  }
  std::ifstream in(dir / "results.json");
  ASSERT_TRUE(in) << "no results.json in " << dir;
  const json doc = json::parse(in);
  EXPECT_EQ(doc.at("schema_version"), kResultsSchemaVersion);
  EXPECT_EQ(doc.at("kind"), "railcheck.results");
  EXPECT_EQ(doc.at("manifest").at("suite"), "all_reduce");
  EXPECT_EQ(doc.at("manifest").at("nranks"), 1);
  EXPECT_TRUE(doc.at("manifest").at("end_time").is_null());
  ASSERT_EQ(doc.at("records").size(), 1u) << "the note stays in the stream, not in records";
  EXPECT_EQ(doc.at("records")[0].at("collective"), "all_reduce");
  EXPECT_EQ(doc.at("records")[0].at("kind"), "collective");
  EXPECT_EQ(doc.at("summary").at("records"), 1);
  EXPECT_EQ(doc.at("summary").at("wrong_elements"), 3);
  EXPECT_EQ(doc.at("summary").at("exit_code"), 1);
  EXPECT_EQ(doc.at("summary").at("problems")[0], "rank 1 on node-b: 3 wrong elements");
  EXPECT_EQ(keys(doc), (std::set<std::string>{"schema_version", "kind", "manifest", "records", "summary"}));
  EXPECT_FALSE(std::filesystem::exists(dir / "results.json.tmp"));
  std::filesystem::remove_all(dir);
}

// The JSON Schema is the contract for results files: every key it requires is written, and nothing it does
// not know.
class ResultsSchemaFields : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto path = test::source_path("results-schema/results.schema.json");
    std::ifstream in(path);
    ASSERT_TRUE(in) << "cannot read " << path;
    schema_ = json::parse(in);
  }

  void expect_matches(const json& object, const std::string& def) {
    const json& d = schema_.at("$defs").at(def);
    const std::set<std::string> have = keys(object);
    for (const auto& required : d.at("required")) {
      EXPECT_EQ(have.count(required.get<std::string>()), 1u) << def << " misses required field " << required;
    }
    const std::set<std::string> known = keys(d.at("properties"));
    for (const std::string& key : have) EXPECT_EQ(known.count(key), 1u) << def << " writes unknown field " << key;
  }

  json schema_;
};

TEST_F(ResultsSchemaFields, RecordRankAndSummaryFieldsMatchTheSchema) {
  CollectiveRecord r = all_reduce_record();
  r.status = RecordStatus::kSkipped;
  r.ranks[0].samples_us = {1.0};
  const json j = to_json(r);
  expect_matches(j, "record_fields");
  expect_matches(j.at("ranks")[0], "rank_result");
  expect_matches(j.at("ranks")[0].at("time"), "time_stats");
  expect_matches(to_json(RunSummary{}), "summary");
  expect_matches(to_json(manifest()), "manifest");
}

}  // namespace
}  // namespace railcheck

namespace railcheck {
namespace {

TEST(ManifestJson, ASavedManifestReadsBackItsIdentityHostsAndGpus) {
  RunManifest m;
  m.railcheck_version = "0.1.0";
  m.suite = "acceptance";
  m.backend = "nccl";
  m.start_time = "2026-12-07T03:00:00Z";
  m.slurm_job_id = "4711";
  m.hosts = {"node1", "node2"};
  RankEntry r;
  r.info.rank = 1;
  r.info.host = "node2";
  r.info.local_rank = 3;
  r.gpu = GpuDescription{3, "H200", "GPU-1234", "0000:1b:00.0"};
  m.ranks.push_back(r);
  const RunManifest back = manifest_from_json(to_json(m));
  EXPECT_EQ(back.suite, "acceptance");
  EXPECT_EQ(back.slurm_job_id, "4711");
  EXPECT_EQ(back.hosts, m.hosts);
  ASSERT_EQ(back.ranks.size(), 1u);
  EXPECT_EQ(back.ranks[0].info.local_rank, 3);
  ASSERT_TRUE(back.ranks[0].gpu);
  EXPECT_EQ(back.ranks[0].gpu->uuid, "GPU-1234");
  EXPECT_TRUE(manifest_from_json(nlohmann::json::object({{"slurm_job_id", nullptr}})).slurm_job_id.empty());
  EXPECT_TRUE(manifest_from_json(nullptr).hosts.empty());
}

}  // namespace
}  // namespace railcheck
