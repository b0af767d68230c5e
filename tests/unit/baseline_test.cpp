// Baselines: generation by iterative trimmed mean, comparison (no false verdicts on a noisy healthy fleet,
// a slow part named), the most specific entry, merging, and parse errors that name the file and the field.
#include "railcheck/analysis/baseline.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <random>

#include "railcheck/core/error.h"

namespace railcheck::analysis {
namespace {

using nlohmann::json;

LinkSample link_sample(int host, int rail, double value) {
  LinkSample s;
  s.host_a = "node" + std::to_string(host);
  s.nic_a = "mlx5_" + std::to_string(rail);
  s.host_b = "node" + std::to_string(host + 1);
  s.nic_b = s.nic_a;
  s.rail = rail;
  s.metric = "p2p.bw bw_gbps";
  s.size_bytes = 1 << 20;
  s.value = value;
  return s;
}

UnitSample gpu_time_sample(int host, int gpu, double value_us) {
  UnitSample s;
  s.unit = make_gpu("node" + std::to_string(host), gpu);
  s.metric = "all_reduce.float.sum time_us";
  s.size_bytes = 1 << 24;
  s.rail = gpu;
  s.value = value_us;
  s.higher_is_better = false;
  return s;
}

// A healthy fleet: 16 hosts x 4 rails of link bandwidth (rails differ a little), 16 x 4 GPU times, and one
// group value per run, each with 2% Gaussian noise from `seed`.
Samples healthy_fleet(unsigned seed) {
  std::mt19937 random(seed);
  std::normal_distribution<double> noise(1.0, 0.02);
  Samples samples;
  for (int host = 0; host < 16; ++host) {
    for (int rail = 0; rail < 4; ++rail) {
      samples.links.push_back(link_sample(host, rail, (48.0 + rail) * noise(random)));
      samples.units.push_back(gpu_time_sample(host, rail, 900.0 * noise(random)));
    }
  }
  GroupSample world;
  world.group = "world";
  world.nranks = 64;
  world.metric = "all_reduce.float.sum busbw_gbps";
  world.size_bytes = 1 << 24;
  world.value = 180.0 * noise(random);
  samples.groups.push_back(world);
  return samples;
}

Samples links_with_values(const std::vector<double>& values) {
  Samples samples;
  for (std::size_t i = 0; i < values.size(); ++i) {
    samples.links.push_back(link_sample(static_cast<int>(i), 0, values[i]));
  }
  return samples;
}

BaselineEntry entry(std::string metric, std::size_t min_size, std::size_t max_size, int rail, int nranks,
                    double expected) {
  BaselineEntry e;
  e.metric = std::move(metric);
  e.min_size_bytes = min_size;
  e.max_size_bytes = max_size;
  e.rail = rail;
  e.nranks = nranks;
  e.expected = expected;
  return e;
}

int count_status(const std::vector<Finding>& findings, VerdictStatus status) {
  int n = 0;
  for (const Finding& f : findings) n += f.status == status ? 1 : 0;
  return n;
}

TEST(BaselineGenerate, IterativeTrimDropsOutliersUntilNothingMoves) {
  // Round 1 (mean 88.5) drops only 10; round 2 (mean 97.2) also drops 75; round 3 keeps the eight 100s.
  const Baseline b = generate_baseline(links_with_values({100, 100, 100, 100, 100, 100, 100, 100, 75, 10}), "p", {});
  ASSERT_EQ(b.entries.size(), 1u);
  EXPECT_DOUBLE_EQ(b.entries[0].expected, 100.0);
  EXPECT_EQ(b.entries[0].samples, 8);
  EXPECT_EQ(b.entries[0].scope, "link");
  EXPECT_EQ(b.entries[0].rail, 0);
  EXPECT_EQ(b.entries[0].min_size_bytes, std::size_t{1} << 20);
  EXPECT_EQ(b.entries[0].max_size_bytes, std::size_t{1} << 20);
  EXPECT_EQ(b.profile, "p");
}

TEST(BaselineGenerate, WritesTheOptionsTolerancesAndTrimsAtTheFailTolerance) {
  BaselineOptions options;
  options.warn_tolerance = 0.3;
  options.fail_tolerance = 0.5;  // 70 is within 50% of the mean: kept
  const Baseline b = generate_baseline(links_with_values({100, 100, 100, 70}), "p", options);
  ASSERT_EQ(b.entries.size(), 1u);
  EXPECT_DOUBLE_EQ(b.entries[0].expected, 92.5);
  EXPECT_EQ(b.entries[0].samples, 4);
  EXPECT_DOUBLE_EQ(b.entries[0].warn_tolerance, 0.3);
  EXPECT_DOUBLE_EQ(b.entries[0].fail_tolerance, 0.5);
}

TEST(BaselineGenerate, MedianOfAllWhenTrimmingWouldKeepLessThanHalf) {
  const Baseline b = generate_baseline(links_with_values({10, 100, 1000}), "p", {});
  ASSERT_EQ(b.entries.size(), 1u);
  EXPECT_DOUBLE_EQ(b.entries[0].expected, 100.0);
  EXPECT_EQ(b.entries[0].samples, 3);
}

TEST(BaselineGenerate, SeparateEntriesPerRailScopeAndGroupSizeAndSkipsFailedTransfers) {
  Samples samples = healthy_fleet(1);
  LinkSample failed = link_sample(0, 0, 0.0);
  failed.ok = false;
  samples.links.push_back(failed);
  const Baseline b = generate_baseline(samples, "p", {});
  ASSERT_EQ(b.entries.size(), 4u + 4u + 1u);  // 4 link rails, 4 unit rails, 1 group
  const BaselineEntry* rail0 = find_entry(b, "link", "p2p.bw bw_gbps", 1 << 20, 0, -1);
  ASSERT_NE(rail0, nullptr);
  EXPECT_EQ(rail0->samples, 16);  // the failed transfer is not a value
  const BaselineEntry* group = find_entry(b, "group", "all_reduce.float.sum busbw_gbps", 1 << 24, -1, 64);
  ASSERT_NE(group, nullptr);
  EXPECT_EQ(group->nranks, 64);
  EXPECT_EQ(find_entry(b, "group", "all_reduce.float.sum busbw_gbps", 1 << 24, -1, 32), nullptr);
  const BaselineEntry* unit = find_entry(b, "unit", "all_reduce.float.sum time_us", 1 << 24, 2, -1);
  ASSERT_NE(unit, nullptr);
  EXPECT_FALSE(unit->higher_is_better);
}

TEST(BaselineCompare, NoisyHealthyFleetGivesNoWarnOrFailAgainstItsOwnBaseline) {
  const Samples known_good = healthy_fleet(42);
  Baseline baseline = generate_baseline(known_good, "ci", {});
  baseline.source = "ci.json";
  for (unsigned seed : {42u, 43u, 44u}) {  // the run it was made from, and two re-runs of the same fleet
    const std::vector<Finding> findings = compare_to_baseline(healthy_fleet(seed), baseline);
    EXPECT_EQ(findings.size(), 128u) << "every link and unit sample is judged; groups are not";
    EXPECT_EQ(count_status(findings, VerdictStatus::kFail), 0) << "seed " << seed;
    EXPECT_EQ(count_status(findings, VerdictStatus::kWarn), 0) << "seed " << seed;
  }
}

TEST(BaselineCompare, ThirtyPercentSlowLinkFailsAndNamesTheLink) {
  Baseline baseline = generate_baseline(healthy_fleet(7), "dgx-h100", {});
  baseline.source = "suites/baselines/dgx-h100.json";
  Samples run = healthy_fleet(8);
  run.links[9].value = 0.7 * (48.0 + run.links[9].rail);  // host 2, rail 1
  const std::vector<Finding> findings = compare_to_baseline(run, baseline);
  ASSERT_EQ(count_status(findings, VerdictStatus::kFail), 1);
  EXPECT_EQ(count_status(findings, VerdictStatus::kWarn), 0);
  for (const Finding& f : findings) {
    if (f.status != VerdictStatus::kFail) continue;
    EXPECT_EQ(f.component, make_link("node2", "mlx5_1", "node3", "mlx5_1", 1));
    EXPECT_EQ(f.evidence.source, "baseline");
    EXPECT_EQ(f.evidence.metric, "p2p.bw bw_gbps");
    EXPECT_EQ(f.evidence.size_bytes, std::size_t{1} << 20);
    EXPECT_NEAR(f.evidence.deviation, -0.3, 0.03);
    EXPECT_NEAR(f.evidence.expected, 49.0, 1.0);
    EXPECT_EQ(f.evidence.expected_from, "baseline suites/baselines/dgx-h100.json (profile dgx-h100)");
    EXPECT_NE(f.evidence.text.find(label(f.component)), std::string::npos) << f.evidence.text;
  }
}

TEST(BaselineCompare, SlowerGpuTimeWarnsThenFailsByTheEntrysTolerances) {
  Baseline baseline;
  baseline.source = "b.json";
  baseline.profile = "p";
  BaselineEntry time = entry("all_reduce.float.sum time_us", 0, 1 << 30, -1, -1, 1000.0);
  time.scope = "unit";
  time.higher_is_better = false;
  baseline.entries.push_back(time);
  Samples run;
  run.units = {gpu_time_sample(1, 0, 1050.0), gpu_time_sample(1, 1, 1150.0), gpu_time_sample(1, 2, 1300.0),
               gpu_time_sample(1, 3, 600.0)};
  const std::vector<Finding> findings = compare_to_baseline(run, baseline);
  ASSERT_EQ(findings.size(), 4u);
  EXPECT_EQ(findings[0].status, VerdictStatus::kPass);
  EXPECT_EQ(findings[1].status, VerdictStatus::kWarn);
  EXPECT_EQ(findings[2].status, VerdictStatus::kFail);
  EXPECT_EQ(findings[2].component, make_gpu("node1", 2));
  EXPECT_NEAR(findings[2].evidence.deviation, 0.3, 1e-9);
  EXPECT_EQ(findings[3].status, VerdictStatus::kPass) << "faster than expected is not worse";
}

TEST(BaselineCompare, FailedTransferFailsAndUnknownMetricsAreNotJudged) {
  Baseline baseline;
  baseline.source = "b.json";
  baseline.profile = "p";
  baseline.entries.push_back(entry("p2p.bw bw_gbps", 0, 1 << 30, -1, -1, 50.0));
  Samples run;
  LinkSample failed = link_sample(0, 0, 0.0);
  failed.ok = false;
  failed.error = "connection refused";
  run.links.push_back(failed);
  LinkSample other = link_sample(1, 0, 1.0);
  other.metric = "p2p.lat lat_us.typical";
  run.links.push_back(other);
  const std::vector<Finding> findings = compare_to_baseline(run, baseline);
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].status, VerdictStatus::kFail);
  EXPECT_NE(findings[0].evidence.text.find("connection refused"), std::string::npos);
}

