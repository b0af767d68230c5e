#include "railcheck/run/rank_results.h"

#include <nlohmann/json.hpp>

namespace railcheck {
namespace {

using nlohmann::json;

json stats_fields(const SampleStats& s) {
  return {{"count", s.count},   {"mean_us", s.mean_us}, {"min_us", s.min_us},     {"max_us", s.max_us},
          {"p50_us", s.p50_us}, {"p99_us", s.p99_us},   {"stdev_us", s.stdev_us}, {"p99_9_us", s.p99_9_us}};
}

SampleStats stats_from(const json& j) {
  SampleStats s;
  s.count = j.at("count");
  s.mean_us = j.at("mean_us");
  s.min_us = j.at("min_us");
  s.max_us = j.at("max_us");
  s.p50_us = j.at("p50_us");
  s.p99_us = j.at("p99_us");
  s.stdev_us = j.at("stdev_us");
  s.p99_9_us = j.at("p99_9_us");
  return s;
}

}  // namespace

std::vector<RankResult> gather_rank_results(const Bootstrap& bootstrap, const MyMeasurement& mine, int root) {
  json message = {{"time", stats_fields(summarize(mine.samples_s))},
                  {"wrong", mine.wrong_elements},
                  {"warning", mine.timing_warning}};
  if (mine.keep_samples) {
    std::vector<double> us;
    for (double s : mine.samples_s) us.push_back(s * 1.0e6);
    message["samples_us"] = us;
  }
  const std::vector<std::string> all = bootstrap.gather_strings(message.dump(), root);
  std::vector<RankResult> results;
  for (std::size_t r = 0; r < all.size(); ++r) {
    const json j = json::parse(all[r]);
    const RankInfo& info = bootstrap.ranks()[r];
    RankResult result;
    result.rank = static_cast<int>(r);
    result.host = info.host;
    result.local_rank = info.local_rank;
    result.time = stats_from(j.at("time"));
    result.wrong_elements = j.at("wrong");
    result.timing_warning = j.at("warning");
    if (j.contains("samples_us")) result.samples_us = j.at("samples_us").get<std::vector<double>>();
    results.push_back(std::move(result));
  }
  return results;
}

void aggregate_ranks(CollectiveRecord& record, std::vector<RankResult> ranks, bool checked) {
  double sum_us = 0.0;
  record.time_us_min = ranks.empty() ? 0.0 : 1e300;
  record.wrong_elements = checked ? 0 : -1;
  for (const RankResult& r : ranks) {
    sum_us += r.time.mean_us;
    record.time_us_min = std::min(record.time_us_min, r.time.mean_us);
    if (r.time.mean_us > record.time_us_max || record.slowest_rank < 0) {
      record.time_us_max = r.time.mean_us;
      record.slowest_rank = r.rank;
    }
    if (r.wrong_elements > 0) record.wrong_elements += r.wrong_elements;
    if (record.timing_warning.empty() && !r.timing_warning.empty()) {
      record.timing_warning = "rank " + std::to_string(r.rank) + " (" + r.host + "): " + r.timing_warning;
    }
  }
  switch (record.time_aggregation) {
    case TimeAggregation::kRank0:
      record.time_us = ranks.empty() ? 0.0 : ranks.front().time.mean_us;
      break;
    case TimeAggregation::kAvg:
      record.time_us = ranks.empty() ? 0.0 : sum_us / static_cast<double>(ranks.size());
      break;
    case TimeAggregation::kMin:
      record.time_us = record.time_us_min;
      break;
    case TimeAggregation::kMax:
      record.time_us = record.time_us_max;
      break;
  }
  record.status = record.wrong_elements > 0 ? RecordStatus::kWrong : RecordStatus::kOk;
  record.ranks = std::move(ranks);
}

}  // namespace railcheck
