// How a run ended: totals over its records and one line per problem found (naming rank, host or link), as
// results.json's "summary" keeps them. Computed from the record stream by SummarySink, never by producers.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "railcheck/core/exit_codes.h"

namespace railcheck {

struct RunSummary {
  int records = 0;
  int skipped_records = 0;
  int wrong_records = 0;            ///< collective or gpu-check records with wrong elements, gpu-check errors
  std::int64_t wrong_elements = 0;  ///< over every rank of every record (railcheck's count; nccl-tests' is below)
  int out_of_bounds = 0;  ///< nccl-tests' "Out of bounds values": (rank, collective record) pairs with wrong elements
  double avg_busbw_gbps = 0.0;  ///< mean busbw over measured collective records (nccl-tests' "Avg bus bandwidth")
  std::optional<double> min_avg_busbw_gbps;  ///< NCCL_TESTS_MIN_BW: the average fails below 0.9 x this
  std::vector<std::string> problems;
  int exit_code = kExitHealthy;
};

/// nccl-tests' rule for NCCL_TESTS_MIN_BW: the average bus bandwidth fails below 0.9 x the minimum.
/// nullopt when no minimum was set.
std::optional<bool> avg_busbw_ok(const RunSummary& summary);

nlohmann::json to_json(const RunSummary& summary);

}  // namespace railcheck