GroupSample collective(std::vector<std::string> hosts, int nranks, double busbw) {
  GroupSample g;
  g.group = "world";
  g.hosts = std::move(hosts);
  g.nranks = nranks;
  g.metric = "all_reduce.float.sum busbw_gbps";
  g.size_bytes = 1 << 24;
  g.value = busbw;
  return g;
}

TEST(BaselineCompare, CollectiveOnOneHostIsJudgedOnThatNodeAcrossHostsEveryHostIsWarnedAtMost) {
  Baseline baseline;
  baseline.source = "b.json";
  baseline.profile = "p";
  BaselineEntry on_one_host = entry("all_reduce.float.sum busbw_gbps", 0, 1 << 30, -1, 8, 400.0);
  on_one_host.scope = "group";
  BaselineEntry across = entry("all_reduce.float.sum busbw_gbps", 0, 1 << 30, -1, 16, 180.0);
  across.scope = "group";
  baseline.entries = {on_one_host, across};
  Samples run;
  run.groups.push_back(collective({"node1"}, 8, 200.0));           // 50 % below: fails node1
  run.groups.push_back(collective({"node2", "node3"}, 16, 90.0));  // 50 % below: both warned, not failed
  run.groups.push_back(collective({"node4", "node5"}, 32, 10.0));  // no entry for 32 ranks: not judged
  const std::vector<Finding> findings = compare_to_baseline(run, baseline);
  ASSERT_EQ(findings.size(), 3u);
  EXPECT_EQ(findings[0].component, make_node("node1"));
  EXPECT_EQ(findings[0].status, VerdictStatus::kFail);
  EXPECT_EQ(findings[1].component, make_node("node2"));
  EXPECT_EQ(findings[2].component, make_node("node3"));
  for (int i : {1, 2}) {
    EXPECT_EQ(findings[i].status, VerdictStatus::kWarn);
    EXPECT_NE(findings[i].evidence.text.find("2 hosts"), std::string::npos) << findings[i].evidence.text;
    EXPECT_NE(findings[i].evidence.text.find(kNotLocalizedText), std::string::npos);
  }
  const std::vector<Verdict> verdicts = combine(findings);
  for (const Verdict& v : verdicts) {
    if (v.component == make_node("node2")) {
      EXPECT_NE(v.action.find("bisect"), std::string::npos) << v.action;
    }
  }
}

