// Pair-matrix analysis: slow links per (rail, metric, size), the NICs they share, and the re-test pass.
//
// Choices (see pair_matrix.h): both directions of a pair are one link, judged by its worse direction, so a
// pair is slow when either direction is; a failed transfer makes its link slow. The rail's centre is the
// median of the NICs' median link values (see rail_centre), its spread a MAD of the measurements near it; "expected" in evidence is the median of the
// healthy (not slow) links' measurements, and re-tests are judged against that healthy centre.
#include "railcheck/analysis/pair_matrix.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <tuple>

#include "railcheck/analysis/fleet_outliers.h"
#include "railcheck/analysis/robust_stats.h"

namespace railcheck::analysis {
namespace {

struct GroupKey {
  int rail = 0;
  std::string metric;
  std::size_t size_bytes = 0;
  auto operator<=>(const GroupKey&) const = default;
};

struct LinkStats {
  std::vector<const LinkSample*> samples;
  bool has_value = false;  ///< at least one transfer succeeded
  double value = 0.0;      ///< the worse direction's value among successful transfers
  bool failed = false;     ///< a transfer failed
  bool slow = false;
  bool suspect = false;
  std::optional<ComponentId> explained_by;  ///< a suspect end that explains this slow link
};

struct NicStats {
  std::vector<ComponentId> links;  ///< distinct pairs this NIC was in
  int slow = 0;
  bool suspect = false;
  bool unlocalized = false;  ///< suspect only because it had fewer pairs than min_slow_pairs, all slow
};

struct RailGroup {
  GroupKey key;
  bool higher_is_better = true;
  bool comparable = false;  ///< enough links for the outlier rule (options.link.min_units)
  RobustCentre all;         ///< over every successful measurement
  RobustCentre healthy;     ///< over the measurements of links that are not slow
  int healthy_links = 0;
  std::map<ComponentId, LinkStats> links;
  std::map<ComponentId, NicStats> nics;
};

ComponentId nic_a_of(const LinkSample& sample) { return make_nic(sample.host_a, sample.nic_a, sample.rail); }
ComponentId nic_b_of(const LinkSample& sample) { return make_nic(sample.host_b, sample.nic_b, sample.rail); }
ComponentId link_of(const LinkSample& sample) {
  return make_link(sample.host_a, sample.nic_a, sample.host_b, sample.nic_b, sample.rail);
}
ComponentId end_a_of(const ComponentId& link) { return make_nic(link.host, link.nic, link.rail); }
ComponentId end_b_of(const ComponentId& link) { return make_nic(link.peer_host, link.peer_nic, link.rail); }

bool worse_than(double a, double b, bool higher_is_better) { return higher_is_better ? a < b : a > b; }


/// "round 1: node1(mlx5_0)->node3(mlx5_0) 0.61 GB/s" or "... failed: <error>".
std::string ref_of(const LinkSample& sample) {
  std::string text = "round " + std::to_string(sample.round) + ": " + sample.host_a + "(" + sample.nic_a + ")->" +
                     sample.host_b + "(" + sample.nic_b + ") ";
  if (!sample.ok) return text + "failed" + (sample.error.empty() ? "" : ": " + sample.error);
  return text + format_value(sample.value, sample.metric);
}

bool is_suspect_by_rule(int slow, int total, const PairMatrixOptions& options) {
  if (slow == 0) return false;
  if (total < options.min_slow_pairs) return slow == total;
  return slow >= options.min_slow_pairs && static_cast<double>(slow) > options.suspect_share * total;
}

/// The rail's centre, robust even when one bad NIC touches half of the rail's links (4 hosts: 3 of 6 pairs):
/// the median of each NIC's median link value (a NIC's median is healthy while fewer than half of its pairs
/// are with bad NICs). The spread: 1.4826 x MAD around that centre of the measurements within
/// link.fail_deviation of it, so the slow links do not widen it; floored like robust_centre().
RobustCentre rail_centre(const RailGroup& group, const std::vector<double>& values, const OutlierOptions& link) {
  std::vector<double> nic_medians;
  for (const auto& [nic, stats] : group.nics) {
    std::vector<double> own;
    for (const ComponentId& id : stats.links) {
      const LinkStats& l = group.links.at(id);
      if (l.has_value) own.push_back(l.value);
    }
    if (!own.empty()) nic_medians.push_back(median(own));
  }
  if (nic_medians.size() < 3) return robust_centre(values, link.min_relative_spread);  // no majority to lean on
  RobustCentre c;
  c.count = static_cast<int>(values.size());
  c.median = median(nic_medians);
  std::vector<double> deviations;
  for (double v : values) {
    if (std::fabs(v - c.median) <= link.fail_deviation * std::fabs(c.median)) deviations.push_back(std::fabs(v - c.median));
  }
  c.mad = median(deviations);
  c.spread = std::max(1.4826 * c.mad, link.min_relative_spread * std::fabs(c.median));
  return c;
}

/// The first pass's bookkeeping, shared by analyze_pair_matrix() and confirm().
std::map<GroupKey, RailGroup> build_groups(std::span<const LinkSample> links, const PairMatrixOptions& options) {
  std::map<GroupKey, RailGroup> groups;
  for (const LinkSample& sample : links) {
    if (sample.retest) continue;
    const GroupKey key{sample.rail, sample.metric, sample.size_bytes};
    auto [it, inserted] = groups.try_emplace(key);
    RailGroup& group = it->second;
    if (inserted) {
      group.key = key;
      group.higher_is_better = sample.higher_is_better;
    }
    const ComponentId link = link_of(sample);
    LinkStats& stats = group.links[link];
    if (stats.samples.empty()) {
      group.nics[nic_a_of(sample)].links.push_back(link);
      if (nic_b_of(sample) != nic_a_of(sample)) group.nics[nic_b_of(sample)].links.push_back(link);
    }
    stats.samples.push_back(&sample);
    if (!sample.ok) {
      stats.failed = true;
    } else if (!stats.has_value || worse_than(sample.value, stats.value, group.higher_is_better)) {
      stats.value = sample.value;
      stats.has_value = true;
    }
  }

  for (auto& [key, group] : groups) {
    std::vector<double> values;
    int links_with_value = 0;
    for (const auto& [link, stats] : group.links) {
      links_with_value += stats.has_value ? 1 : 0;
      for (const LinkSample* sample : stats.samples) {
        if (sample->ok) values.push_back(sample->value);
      }
    }
    group.all = rail_centre(group, values, options.link);
    group.comparable = links_with_value >= options.link.min_units;

    std::vector<double> healthy;
    for (auto& [link, stats] : group.links) {
      stats.slow = stats.failed || (group.comparable && stats.has_value &&
                                    judge_outlier(stats.value, group.all, group.higher_is_better, options.link) ==
                                        VerdictStatus::kFail);
      if (stats.slow) continue;
      ++group.healthy_links;
      for (const LinkSample* sample : stats.samples) {
        if (sample->ok) healthy.push_back(sample->value);
      }
    }
    group.healthy = healthy.empty() ? group.all : robust_centre(healthy, options.link.min_relative_spread);

    for (auto& [nic, stats] : group.nics) {
      for (const ComponentId& link : stats.links) stats.slow += group.links[link].slow ? 1 : 0;
      const int total = static_cast<int>(stats.links.size());
      stats.suspect = is_suspect_by_rule(stats.slow, total, options);
      stats.unlocalized = stats.suspect && total < options.min_slow_pairs;
    }
    for (auto& [link, stats] : group.links) {
      if (!stats.slow) continue;
      for (const ComponentId& end : {end_a_of(link), end_b_of(link)}) {
        if (group.nics[end].suspect && !stats.explained_by) stats.explained_by = end;
      }
      stats.suspect = !stats.explained_by;
    }
  }
  return groups;
}

/// Fills measured / expected / deviation / spreads against the group's healthy centre.
void fill_numbers(Evidence& evidence, const RailGroup& group, double measured) {
  evidence.metric = group.key.metric;
  evidence.size_bytes = group.key.size_bytes;
  evidence.measured = measured;
  evidence.expected = group.healthy.median;
  evidence.expected_from =
      "median of " + std::to_string(group.healthy_links) + " healthy links on rail " + std::to_string(group.key.rail);
  evidence.deviation = group.healthy.median != 0.0 ? (measured - group.healthy.median) / group.healthy.median : 0.0;
  evidence.spreads = group.healthy.spread > 0.0 ? std::fabs(measured - group.healthy.median) / group.healthy.spread : 0.0;
}

/// "p2p.bw bw_gbps 0.59 GB/s at 1 MiB, 41% below the rail's healthy-link median (1.00 GB/s, 9.3 spreads)".
std::string numbers_text(const Evidence& evidence, const std::string& centre_name) {
  return evidence.metric + " " + format_value(evidence.measured, evidence.metric) + format_at_size(evidence.size_bytes) +
         ", " + describe_deviation(evidence.deviation) + " " + centre_name + " (" +
         format_value(evidence.expected, evidence.metric) + ", " + format_spreads(evidence.spreads) + " spreads)";
}

Finding nic_finding(const ComponentId& nic, const NicStats& stats, const RailGroup& group, bool rail_has_good_nic,
                    const PairMatrixOptions& options) {
  Finding finding;
  finding.component = nic;
  Evidence& evidence = finding.evidence;
  evidence.source = "pair_matrix";
  std::vector<double> values;
  for (const ComponentId& link : stats.links) {
    const LinkStats& link_stats = group.links.at(link);
    if (link_stats.has_value) values.push_back(link_stats.value);
    if (link_stats.slow) {
      for (const LinkSample* sample : link_stats.samples) evidence.refs.push_back(ref_of(*sample));
    }
  }
  fill_numbers(evidence, group, median(values));
  evidence.slow = stats.slow;
  evidence.total = static_cast<int>(stats.links.size());
  const std::string pairs = "slow in " + std::to_string(stats.slow) + " of " + std::to_string(evidence.total) +
                            (evidence.total == 1 ? " pair" : " pairs") + " it was in";
  evidence.text = label(nic) + ": ";
  if (values.empty()) {
    evidence.text += group.key.metric + format_at_size(group.key.size_bytes) + ": every transfer failed, " + pairs;
  } else {
    evidence.text += numbers_text(evidence, "the rail's healthy-link median") + ", " + pairs;
  }

  if (stats.suspect) {
    finding.status = VerdictStatus::kFail;
    if (stats.unlocalized) {
      evidence.text += "; with only " + std::to_string(evidence.total) +
                       (evidence.total == 1 ? " pair" : " pairs") +
                       " a slow pair cannot be attributed to either end";
      if (rail_has_good_nic) {
        evidence.text += ": re-test against good NICs on rail " + std::to_string(group.key.rail);
      } else {
        finding.status = VerdictStatus::kWarn;
        evidence.text += ": too few hosts to localize";
      }
    }
  } else if (!group.comparable && stats.slow == 0) {
    finding.status = VerdictStatus::kSkip;
    evidence.text = label(nic) + ": " + group.key.metric + format_at_size(group.key.size_bytes) + ": only " +
                    std::to_string(group.links.size()) + " links on rail " + std::to_string(group.key.rail) +
                    ", fewer than min_units " + std::to_string(options.link.min_units) + ": too few to compare";
  } else {
    finding.status = VerdictStatus::kPass;
  }
  return finding;
}

Finding link_finding(const ComponentId& link, const LinkStats& stats, const RailGroup& group,
                     const PairMatrixOptions& options) {
  Finding finding;
  finding.component = link;
  Evidence& evidence = finding.evidence;
  evidence.source = "pair_matrix";
  fill_numbers(evidence, group, stats.value);
  evidence.total = static_cast<int>(stats.samples.size());
  for (const LinkSample* sample : stats.samples) {
    const bool slow_sample = !sample->ok || (group.comparable && judge_outlier(sample->value, group.all,
                                                                                group.higher_is_better, options.link) ==
                                                                   VerdictStatus::kFail);
    evidence.slow += slow_sample ? 1 : 0;
    evidence.refs.push_back(ref_of(*sample));
  }
  evidence.text = label(link) + ": ";
  if (stats.has_value) {
    evidence.text += numbers_text(evidence, "the rail's healthy-link median");
  } else {
    evidence.text += group.key.metric + format_at_size(group.key.size_bytes) + ": transfer failed";
  }
  if (stats.failed && stats.has_value) evidence.text += "; a transfer failed";

  if (stats.suspect) {
    finding.status = VerdictStatus::kFail;
    evidence.text += "; neither end is slow with its other peers: the cable or switch-port path";
  } else if (stats.slow) {
    finding.status = VerdictStatus::kPass;
    evidence.text += "; slow, explained by " + label(*stats.explained_by);
  } else if (!group.comparable) {
    finding.status = VerdictStatus::kSkip;
    evidence.text += "; only " + std::to_string(group.links.size()) + " links on rail " +
                     std::to_string(group.key.rail) + ", fewer than min_units " +
                     std::to_string(options.link.min_units) + ": too few to compare";
  } else {
    finding.status = VerdictStatus::kPass;
  }
  return finding;
}

void add_unique(std::vector<ComponentId>& list, const ComponentId& id) {
  if (std::find(list.begin(), list.end(), id) == list.end()) list.push_back(id);
}

}  // namespace

PairMatrixResult analyze_pair_matrix(std::span<const LinkSample> links, const PairMatrixOptions& options) {
  const std::map<GroupKey, RailGroup> groups = build_groups(links, options);
  PairMatrixResult result;

  // Suspects, and NICs that cannot be trusted as re-test partners, over every group.
  std::set<ComponentId> untrusted;
  std::vector<ComponentId> all_nics;
  for (const auto& [key, group] : groups) {
    for (const auto& [nic, stats] : group.nics) {
      add_unique(all_nics, nic);
      if (stats.suspect) {
        add_unique(result.suspects, nic);
        untrusted.insert(nic);
      }
    }
    for (const auto& [link, stats] : group.links) {
      if (!stats.slow) continue;
      if (stats.suspect) add_unique(result.suspects, link);
      // A slow link makes both ends untrusted unless a suspect end explains it (then the other end is fine).
      for (const ComponentId& end : {end_a_of(link), end_b_of(link)}) {
        if (!stats.explained_by || *stats.explained_by == end) untrusted.insert(end);
      }
    }
  }
  std::sort(all_nics.begin(), all_nics.end());
  std::set<int> rails_with_good_nic;
  for (const ComponentId& nic : all_nics) {
    if (untrusted.contains(nic)) continue;
    result.good_nics.push_back(nic);
    rails_with_good_nic.insert(nic.rail);
  }

  for (const auto& [key, group] : groups) {
    for (const auto& [nic, stats] : group.nics) {
      result.findings.push_back(nic_finding(nic, stats, group, rails_with_good_nic.contains(key.rail), options));
    }
    for (const auto& [link, stats] : group.links) result.findings.push_back(link_finding(link, stats, group, options));
  }
  return result;
}

std::vector<RetestPair> plan_retests(const PairMatrixResult& first_pass, const PairMatrixOptions& options) {
  std::vector<RetestPair> plan;
  std::map<ComponentId, int> uses;  // how often each good NIC is already a partner

  // Up to `count` good NICs on `rail` whose host is not in `avoid_hosts`, least used first (then in order).
  auto pick_partners = [&](int rail, const std::set<std::string>& avoid_hosts, int count) {
    std::vector<ComponentId> candidates;
    for (const ComponentId& nic : first_pass.good_nics) {
      if (nic.rail == rail && !avoid_hosts.contains(nic.host)) candidates.push_back(nic);
    }
    std::stable_sort(candidates.begin(), candidates.end(),
                     [&](const ComponentId& a, const ComponentId& b) { return uses[a] < uses[b]; });
    std::vector<ComponentId> chosen;
    std::set<std::string> chosen_hosts;
    for (const ComponentId& nic : candidates) {
      if (static_cast<int>(chosen.size()) >= count) break;
      if (!chosen_hosts.insert(nic.host).second) continue;  // distinct peer hosts say more than one host twice
      chosen.push_back(nic);
      ++uses[nic];
    }
    return chosen;
  };

  for (const ComponentId& suspect : first_pass.suspects) {
    if (suspect.kind == ComponentKind::kNic) {
      for (const ComponentId& peer : pick_partners(suspect.rail, {suspect.host}, options.retest_peers)) {
        plan.push_back({suspect, suspect.host, suspect.nic, peer.host, peer.nic, suspect.rail});
      }
    } else if (suspect.kind == ComponentKind::kLink) {
      plan.push_back({suspect, suspect.host, suspect.nic, suspect.peer_host, suspect.peer_nic, suspect.rail});
      const std::set<std::string> ends = {suspect.host, suspect.peer_host};
      for (const ComponentId& end : {end_a_of(suspect), end_b_of(suspect)}) {
        for (const ComponentId& peer : pick_partners(suspect.rail, ends, 1)) {
          plan.push_back({suspect, end.host, end.nic, peer.host, peer.nic, suspect.rail});
        }
      }
    }
  }
  return plan;
}

std::vector<std::vector<RetestPair>> retest_rounds(const std::vector<RetestPair>& plan) {
  std::vector<std::vector<RetestPair>> rounds;
  std::vector<std::set<std::string>> busy;  // hosts already in each round
  for (const RetestPair& pair : plan) {
    std::size_t round = 0;
    while (round < rounds.size() && (busy[round].contains(pair.host_a) || busy[round].contains(pair.host_b))) ++round;
    if (round == rounds.size()) {
      rounds.emplace_back();
      busy.emplace_back();
    }
    rounds[round].push_back(pair);
    busy[round].insert(pair.host_a);
    busy[round].insert(pair.host_b);
  }
  return rounds;
}

namespace {

/// Re-tests of one suspect within one (rail, metric, size) group.
struct RetestTally {
  std::vector<const LinkSample*> samples;
  std::vector<double> values;
  int slow = 0;
};

struct SuspectRetests {
  std::map<GroupKey, RetestTally> by_group;  ///< re-tests that judge the suspect itself
  int slow = 0;
  int total = 0;
};

void tally(SuspectRetests& retests, const GroupKey& key, const LinkSample& sample, bool slow) {
  RetestTally& group = retests.by_group[key];
  group.samples.push_back(&sample);
  if (sample.ok) group.values.push_back(sample.value);
  group.slow += slow ? 1 : 0;
  retests.slow += slow ? 1 : 0;
  ++retests.total;
}

bool majority_slow(const SuspectRetests& retests) { return retests.total > 0 && 2 * retests.slow > retests.total; }

std::vector<Finding> retest_findings(const ComponentId& suspect, const SuspectRetests& retests, VerdictStatus status,
                                     const std::map<GroupKey, RailGroup>& groups, const std::string& verdict_text) {
  std::vector<Finding> findings;
  for (const auto& [key, tally_of_group] : retests.by_group) {
    const RailGroup& group = groups.at(key);
    Finding finding;
    finding.component = suspect;
    finding.status = status;
    Evidence& evidence = finding.evidence;
    evidence.source = "retest";
    fill_numbers(evidence, group, median(tally_of_group.values));
    evidence.expected_from = "first pass " + evidence.expected_from;
    evidence.slow = tally_of_group.slow;
    evidence.total = static_cast<int>(tally_of_group.samples.size());
    for (const LinkSample* sample : tally_of_group.samples) evidence.refs.push_back(ref_of(*sample));
    evidence.text = label(suspect) + ": re-test slow in " + std::to_string(evidence.slow) + " of " +
                    std::to_string(evidence.total);
    if (!tally_of_group.values.empty()) {
      evidence.text += " (" + numbers_text(evidence, "the first pass's healthy-link median") + ")";
    }
    evidence.text += ": " + verdict_text;
    findings.push_back(std::move(finding));
  }
  return findings;
}

Finding not_retested_finding(const ComponentId& suspect) {
  Finding finding;
  finding.component = suspect;
  finding.status = VerdictStatus::kWarn;
  finding.evidence.source = "retest";
  finding.evidence.text = label(suspect) + ": not re-tested (no re-test measured it against a known-good peer)";
  return finding;
}

}  // namespace

std::vector<Finding> confirm(const PairMatrixResult& first_pass, std::span<const LinkSample> first_links,
                             std::span<const LinkSample> retests, const PairMatrixOptions& options) {
  const std::map<GroupKey, RailGroup> groups = build_groups(first_links, options);
  std::set<ComponentId> suspect_nics;
  std::set<ComponentId> suspect_links;
  std::set<ComponentId> suspect_link_ends;
  for (const ComponentId& suspect : first_pass.suspects) {
    if (suspect.kind == ComponentKind::kNic) suspect_nics.insert(suspect);
    if (suspect.kind == ComponentKind::kLink) {
      suspect_links.insert(suspect);
      suspect_link_ends.insert({end_a_of(suspect), end_b_of(suspect)});
    }
  }

  OutlierOptions retest_rule = options.link;
  retest_rule.fail_spreads = options.retest_spreads;
  std::map<ComponentId, SuspectRetests> of_suspect;
  std::map<ComponentId, SuspectRetests> of_link_end;  // a suspect link's ends re-tested with good peers
  for (const LinkSample& sample : retests) {
    const GroupKey key{sample.rail, sample.metric, sample.size_bytes};
    const auto group = groups.find(key);
    if (group == groups.end()) continue;  // nothing in the first pass to judge it against
    const bool slow = !sample.ok || judge_outlier(sample.value, group->second.healthy, group->second.higher_is_better,
                                                  retest_rule) == VerdictStatus::kFail;
    const ComponentId link = link_of(sample);
    const ComponentId a = nic_a_of(sample);
    const ComponentId b = nic_b_of(sample);
    for (const ComponentId& suspect : first_pass.suspects) {
      if (suspect.kind == ComponentKind::kLink && suspect == link) {
        tally(of_suspect[suspect], key, sample, slow);
      } else if (suspect.kind == ComponentKind::kNic) {
        // The suspect NIC with a peer that is not itself suspect: the slowness can only be this NIC's.
        if ((a == suspect && !suspect_nics.contains(b)) || (b == suspect && !suspect_nics.contains(a))) {
          tally(of_suspect[suspect], key, sample, slow);
        }
      }
    }
    // An end of a suspect link with a peer that is no suspect NIC, over a path that is no suspect link itself
    // (counted once per end, however many suspect links share it).
    if (!suspect_links.contains(link)) {
      for (const auto& [end, peer] : {std::pair{a, b}, std::pair{b, a}}) {
        if (suspect_link_ends.contains(end) && !suspect_nics.contains(peer)) {
          tally(of_link_end[end], key, sample, slow);
        }
      }
    }
  }

  std::map<ComponentId, VerdictStatus> final_status;
  std::vector<Finding> added;
  for (const ComponentId& suspect : first_pass.suspects) {
    const SuspectRetests& retested = of_suspect[suspect];
    if (retested.total == 0) {
      final_status[suspect] = VerdictStatus::kWarn;
      added.push_back(not_retested_finding(suspect));
      continue;
    }
    // Only suspects that are slow again are reported: one that is not passes, its first-pass dip kept as
    // evidence (a transient, e.g. a busy host), so a noisy first pass names nothing.
    VerdictStatus status = majority_slow(retested) ? VerdictStatus::kFail : VerdictStatus::kPass;
    std::string text = status == VerdictStatus::kFail ? "confirmed, slow again in most re-tests"
                                                      : "not reproduced with known-good peers: passed (a transient dip)";
    if (suspect.kind == ComponentKind::kLink) {
      // When the link is slow again and an end is slow with good peers too, the NIC is at fault, not the
      // path between the two. An end slow with good peers while the link itself is not slow again is two
      // measurements that disagree: a transient, kept as evidence but not reported.
      const bool link_slow_again = status == VerdictStatus::kFail;
      for (const ComponentId& end : {end_a_of(suspect), end_b_of(suspect)}) {
        const auto it = of_link_end.find(end);
        if (it == of_link_end.end() || !majority_slow(it->second)) continue;
        if (!link_slow_again) {
          for (Finding& finding : retest_findings(end, it->second, VerdictStatus::kPass, groups,
                                                  "but " + label(suspect) +
                                                      " was not slow again: not reproduced, passed (a transient dip)")) {
            added.push_back(std::move(finding));
          }
          continue;
        }
        status = VerdictStatus::kWarn;
        text = "slow again, but " + label(end) + " is slow with good peers too: the NIC, not the path";
        for (Finding& finding : retest_findings(end, it->second, VerdictStatus::kFail, groups,
                                                "slow with good peers, confirmed (found re-testing " +
                                                    label(suspect) + ")")) {
          added.push_back(std::move(finding));
        }
        final_status[end] = VerdictStatus::kFail;
      }
    }
    final_status[suspect] = std::max(final_status[suspect], status);
    for (Finding& finding : retest_findings(suspect, retested, status, groups, text)) added.push_back(std::move(finding));
  }

  std::vector<Finding> findings = first_pass.findings;
  for (Finding& finding : findings) {
    const auto it = final_status.find(finding.component);
    if (it != final_status.end() && finding.status >= VerdictStatus::kWarn) finding.status = it->second;
  }
  findings.insert(findings.end(), std::make_move_iterator(added.begin()), std::make_move_iterator(added.end()));
  return findings;
}

}  // namespace railcheck::analysis
