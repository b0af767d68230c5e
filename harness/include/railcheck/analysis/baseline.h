// Baselines as data (results-schema/baseline.schema.json): per hardware profile, per metric (test key +
// field), per size range and per rail / group size: the expected value with warn and fail tolerances.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "railcheck/analysis/samples.h"
#include "railcheck/analysis/thresholds.h"
#include "railcheck/analysis/verdict.h"

namespace railcheck::analysis {

inline constexpr int kBaselineSchemaVersion = 1;

struct BaselineEntry {
  std::string metric;              ///< "p2p.bw bw_gbps", "all_reduce.float.sum busbw_gbps", ...
  std::size_t min_size_bytes = 0;  ///< size range the entry covers, inclusive
  std::size_t max_size_bytes = 0;
  int rail = -1;               ///< -1: any rail
  int nranks = -1;             ///< group samples: the group's rank count; -1: any / not a group metric
  std::string scope = "link";  ///< "link", "unit" or "group": which samples the entry judges
  double expected = 0.0;
  bool higher_is_better = true;
  double warn_tolerance = 0.10;  ///< worse than expected by more than this fraction -> warn
  double fail_tolerance = 0.20;  ///< -> fail
  int samples = 0;               ///< how many values the expected value was made from (after trimming)
};

struct Baseline {
  std::string source;   ///< file path, for messages
  std::string profile;  ///< hardware profile name the numbers belong to ("dgx-h100", "ci-netns")
  std::string description;
  std::string generated_from;  ///< run(s) it was made from (results paths / git revisions)
  std::vector<BaselineEntry> entries;
};

/// Parses a baseline document. Throws InputError "<source>: <field path>: <problem>; <fix>" on a wrong
/// schema_version, missing or unknown fields, bad numbers (tolerances must satisfy 0 <= warn <= fail < 1,
/// expected > 0, min_size_bytes <= max_size_bytes) and duplicate keys.
Baseline parse_baseline(std::string_view json_text, const std::string& source);
Baseline load_baseline(const std::filesystem::path& path);
nlohmann::json to_json(const Baseline& baseline);

/// Throws InputError naming the baseline file, its profile and the run's, with the fix (use the baseline of
/// this hardware, or generate one), when they differ. An empty run profile matches any baseline.
void check_profile(const Baseline& baseline, const std::string& run_profile);

/// The entry that judges a sample: same scope and metric, size in range, rail equal (or entry rail -1),
/// nranks equal (or entry -1); the most specific match wins. nullptr when none.
const BaselineEntry* find_entry(const Baseline& baseline, std::string_view scope, std::string_view metric,
                                std::size_t size_bytes, int rail, int nranks);

/// A baseline from a known-good run: per (scope, metric, exact size, rail, nranks) the iterative trimmed
/// mean: mean of all values, drop those worse or better than it by more than options.fail_tolerance,
/// recompute, until nothing more is dropped (at least half the values are kept; fewer: the median).
/// Tolerances written are options' tolerances.
Baseline generate_baseline(const Samples& samples, std::string profile, const BaselineOptions& options);

/// `older` updated with `newer`: entries with the same key are replaced by the sample-weighted mean of the two
/// expected values (tolerances from `newer`), new keys added, keys only in `older` kept. Throws InputError
/// when the profiles differ.
Baseline merge_baselines(const Baseline& older, const Baseline& newer);

/// The end of the evidence text of a collective judged against its baseline across several hosts: it cannot
/// say which host is slow, so each is warned at most, and the playbook says how to find out.
inline constexpr std::string_view kNotLocalizedText =
    "Not localized: every host of the group is a suspect until bisection or pairwise tests name one.";

/// One Finding per judged sample (source "baseline"): units -> the unit, links -> the link, collectives
/// (groups, entries of scope "group" matched on metric, size and nranks) -> each member host's node: on one
/// host that node's own status, across hosts a warning at most (kNotLocalizedText). Samples with no entry
/// are not judged (no finding).
std::vector<Finding> compare_to_baseline(const Samples& samples, const Baseline& baseline);

}  // namespace railcheck::analysis