TEST(BaselineCompare, HealthyCollectiveAcrossHostsPassesEveryHost) {
  Baseline baseline;
  baseline.source = "b.json";
  baseline.profile = "p";
  BaselineEntry across = entry("all_reduce.float.sum busbw_gbps", 0, 1 << 30, -1, -1, 180.0);
  across.scope = "group";
  baseline.entries = {across};
  Samples run;
  run.groups.push_back(collective({"node2", "node3", "node4"}, 24, 178.0));
  const std::vector<Finding> findings = compare_to_baseline(run, baseline);
  ASSERT_EQ(findings.size(), 3u);
  EXPECT_EQ(count_status(findings, VerdictStatus::kPass), 3);
}

TEST(BaselineFindEntry, MostSpecificWinsRailThenNranksThenNarrowerRange) {
  Baseline b;
  b.entries.push_back(entry("m", 0, 1000, -1, -1, 1.0));   // 0: anything
  b.entries.push_back(entry("m", 100, 200, -1, -1, 2.0));  // 1: narrower sizes
  b.entries.push_back(entry("m", 0, 1000, -1, 8, 3.0));    // 2: 8 ranks
  b.entries.push_back(entry("m", 0, 1000, 2, -1, 4.0));    // 3: rail 2
  b.entries.push_back(entry("m", 0, 1000, 2, 8, 5.0));     // 4: rail 2 and 8 ranks
  auto expected = [&b](std::size_t size, int rail, int nranks) {
    const BaselineEntry* e = find_entry(b, "link", "m", size, rail, nranks);
    return e == nullptr ? -1.0 : e->expected;
  };
  EXPECT_EQ(expected(500, 0, 4), 1.0);
  EXPECT_EQ(expected(150, 0, 4), 2.0);
  EXPECT_EQ(expected(150, 0, 8), 3.0) << "exact nranks beats a narrower size range";
  EXPECT_EQ(expected(150, 2, 4), 4.0) << "exact rail beats everything else";
  EXPECT_EQ(expected(150, 2, 8), 5.0);
  EXPECT_EQ(expected(1001, 0, 4), -1.0) << "size outside every range";
  EXPECT_EQ(find_entry(b, "unit", "m", 500, 0, 4), nullptr) << "scope must match";
  EXPECT_EQ(find_entry(b, "link", "other", 500, 0, 4), nullptr) << "metric must match";
}

