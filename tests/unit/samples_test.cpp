// samples_from_records: what the analysis sees of a results file's records.
#include "railcheck/analysis/samples.h"

#include <gtest/gtest.h>

#include <stdexcept>

namespace railcheck::analysis {
namespace {

using nlohmann::json;

json p2p(std::string op, std::string src, std::string dst, double bw, std::string status = "ok") {
  json j = {{"kind", "p2p"},   {"op", op},          {"src_host", src}, {"src_nic", "eth0"},
            {"dst_host", dst}, {"dst_nic", "eth0"}, {"rail", 0},       {"size_bytes", 1048576},
            {"round", 2},      {"status", status},  {"bw_gbps", bw},   {"lat_us", nullptr}};
  if (op == "lat") {
    j["bw_gbps"] = nullptr;
    j["lat_us"] = {{"typical", bw}, {"p99", 2 * bw}};
  }
  if (status != "ok") j["error"] = "peer went away";
  return j;
}

json collective(std::string status, bool in_place) {
  return {{"test", "all_reduce"},
          {"test_key", "all_reduce.float.sum"},
          {"group", "world"},
          {"nranks", 2},
          {"size_bytes", 4096},
          {"in_place", in_place},
          {"status", status},
          {"busbw_gbps", 1.5},
          {"ranks", json::array({{{"host", "n1"}}, {{"host", "n2"}}, {{"host", "n1"}}})}};
}

// A soak's interval record (schema 1.3) is judged by the median of its passes, not its own (lower middle) pass;
// its interval began with its first pass.
TEST(SamplesFromRecords, ASoakIntervalRecordIsJudgedByItsPassesMedianAndFirstStart) {
  json link = p2p("bw", "n1", "n3", 0.5);
  link["interval"] = 4;
  link["start_unix_s"] = 120.0;
  link["passes"] = {{"of", "bw_gbps"}, {"count", 2},     {"failed", 0},           {"min", 0.5},         {"mean", 0.75},
                    {"max", 1.0},      {"median", 0.75}, {"start_unix_s", 100.0}, {"end_unix_s", 130.0}};
  json group = collective("ok", false);
  group["interval"] = 4;
  group["passes"] = link["passes"];
  group["passes"]["median"] = 1.25;
  const Samples s = samples_from_records(json::array({link, group}));
  ASSERT_EQ(s.links.size(), 1u);
  EXPECT_DOUBLE_EQ(s.links[0].value, 0.75);
  EXPECT_DOUBLE_EQ(s.links[0].start_unix_s, 100.0);
  EXPECT_EQ(s.links[0].interval, 4);
  ASSERT_EQ(s.groups.size(), 1u);
  EXPECT_DOUBLE_EQ(s.groups[0].value, 1.25);
  link["passes"]["median"] = -1;
  EXPECT_THROW(samples_from_records(json::array({link})), std::invalid_argument);
}

TEST(SamplesFromRecords, P2pBandwidthBecomesALinkSampleWithItsEnds) {
  const Samples s = samples_from_records(json::array({p2p("bw", "n1", "n3", 0.61)}));
  ASSERT_EQ(s.links.size(), 1u);
  EXPECT_EQ(s.links[0].host_a, "n1");
  EXPECT_EQ(s.links[0].host_b, "n3");
  EXPECT_EQ(s.links[0].metric, "p2p.bw bw_gbps");
  EXPECT_DOUBLE_EQ(s.links[0].value, 0.61);
  EXPECT_EQ(s.links[0].round, 2);
  EXPECT_TRUE(s.links[0].higher_is_better);
  EXPECT_FALSE(s.links[0].retest);
}

TEST(SamplesFromRecords, LatencyGivesTypicalAndTailWithLowerBetterAndNoDirection) {
  const Samples s = samples_from_records(json::array({p2p("lat", "n1", "n2", 12.5)}));
  ASSERT_EQ(s.links.size(), 2u);
  EXPECT_EQ(s.links[0].metric, "p2p.lat lat_us.typical");
  EXPECT_DOUBLE_EQ(s.links[0].value, 12.5);
  EXPECT_EQ(s.links[1].metric, "p2p.lat lat_us.p99");
  EXPECT_DOUBLE_EQ(s.links[1].value, 25.0);
  for (const LinkSample& link : s.links) {
    EXPECT_FALSE(link.higher_is_better);
    EXPECT_FALSE(link.directional) << "a ping-pong measures both ways at once";
  }
}

TEST(SamplesFromRecords, OneWayBandwidthIsDirectionalAndRetransmitsBecomeALossSample) {
  json record = p2p("bw", "n1", "n3", 0.61);
  record["loss"] = {{"source", "tcp_info"}, {"sent", 1000}, {"retransmitted", 27}, {"spurious", 2}, {"rate", 0.025}};
  record["test"] = "tcp_links";
  const Samples s = samples_from_records(json::array({record, p2p("bw_bidir", "n1", "n3", 1.2)}));
  ASSERT_EQ(s.links.size(), 3u);
  EXPECT_TRUE(s.links[0].directional);
  EXPECT_EQ(s.links[0].test, "tcp_links");
  EXPECT_EQ(s.links[1].metric, "p2p.bw retrans_rate");
  EXPECT_DOUBLE_EQ(s.links[1].value, 0.025);
  EXPECT_FALSE(s.links[1].higher_is_better);
  EXPECT_TRUE(s.links[1].directional);
  EXPECT_FALSE(s.links[2].directional) << "bidirectional bandwidth is both ways summed";
}

TEST(SamplesFromRecords, NegativeOrNonNumericFiguresAndMalformedRanksNameTheField) {
  json negative = p2p("bw", "n1", "n3", -0.5);
  EXPECT_THROW(
      {
        try {
          samples_from_records(json::array({negative}));
        } catch (const std::invalid_argument& e) {
          EXPECT_STREQ(e.what(), "records[0].bw_gbps: must be a finite number >= 0, got -0.5");
          throw;
        }
      },
      std::invalid_argument);
  json bad_rank = collective("ok", false);
  bad_rank["ranks"] = json::array({{{"host", "n1"}}, 7});
  try {
    samples_from_records(json::array({p2p("bw", "n1", "n3", 1.0), bad_rank}));
    ADD_FAILURE() << "a rank that is not an object was accepted";
  } catch (const std::invalid_argument& e) {
    EXPECT_STREQ(e.what(), "records[1].ranks[1]: must be an object with a string \"host\"");
  }
  json lat = p2p("lat", "n1", "n2", 3.0);
  lat["lat_us"]["p99"] = "slow";
  EXPECT_THROW(samples_from_records(json::array({lat})), std::invalid_argument);
}

TEST(SamplesFromRecords, FailedTransferIsKeptAsNotOkWithItsError) {
  json record = p2p("bw", "n1", "n2", 0.0, "error");
  record["bw_gbps"] = nullptr;
  const Samples s = samples_from_records(json::array({record}));
  ASSERT_EQ(s.links.size(), 1u);
  EXPECT_FALSE(s.links[0].ok);
  EXPECT_EQ(s.links[0].error, "peer went away");
}

TEST(SamplesFromRecords, RetestPhaseIsMarked) {
  json record = p2p("bw", "n1", "n2", 1.0);
  record["phase"] = "retest";
  EXPECT_TRUE(samples_from_records(json::array({record})).links.at(0).retest);
}

TEST(SamplesFromRecords, CollectiveRecordsBecomeGroupSamplesPerPlacement) {
  const Samples s = samples_from_records(json::array(
      {collective("ok", false), collective("ok", true), collective("skipped", false), collective("wrong", false)}));
  ASSERT_EQ(s.groups.size(), 2u);
  EXPECT_EQ(s.groups[0].metric, "all_reduce.float.sum busbw_gbps");
  EXPECT_EQ(s.groups[1].metric, "all_reduce.float.sum busbw_gbps_in_place");
  EXPECT_EQ(s.groups[0].hosts, (std::vector<std::string>{"n1", "n2"}));
  EXPECT_EQ(s.groups[0].nranks, 2);
  EXPECT_TRUE(s.links.empty());
}

TEST(SamplesFromRecords, MalformedRecordNamesItsIndexAndField) {
  json bad = p2p("bw", "n1", "n2", 1.0);
  bad.erase("src_host");
  try {
    samples_from_records(json::array({p2p("bw", "n1", "n2", 1.0), bad}));
    FAIL() << "no error";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("records[1].src_host"), std::string::npos) << e.what();
  }
  EXPECT_THROW(samples_from_records(json::object()), std::invalid_argument);
}

}  // namespace
}  // namespace railcheck::analysis
