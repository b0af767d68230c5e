// One group of one round of an in-job bisection ("kind": "bisection"; results-schema $defs/bisection_record):
// which units (nodes, or the GPUs of one host) were measured together, their bus bandwidth against what a
// healthy group reaches, and whether the group was split further.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace railcheck {

struct BisectionMember {
  std::string host;
  std::optional<int> local_rank;  ///< GPU units only
  std::optional<int> rank;        ///< GPU units only
};

struct BisectionRecord {
  std::string test;  ///< suite entry name
  std::string test_key;
  std::string collective;  ///< key_of(kind)
  std::string backend;
  int round = 1;  ///< 1-based
  int group_index = 0;
  bool by_node = true;  ///< units are nodes ("node") or the GPUs of one host ("gpu")
  std::vector<BisectionMember> members;
  int nranks = 0;  ///< ranks that measured (0: nothing measurable)
  std::size_t size_bytes = 0;
  int iters = 0;
  double time_us = 0.0;  ///< mean over the group's ranks of each rank's mean time per call
  double busbw_gbps = 0.0;
  double expected_busbw_gbps = 0.0;
  std::string expected_from;  ///< "suite expected_busbw_gbps", "baseline <file>"
  bool slow = false;
  bool split = false;         ///< split into halves for the next round
  double start_unix_s = 0.0;  ///< rank 0's wall clock around the round
  double end_unix_s = 0.0;
};

/// The record as results.json keeps it; "kind": "bisection".
nlohmann::json to_json(const BisectionRecord& record);

}  // namespace railcheck
