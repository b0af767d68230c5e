// How a run ended: totals over its records and one line per problem found (naming rank, host or link), as
// results.json's "summary" keeps them. Computed from the record stream by SummarySink, never by producers.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "railcheck/core/exit_codes.h"

namespace railcheck {

struct RunSummary {
  int records = 0;
  int skipped_records = 0;
  int wrong_records = 0;  ///< collective or gpu-check records with wrong elements, gpu-check errors
  std::int64_t wrong_elements = 0;
  double avg_busbw_gbps = 0.0;  ///< mean busbw over measured collective records (nccl-tests' "Avg bus bandwidth")
  std::vector<std::string> problems;
  int exit_code = kExitHealthy;
};

nlohmann::json to_json(const RunSummary& summary);

}  // namespace railcheck
