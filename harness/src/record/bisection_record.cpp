#include "railcheck/record/bisection_record.h"

#include "railcheck/record/record_kinds.h"

namespace railcheck {

nlohmann::json to_json(const BisectionRecord& r) {
  nlohmann::json members = nlohmann::json::array();
  for (const BisectionMember& m : r.members) {
    nlohmann::json member = {{"host", m.host}};
    if (m.local_rank) member["local_rank"] = *m.local_rank;
    if (m.rank) member["rank"] = *m.rank;
    members.push_back(std::move(member));
  }
  return {{"kind", line_type_info(LineType::kBisection).record_kind},
          {"test", r.test},
          {"test_key", r.test_key},
          {"collective", r.collective},
          {"backend", r.backend},
          {"round", r.round},
          {"group_index", r.group_index},
          {"units", r.by_node ? "node" : "gpu"},
          {"members", std::move(members)},
          {"nranks", r.nranks},
          {"size_bytes", r.size_bytes},
          {"iters", r.iters},
          {"time_us", r.time_us},
          {"busbw_gbps", r.busbw_gbps},
          {"expected_busbw_gbps", r.expected_busbw_gbps},
          {"expected_from", r.expected_from},
          {"slow", r.slow},
          {"split", r.split},
          {"start_unix_s", r.start_unix_s},
          {"end_unix_s", r.end_unix_s}};
}

}  // namespace railcheck
