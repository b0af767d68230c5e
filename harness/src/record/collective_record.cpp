#include "railcheck/record/collective_record.h"

#include "railcheck/record/record_kinds.h"

namespace railcheck {

std::string_view name_of(RecordStatus status) {
  switch (status) {
    case RecordStatus::kOk:
      return "ok";
    case RecordStatus::kWrong:
      return "wrong";
    case RecordStatus::kSkipped:
      return "skipped";
  }
  return "?";
}

namespace {

nlohmann::json stats_json(const SampleStats& s) {
  return {{"count", s.count},   {"mean_us", s.mean_us}, {"min_us", s.min_us},     {"max_us", s.max_us},
          {"p50_us", s.p50_us}, {"p99_us", s.p99_us},   {"stdev_us", s.stdev_us}, {"p99_9_us", s.p99_9_us}};
}

}  // namespace

nlohmann::json to_json(const CollectiveRecord& r) {
  nlohmann::json j = {
      {"kind", line_type_info(LineType::kRecord).record_kind},
      {"test", r.test_name},
      {"test_key", r.test_key},
      {"collective", std::string(key_of(r.kind))},
      {"backend", r.backend},
      {"group", r.group},
      {"nranks", r.nranks},
      {"size_bytes", r.size_bytes},
      {"count", r.count},
      {"dtype", std::string(name_of(r.type))},
      {"redop", r.op ? nlohmann::json(std::string(name_of(*r.op))) : nlohmann::json(nullptr)},
      {"root", r.root ? nlohmann::json(*r.root) : nlohmann::json(nullptr)},
      {"in_place", r.in_place},
      {"iters", r.iters},
      {"warmup_iters", r.warmup_iters},
      {"graph_launches", r.graph_launches},
      {"timing", std::string(name_of(r.timing))},
      {"blocking", static_cast<int>(r.blocking)},
      {"status", std::string(name_of(r.status))},
      {"time_us", r.time_us},
      {"time_aggregation", std::string(name_of(r.time_aggregation))},
      {"time_us_min", r.time_us_min},
      {"time_us_max", r.time_us_max},
      {"slowest_rank", r.slowest_rank},
      {"algbw_gbps", r.algbw_gbps},
      {"busbw_gbps", r.busbw_gbps},
      {"wrong_elements", r.wrong_elements},
      {"start_unix_s", r.start_unix_s},
      {"end_unix_s", r.end_unix_s},
  };
  if (r.status == RecordStatus::kSkipped) j["skip_reason"] = r.skip_reason;
  if (!r.timing_warning.empty()) j["timing_warning"] = r.timing_warning;
  if (r.cpu_time_us) j["cpu_time_us"] = *r.cpu_time_us;
  if (r.interval) j["interval"] = *r.interval;
  if (r.passes) j["passes"] = to_json(*r.passes);
  nlohmann::json ranks = nlohmann::json::array();
  for (const RankResult& rank : r.ranks) {
    nlohmann::json entry = {{"rank", rank.rank},
                            {"host", rank.host},
                            {"local_rank", rank.local_rank},
                            {"time_us", rank.time.mean_us},
                            {"time", stats_json(rank.time)},
                            {"wrong_elements", rank.wrong_elements}};
    if (!rank.samples_us.empty()) entry["samples_us"] = rank.samples_us;
    ranks.push_back(std::move(entry));
  }
  j["ranks"] = std::move(ranks);
  return j;
}

SoakFold soak_fold(const CollectiveRecord& r) {
  const bool wrong = r.status == RecordStatus::kWrong;
  SoakFold f;
  f.key = "collective|" + r.test_name + "|" + r.test_key + "|" + r.group + "|" + std::to_string(r.nranks) + "|" +
          std::to_string(r.size_bytes) + "|" + std::to_string(r.count) + "|" + (r.in_place ? "in" : "out") +
          (r.status == RecordStatus::kSkipped ? "|skipped" : "");
  f.figure_name = "busbw_gbps";
  if (r.status == RecordStatus::kOk) f.figure = r.busbw_gbps;
  f.failed = wrong;
  f.streams_alone = wrong;
  return f;
}

}  // namespace railcheck