TEST(BaselineMerge, SameKeysAreSampleWeightedNewKeysAddedOldKeysKept) {
  Baseline older;
  older.profile = "p";
  older.source = "old.json";
  older.generated_from = "run1";
  BaselineEntry shared = entry("m", 8, 8, 0, -1, 100.0);
  shared.samples = 30;
  older.entries = {shared, entry("only-old", 8, 8, 0, -1, 7.0)};
  Baseline newer;
  newer.profile = "p";
  newer.source = "new.json";
  newer.generated_from = "run2";
  BaselineEntry fresh = entry("m", 8, 8, 0, -1, 80.0);
  fresh.samples = 10;
  fresh.warn_tolerance = 0.05;
  fresh.fail_tolerance = 0.15;
  newer.entries = {fresh, entry("only-new", 8, 8, 0, -1, 9.0)};

  const Baseline merged = merge_baselines(older, newer);
  ASSERT_EQ(merged.entries.size(), 3u);
  EXPECT_DOUBLE_EQ(merged.entries[0].expected, 95.0);  // (100 * 30 + 80 * 10) / 40
  EXPECT_EQ(merged.entries[0].samples, 40);
  EXPECT_DOUBLE_EQ(merged.entries[0].warn_tolerance, 0.05);
  EXPECT_DOUBLE_EQ(merged.entries[0].fail_tolerance, 0.15);
  EXPECT_EQ(merged.entries[1].metric, "only-old");
  EXPECT_EQ(merged.entries[2].metric, "only-new");
  EXPECT_EQ(merged.generated_from, "run1; run2");

  newer.profile = "q";
  try {
    merge_baselines(older, newer);
    FAIL() << "profiles differ";
  } catch (const InputError& e) {
    const std::string message = e.what();
    EXPECT_NE(message.find("new.json"), std::string::npos) << message;
    EXPECT_NE(message.find("old.json"), std::string::npos) << message;
    EXPECT_NE(message.find("'q'"), std::string::npos) << message;
  }
}

