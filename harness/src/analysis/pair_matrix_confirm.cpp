// The pair matrix's second pass: confirm() judges the first pass's suspects, shadowed links and their ends on
// the re-tests plan_retests() asked for (see pair_matrix.h).
#include <algorithm>
#include <array>
#include <cmath>
#include <map>
#include <set>
#include <tuple>

#include "pair_matrix_groups.h"
#include "railcheck/analysis/pair_matrix.h"

namespace railcheck::analysis {

using namespace pair_matrix_detail;

namespace {

/// Re-tests of one suspect within one (rail, metric, size) group. A directional metric is also counted per
/// part: a link's two ways, a NIC's transmit (0) and receive (1) sides, each judged on its own (a link slow one
/// way, re-tested both ways, is slow in half of its re-tests and slow again all the same).
struct RetestTally {
  std::vector<const LinkSample*> samples;
  std::vector<int> parts;   ///< per sample: its part, or -1
  std::vector<bool> slows;  ///< per sample: slow again
  std::vector<double> values;
  int slow = 0;
  std::array<int, 2> part_slow{}, part_total{};
  bool pooled_slow = false;  ///< a loss rate: the mean of the re-tests' shares is lossy (see pool_loss_rates)

  bool part_slow_in_most(int part) const {
    const auto i = static_cast<std::size_t>(part);
    return part_total[i] > 0 && 2 * part_slow[i] > part_total[i];
  }
};

struct SuspectRetests {
  std::map<GroupKey, RetestTally> by_group;  ///< re-tests that judge the suspect itself
  int total = 0;
};

/// Counts `sample` for `retests` in group `key`; `part` is the link way or NIC side it measured (-1: none).
void tally(SuspectRetests& retests, const GroupKey& key, const LinkSample& sample, bool slow, int part) {
  RetestTally& group = retests.by_group[key];
  group.samples.push_back(&sample);
  group.parts.push_back(sample.directional ? part : -1);
  group.slows.push_back(slow);
  if (sample.ok) group.values.push_back(sample.value);
  group.slow += slow ? 1 : 0;
  if (sample.directional && part >= 0) {
    ++group.part_total[static_cast<std::size_t>(part)];
    group.part_slow[static_cast<std::size_t>(part)] += slow ? 1 : 0;
  }
  ++retests.total;
}

/// Slow again in most of its re-tests of some metric, or of one way (side) of it.
bool slow_in_most(const SuspectRetests& retests) {
  for (const auto& [key, tally] : retests.by_group) {
    if (2 * tally.slow > static_cast<int>(tally.samples.size())) return true;
    if (tally.part_slow_in_most(0) || tally.part_slow_in_most(1)) return true;
  }
  return false;
}

/// Slow again in most of its re-tests of some metric, or, for a loss rate, in their mean: metrics are never
/// pooled with each other (a lossy NIC's bandwidth re-tests are fine while its retransmits are not; a slow
/// NIC retransmits nothing).
bool majority_slow(const SuspectRetests& retests) {
  if (slow_in_most(retests)) return true;
  for (const auto& [key, tally] : retests.by_group) {
    if (tally.pooled_slow) return true;
  }
  return false;
}

/// A suspect link's end slow with good peers too, so that the NIC takes the blame from the link: slow in most
/// of its re-tests of some metric and in at least min_slow_pairs of them (one re-test that dipped at a busy
/// moment does not move the blame), or lossy in their mean.
bool end_slow_again(const SuspectRetests& retests, const PairMatrixOptions& options) {
  for (const auto& [key, tally] : retests.by_group) {
    if (tally.pooled_slow) return true;
    if (tally.slow >= options.min_slow_pairs && 2 * tally.slow > static_cast<int>(tally.samples.size())) return true;
  }
  return false;
}

/// Retransmits are rare events: one re-test's share of them is noisy (two re-tests of one NIC dropping 2 %
/// of what it received read 2.66 % and 0.38 %, a tie under the majority rule), so a loss-rate group is also
/// judged on the mean share of its re-tests against the first pass's healthy centre.
void pool_loss_rates(std::map<ComponentId, SuspectRetests>& retests, const std::map<GroupKey, RailGroup>& groups,
                     const OutlierOptions& rule, const PairMatrixOptions& options) {
  for (auto& [component, of_component] : retests) {
    for (auto& [key, tally] : of_component.by_group) {
      if (!is_loss_metric(key.metric) || tally.values.empty()) continue;
      double sum = 0.0;
      for (double value : tally.values) sum += value;
      const RailGroup& group = groups.at(key);
      tally.pooled_slow = slow_against(sum / static_cast<double>(tally.values.size()), group.healthy,
                                       group.higher_is_better, key.metric, rule, options);
    }
  }
}

/// Where a suspect was suspect in the first pass, and in which direction: the groups whose re-tests judge it.
/// A NIC: its suspect direction ("" none, "tx", "rx", "both"); a link: "a_to_b", "b_to_a", "both" or "".
using SuspectGroups = std::map<GroupKey, std::string>;

SuspectGroups suspect_groups(const ComponentId& suspect, const std::map<GroupKey, RailGroup>& groups) {
  SuspectGroups out;
  for (const auto& [key, group] : groups) {
    if (suspect.kind == ComponentKind::kNic) {
      const auto it = group.nics.find(suspect);
      if (it != group.nics.end() && it->second.suspect) out[key] = it->second.direction;
    } else if (suspect.kind == ComponentKind::kLink) {
      const auto it = group.links.find(suspect);
      if (it != group.links.end() && it->second.suspect) {
        out[key] = it->second.directional ? way_direction(it->second.ways[0].suspect, it->second.ways[1].suspect) : "";
      }
    }
  }
  return out;
}

/// Whether a sample of `way` of a link lies in `direction` ("" and "both" take every way).
bool way_in(const std::string& direction, int way) {
  return direction.empty() || direction == "both" || direction == (way == 0 ? "a_to_b" : "b_to_a");
}

std::vector<Finding> retest_findings(const ComponentId& suspect, const SuspectRetests& retests, VerdictStatus status,
                                     const std::map<GroupKey, RailGroup>& groups, const SuspectGroups& directions,
                                     const std::string& verdict_text) {
  std::vector<Finding> findings;
  for (const auto& [key, tally_of_group] : retests.by_group) {
    const RailGroup& group = groups.at(key);
    Finding finding;
    finding.component = suspect;
    finding.status = status;
    Evidence& evidence = finding.evidence;
    evidence.source = "retest";
    if (const auto it = directions.find(key); it != directions.end()) evidence.direction = it->second;
    // Confirmed in one way (side) only while the other was measured and not slow: that way is the finding,
    // and its re-tests are its numbers.
    int only_part = -1;
    const bool slow0 = tally_of_group.part_slow_in_most(0), slow1 = tally_of_group.part_slow_in_most(1);
    if (status == VerdictStatus::kFail && slow0 != slow1 && tally_of_group.part_total[slow0 ? 1 : 0] > 0) {
      only_part = slow0 ? 0 : 1;
      evidence.direction = suspect.kind == ComponentKind::kLink ? way_direction(slow0, slow1) : slow0 ? "tx" : "rx";
    }
    std::vector<double> values;
    for (std::size_t i = 0; i < tally_of_group.samples.size(); ++i) {
      const LinkSample& sample = *tally_of_group.samples[i];
      evidence.refs.push_back(ref_of(sample));  // the other way's re-tests too: they are why only one way fails
      if (only_part >= 0 && tally_of_group.parts[i] != only_part) continue;
      if (sample.ok) values.push_back(sample.value);
      evidence.slow += tally_of_group.slows[i] ? 1 : 0;
      ++evidence.total;
    }
    fill_numbers(evidence, group, median(values));
    evidence.expected_from = "first pass " + evidence.expected_from;
    evidence.text =
        label(suspect) + ": re-test slow in " + std::to_string(evidence.slow) + " of " + std::to_string(evidence.total);
    if (!evidence.direction.empty() && evidence.direction != "both") {
      evidence.text += " (" + describe_direction(suspect, evidence.direction) + ")";
    }
    if (!values.empty()) {
      evidence.text += " (" + numbers_text(evidence, "the first pass's healthy-link median") + ")";
    }
    evidence.text += ": " + verdict_text;
    findings.push_back(std::move(finding));
  }
  return findings;
}

/// Why a suspect has no re-test sample, for its evidence.
std::string why_not_retested(const ComponentId& suspect, const PairMatrixResult& first_pass,
                             const PairMatrixOptions& options) {
  if (options.retest_peers <= 0) return "re-tests are off (analysis.pairs.retest_peers is 0)";
  std::set<std::string> ends = {suspect.host};
  if (suspect.kind == ComponentKind::kLink) ends.insert(suspect.peer_host);
  bool partner = false;
  for (const auto* list : {&first_pass.good_nics, &first_pass.fallback_nics}) {
    for (const ComponentId& nic : *list) partner = partner || (nic.rail == suspect.rail && !ends.contains(nic.host));
  }
  if (!partner && suspect.kind == ComponentKind::kNic) {
    return "no NIC of another host on rail " + std::to_string(suspect.rail) +
           " is free of suspicion, so there was no known-good peer to pair it with";
  }
  return "its re-tests were planned but none was measured (a host or rail outside this allocation, or the run "
         "ended first)";
}

/// A suspect's first-pass evidence so strong it fails without a re-test: in at least min_slow_pairs of its
/// pairs (in its suspect direction) decisively worse than the healthy centre, or failed. Returns that count.
int decisive_pairs(const ComponentId& suspect, const SuspectGroups& directions,
                   const std::map<GroupKey, RailGroup>& groups, const PairMatrixOptions& options) {
  int most = 0;
  for (const auto& [key, direction] : directions) {
    const RailGroup& group = groups.at(key);
    int count = 0;
    if (suspect.kind == ComponentKind::kNic) {
      const auto found = group.nics.find(suspect);
      if (found == group.nics.end()) continue;  // named by another stage, not measured in this group
      const NicStats& nic = found->second;
      for (const ComponentId& id : nic.links) {
        const LinkStats& link = group.links.at(id);
        bool any = false;
        for (int w = 0; w < 2; ++w) {
          const Way& way = link.ways[static_cast<std::size_t>(w)];
          if (way.samples > 0 && covers_way(suspect, direction, id, w) && decisive(way, group, options)) any = true;
        }
        count += any ? 1 : 0;
      }
    } else {
      const auto found = group.links.find(suspect);
      if (found == group.links.end()) continue;
      for (int w = 0; w < 2; ++w) {
        const Way& way = found->second.ways[static_cast<std::size_t>(w)];
        if (way.samples > 0 && way.suspect && decisive(way, group, options)) ++count;
      }
    }
    most = std::max(most, count);
  }
  return most;
}

bool only_latency(const SuspectGroups& directions) {
  return !directions.empty() && std::all_of(directions.begin(), directions.end(),
                                            [](const auto& entry) { return is_latency_metric(entry.first.metric); });
}

Finding not_retested_finding(const ComponentId& suspect, VerdictStatus status, const std::string& why,
                             const std::string& verdict_text) {
  Finding finding;
  finding.component = suspect;
  finding.status = status;
  finding.evidence.source = "retest";
  finding.evidence.status = status;
  finding.evidence.text = label(suspect) + ": not re-tested (" + why + ")" + verdict_text;
  return finding;
}

/// Shadowed links (see ShadowedLink) once every NIC that explained one passed its own re-tests: each is judged
/// on its own re-tests: kFail slow again (its final status too), kPass not, kWarn not re-tested.
void judge_shadowed_links(const PairMatrixResult& first_pass, const std::map<ComponentId, SuspectRetests>& of_shadowed,
                          const std::map<ComponentId, SuspectGroups>& shadow_directions,
                          const std::map<GroupKey, RailGroup>& groups, const PairMatrixOptions& options,
                          std::map<ComponentId, VerdictStatus>& final_status, std::vector<Finding>& added) {
  auto passed = [&](const ComponentId& nic) {
    const auto it = final_status.find(nic);
    return it != final_status.end() && it->second == VerdictStatus::kPass;
  };
  for (const ShadowedLink& shadowed : first_pass.shadowed) {
    if (!std::all_of(shadowed.explained_by.begin(), shadowed.explained_by.end(), passed)) continue;
    std::vector<std::string> nic_labels;
    for (const ComponentId& nic : shadowed.explained_by) nic_labels.push_back(label(nic));
    const std::string nics = format_list(nic_labels);
    const auto retested = of_shadowed.find(shadowed.link);
    if (retested == of_shadowed.end()) {
      added.push_back(not_retested_finding(shadowed.link, VerdictStatus::kWarn,
                                           why_not_retested(shadowed.link, first_pass, options),
                                           "; slow in the first pass, where " + nics + " explained it, but " + nics +
                                               " passed its re-tests with good peers: re-test this link"));
      continue;
    }
    const bool slow_again = majority_slow(retested->second);
    const VerdictStatus status = slow_again ? VerdictStatus::kFail : VerdictStatus::kPass;
    const std::string text = slow_again
                                 ? "slow again on its own, while " + nics +
                                       " passed with good peers: the cable or switch-port path, not the NIC"
                                 : "not slow again, and " + nics + " passed with good peers: passed (a transient dip)";
    if (slow_again) final_status[shadowed.link] = VerdictStatus::kFail;
    for (Finding& finding :
         retest_findings(shadowed.link, retested->second, status, groups, shadow_directions.at(shadowed.link), text)) {
      added.push_back(std::move(finding));
    }
  }
}

/// A NIC at one end of min_slow_pairs or more links confirmed slow (final status kFail), to distinct peers that do
/// not fail themselves, is
/// the common cause: a NIC has one cable, so several slow paths through it are that NIC or its cable, not as
/// many bad paths (a NIC slow with only some peers, or so noisy that it stayed under the NIC rule while its
/// slowest pairs were confirmed). It gets a kFail "retest" finding naming them; the links are then explained by
/// it (explain_links_by_failing_nics). Pure apart from `final_status` and `added`.
void blame_common_ends(std::map<ComponentId, VerdictStatus>& final_status, std::vector<Finding>& added,
                       const PairMatrixOptions& options) {
  auto failing = [&](const ComponentId& nic) {
    const auto it = final_status.find(nic);
    return it != final_status.end() && it->second == VerdictStatus::kFail;
  };
  // A link whose other end fails is that NIC's, and says nothing of this one.
  std::map<ComponentId, std::vector<ComponentId>> failing_links_of;
  for (const auto& [component, status] : final_status) {
    if (component.kind != ComponentKind::kLink || status != VerdictStatus::kFail) continue;
    const ComponentId a = end_a_of(component), b = end_b_of(component);
    if (!failing(b)) failing_links_of[a].push_back(component);
    if (!failing(a)) failing_links_of[b].push_back(component);
  }
  for (const auto& [nic, links] : failing_links_of) {
    if (static_cast<int>(links.size()) < options.min_slow_pairs || failing(nic)) continue;
    Finding finding;
    finding.component = nic;
    finding.status = VerdictStatus::kFail;
    Evidence& evidence = finding.evidence;
    evidence.source = "retest";
    evidence.slow = evidence.total = static_cast<int>(links.size());
    std::vector<std::string> names;
    std::set<std::string> sides;
    for (const ComponentId& link : links) {
      names.push_back(label(link));
      for (const Finding& other : added) {
        if (other.component != link || other.status != VerdictStatus::kFail) continue;
        if (evidence.metric.empty()) {
          evidence.metric = other.evidence.metric;
          evidence.size_bytes = other.evidence.size_bytes;
          evidence.measured = other.evidence.measured;
          evidence.expected = other.evidence.expected;
          evidence.expected_from = other.evidence.expected_from;
          evidence.deviation = other.evidence.deviation;
          evidence.spreads = other.evidence.spreads;
        }
        const std::string& way = other.evidence.direction;
        const bool one_way = way == "a_to_b" || way == "b_to_a";
        sides.insert(!one_way ? "both" : sender_of(link, way == "a_to_b" ? 0 : 1) == nic ? "tx" : "rx");
        evidence.refs.insert(evidence.refs.end(), other.evidence.refs.begin(), other.evidence.refs.end());
      }
    }
    evidence.direction = sides.size() == 1 ? *sides.begin() : "both";
    evidence.text = label(nic) + ": " + std::to_string(links.size()) +
                    " of its links are slow again in their re-tests (" + format_list(names) +
                    "): one NIC and its cable under several slow paths, not as many bad paths";
    if (evidence.direction == "tx" || evidence.direction == "rx") {
      evidence.text += "; " + describe_direction(nic, evidence.direction);
    }
    final_status[nic] = VerdictStatus::kFail;
    added.push_back(std::move(finding));
  }
}

}  // namespace

std::vector<Finding> confirm(const PairMatrixResult& first_pass, std::span<const LinkSample> first_links,
                             std::span<const LinkSample> retests, const PairMatrixOptions& options) {
  const std::map<GroupKey, RailGroup> groups = build_groups(first_links, options);
  std::set<ComponentId> suspect_nics;
  std::set<ComponentId> suspect_links;
  std::map<ComponentId, SuspectGroups> directions;
  // A suspect link's ends, with the groups it was suspect in.
  std::map<ComponentId, std::set<GroupKey>> link_end_groups;
  for (const ComponentId& suspect : first_pass.suspects) {
    directions[suspect] = suspect_groups(suspect, groups);
    if (directions[suspect].empty()) {
      // Named by another stage (bisection) or by a caller: judged on every group it was measured in.
      for (const auto& [key, group] : groups) directions[suspect][key] = "";
    }
    if (suspect.kind == ComponentKind::kNic) suspect_nics.insert(suspect);
    if (suspect.kind != ComponentKind::kLink) continue;
    suspect_links.insert(suspect);
    for (const auto& [key, direction] : directions[suspect]) {
      for (const ComponentId& end : {end_a_of(suspect), end_b_of(suspect)}) link_end_groups[end].insert(key);
    }
  }

  // Shadowed links: the groups and ways they were slow in. Their re-tests count for the NIC that explained them
  // too (on a small rail they may be its only partners); the NIC's fresh partners come first in the plan.
  std::map<ComponentId, SuspectGroups> shadow_directions;
  for (const ShadowedLink& shadowed : first_pass.shadowed) {
    for (const auto& [key, group] : groups) {
      const auto it = group.links.find(shadowed.link);
      if (it == group.links.end() || !it->second.slow) continue;
      shadow_directions[shadowed.link][key] =
          it->second.directional ? way_direction(it->second.ways[0].slow, it->second.ways[1].slow) : "";
    }
  }

  OutlierOptions retest_rule = options.link;
  retest_rule.fail_spreads = options.retest_spreads;
  std::map<ComponentId, SuspectRetests> of_suspect;
  std::map<ComponentId, SuspectRetests> of_shadowed;
  std::map<ComponentId, SuspectRetests> of_link_end;  // a suspect link's ends re-tested with good peers
  for (const LinkSample& sample : retests) {
    const GroupKey key{sample.test, sample.rail, sample.metric, sample.size_bytes};
    const auto group = groups.find(key);
    if (group == groups.end()) continue;  // nothing in the first pass to judge it against
    const bool slow = !sample.ok || slow_against(sample.value, group->second.healthy, group->second.higher_is_better,
                                                 key.metric, retest_rule, options);
    const ComponentId link = link_of(sample);
    const ComponentId a = nic_a_of(sample);
    const ComponentId b = nic_b_of(sample);
    if (const auto shadow = shadow_directions.find(link); shadow != shadow_directions.end()) {
      const auto direction = shadow->second.find(key);
      if (direction != shadow->second.end() && way_in(direction->second, way_of(link, sample)))
        tally(of_shadowed[link], key, sample, slow, way_of(link, sample));
    }
    for (const ComponentId& suspect : first_pass.suspects) {
      const SuspectGroups& where = directions[suspect];
      const auto direction = where.find(key);
      if (direction == where.end()) continue;  // not suspect in this metric: its re-tests there judge nothing
      if (suspect.kind == ComponentKind::kLink) {
        if (suspect == link && way_in(direction->second, way_of(link, sample)))
          tally(of_suspect[suspect], key, sample, slow, way_of(link, sample));
      } else if (suspect.kind == ComponentKind::kNic) {
        // The suspect NIC with a peer that is not itself suspect, in the side it is suspect in: the slowness
        // can only be this NIC's.
        const bool as_sender = a == suspect && !suspect_nics.contains(b) &&
                               (!sample.directional || side_covers(direction->second, Side::kTx));
        const bool as_receiver = b == suspect && !suspect_nics.contains(a) &&
                                 (!sample.directional || side_covers(direction->second, Side::kRx));
        if (as_sender || as_receiver) tally(of_suspect[suspect], key, sample, slow, as_sender ? 0 : 1);
      }
    }
    // An end of a suspect link with a peer that is no suspect NIC, over a path that is no suspect link itself
    // (counted once per end, however many suspect links share it), both ways: an end that takes the blame from
    // the link must be slow with a good peer in more than one re-test (end_slow_again), and a one-way suspect
    // link's end has one re-test in that way.
    if (!suspect_links.contains(link)) {
      for (const auto& [end, peer] : {std::pair{a, b}, std::pair{b, a}}) {
        const auto groups_of_end = link_end_groups.find(end);
        if (groups_of_end == link_end_groups.end() || suspect_nics.contains(peer)) continue;
        if (groups_of_end->second.contains(key)) tally(of_link_end[end], key, sample, slow, -1);
      }
    }
  }

  pool_loss_rates(of_suspect, groups, retest_rule, options);
  pool_loss_rates(of_link_end, groups, retest_rule, options);

  std::map<ComponentId, VerdictStatus> final_status;
  std::vector<Finding> added;
  for (const ComponentId& suspect : first_pass.suspects) {
    const SuspectRetests& retested = of_suspect[suspect];
    const SuspectGroups& where = directions[suspect];
    if (retested.total == 0) {
      // Decisive evidence is never downgraded for want of a re-test; latency alone never warns without one.
      const int strong = decisive_pairs(suspect, where, groups, options);
      const std::string why = why_not_retested(suspect, first_pass, options);
      VerdictStatus status = VerdictStatus::kWarn;
      std::string text;
      if (strong >= options.min_slow_pairs) {
        status = VerdictStatus::kFail;
        text = ", but decisive without one: at least " +
               std::to_string(static_cast<int>(std::lround(options.link.decisive_deviation * 100))) +
               "% worse than the healthy centre in " + pairs_text(strong);
      } else if (only_latency(where)) {
        status = VerdictStatus::kPass;
        text = "; a latency suspect is not reported without a re-test";
      }
      final_status[suspect] = status;
      added.push_back(not_retested_finding(suspect, status, why, text));
      continue;
    }
    // Only suspects that are slow again are reported: one that is not passes, its first-pass dip kept as
    // evidence (a transient, e.g. a busy host), so a noisy first pass names nothing.
    VerdictStatus status = majority_slow(retested) ? VerdictStatus::kFail : VerdictStatus::kPass;
    std::string text = status == VerdictStatus::kFail
                           ? (slow_in_most(retested) ? "confirmed, slow again in most re-tests"
                                                     : "confirmed: the mean retransmit share of its re-tests is lossy")
                           : "not reproduced with known-good peers: passed (a transient dip)";
    if (suspect.kind == ComponentKind::kLink) {
      // When the link is slow again and an end is slow with good peers too, the NIC is at fault, not the
      // path between the two. An end slow with good peers while the link itself is not slow again is two
      // measurements that disagree: a transient, kept as evidence but not reported.
      const bool link_slow_again = status == VerdictStatus::kFail;
      for (const ComponentId& end : {end_a_of(suspect), end_b_of(suspect)}) {
        const auto it = of_link_end.find(end);
        if (it == of_link_end.end() || !end_slow_again(it->second, options)) continue;
        if (!link_slow_again) {
          for (Finding& finding : retest_findings(
                   end, it->second, VerdictStatus::kPass, groups, {},
                   "but " + label(suspect) + " was not slow again: not reproduced, passed (a transient dip)")) {
            added.push_back(std::move(finding));
          }
          continue;
        }
        status = VerdictStatus::kWarn;
        text = "slow again, but " + label(end) + " is slow with good peers too: the NIC, not the path";
        for (Finding& finding :
             retest_findings(end, it->second, VerdictStatus::kFail, groups, {},
                             "slow with good peers, confirmed (found re-testing " + label(suspect) + ")")) {
          added.push_back(std::move(finding));
        }
        final_status[end] = VerdictStatus::kFail;
      }
    }
    final_status[suspect] = std::max(final_status[suspect], status);
    for (Finding& finding : retest_findings(suspect, retested, status, groups, where, text)) {
      added.push_back(std::move(finding));
    }
  }

  judge_shadowed_links(first_pass, of_shadowed, shadow_directions, groups, options, final_status, added);
  blame_common_ends(final_status, added, options);

  std::vector<Finding> findings = first_pass.findings;
  for (Finding& finding : findings) {
    const auto it = final_status.find(finding.component);
    if (it != final_status.end() && finding.status >= VerdictStatus::kWarn) finding.status = it->second;
  }
  findings.insert(findings.end(), std::make_move_iterator(added.begin()), std::make_move_iterator(added.end()));
  return findings;
}

}  // namespace railcheck::analysis