// A valid baseline document with one entry; tests break one thing at a time.
json valid_document() {
  return {{"kind", "railcheck.baseline"},
          {"schema_version", 1},
          {"profile", "dgx-h100"},
          {"entries",
           {{{"metric", "p2p.bw bw_gbps"},
             {"scope", "link"},
             {"min_size_bytes", 1024},
             {"max_size_bytes", 1048576},
             {"rail", 0},
             {"expected", 48.5},
             {"higher_is_better", true},
             {"warn_tolerance", 0.1},
             {"fail_tolerance", 0.2}}}}};
}

// The InputError message of parsing `document` as "b.json"; empty when it parsed.
std::string parse_error(const std::string& text) {
  try {
    parse_baseline(text, "b.json");
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

void expect_error_names(const json& document, const std::string& field, const std::string& problem) {
  const std::string message = parse_error(document.dump());
  EXPECT_EQ(message.rfind("b.json: " + field + ": ", 0), 0u) << "names file and field " << field << ": " << message;
  EXPECT_NE(message.find(problem), std::string::npos) << message;
  EXPECT_EQ(message.find('\n'), std::string::npos) << "one line: " << message;
}

TEST(BaselineParse, ValidDocumentRoundTripsThroughToJson) {
  const Baseline b = parse_baseline(valid_document().dump(), "b.json");
  EXPECT_EQ(b.source, "b.json");
  EXPECT_EQ(b.profile, "dgx-h100");
  ASSERT_EQ(b.entries.size(), 1u);
  EXPECT_EQ(b.entries[0].nranks, -1) << "nranks defaults to any";
  EXPECT_EQ(b.entries[0].max_size_bytes, 1048576u);
  const Baseline again = parse_baseline(to_json(b).dump(), "again.json");
  EXPECT_EQ(to_json(again), to_json(b));
}

TEST(BaselineParse, WrongSchemaVersionNamesTheField) {
  json document = valid_document();
  document["schema_version"] = 2;
  expect_error_names(document, "schema_version", "this railcheck reads 1");
}

TEST(BaselineParse, NotABaselineNamesKind) {
  json document = valid_document();
  document.erase("kind");
  expect_error_names(document, "kind", "not a railcheck baseline");
}

TEST(BaselineParse, MissingExpectedNamesTheEntry) {
  json document = valid_document();
  document["entries"][0].erase("expected");
  expect_error_names(document, "entries[0].expected", "missing required field");
}

TEST(BaselineParse, UnknownFieldNamesIt) {
  json document = valid_document();
  document["entries"][0]["expectd"] = 3;
  expect_error_names(document, "entries[0].expectd", "unknown field");
}

TEST(BaselineParse, NegativeToleranceIsRejected) {
  json document = valid_document();
  document["entries"][0]["warn_tolerance"] = -0.1;
  expect_error_names(document, "entries[0].warn_tolerance", "fraction from 0");
}

TEST(BaselineParse, WarnAboveFailIsRejected) {
  json document = valid_document();
  document["entries"][0]["warn_tolerance"] = 0.3;
  expect_error_names(document, "entries[0].warn_tolerance", "above fail_tolerance 0.2");
}

TEST(BaselineParse, MinSizeAboveMaxSizeIsRejected) {
  json document = valid_document();
  document["entries"][0]["min_size_bytes"] = 2048;
  document["entries"][0]["max_size_bytes"] = 1024;
  expect_error_names(document, "entries[0].min_size_bytes", "above max_size_bytes 1024");
}

TEST(BaselineParse, NonPositiveExpectedAndDuplicateKeysAreRejected) {
  json zero = valid_document();
  zero["entries"][0]["expected"] = 0;
  expect_error_names(zero, "entries[0].expected", "above 0");
  json duplicate = valid_document();
  duplicate["entries"].push_back(duplicate["entries"][0]);
  expect_error_names(duplicate, "entries[1]", "entries[0]");
}

TEST(BaselineParse, NotJsonNamesTheFile) {
  const std::string message = parse_error("{\"kind\": \"railcheck.baseline\",");
  EXPECT_EQ(message.rfind("b.json: not valid JSON at line 1", 0), 0u) << message;
}

TEST(BaselineParse, WrongProfileNamesFileAndBothProfiles) {
  const Baseline b = parse_baseline(valid_document().dump(), "b.json");
  EXPECT_NO_THROW(check_profile(b, "dgx-h100"));
  EXPECT_NO_THROW(check_profile(b, "")) << "a run without a profile matches any baseline";
  try {
    check_profile(b, "four-gpu");
    FAIL() << "profiles differ";
  } catch (const InputError& e) {
    const std::string message = e.what();
    EXPECT_EQ(message.rfind("b.json: profile: ", 0), 0u) << message;
    EXPECT_NE(message.find("'dgx-h100'"), std::string::npos) << message;
    EXPECT_NE(message.find("'four-gpu'"), std::string::npos) << message;
    EXPECT_NE(message.find("baseline generate --profile four-gpu"), std::string::npos) << message;
  }
}

TEST(BaselineLoad, MissingFileNamesThePath) {
  const std::filesystem::path path = std::filesystem::temp_directory_path() / "railcheck-no-such-baseline.json";
  try {
    load_baseline(path);
    FAIL() << "no such file";
  } catch (const InputError& e) {
    const std::string message = e.what();
    EXPECT_EQ(message.rfind(path.string() + ": cannot read baseline file (no such file)", 0), 0u) << message;
  }
}

TEST(BaselineLoad, ReadsAFileAndKeepsItsPathAsSource) {
  const std::filesystem::path path = std::filesystem::temp_directory_path() / "railcheck-baseline-test.json";
  {
    std::ofstream out(path);
    out << valid_document().dump(2);
  }
  const Baseline b = load_baseline(path);
  std::filesystem::remove(path);
  EXPECT_EQ(b.source, path.string());
  EXPECT_EQ(b.entries.size(), 1u);
}

}  // namespace
}  // namespace railcheck::analysis
