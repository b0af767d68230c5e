// Pair-matrix analysis, first pass: slow links per (rail, metric, size), the NICs they share, and the re-test
// plan (the second pass, confirm(), is pair_matrix_confirm.cpp; what both use, pair_matrix_groups.h).
//
// Choices (see pair_matrix.h): a directional metric (one-way bandwidth, retransmits) is judged per direction
// of each link, never pooled: a link is slow in a direction when that direction is, a NIC is suspect in its
// transmit or receive side (or both) from the directions it sent and received in, and a slow direction is
// explained only by the NIC side that carried it (the sender's transmit, the receiver's receive). A failed
// transfer makes its link slow. The rail's centre is the median of the NICs' median link values (see
// rail_centre), its spread a MAD of the measurements near it; "expected" in evidence is the median of the
// healthy (not slow) links' measurements, and re-tests are judged against that healthy centre.
#include "railcheck/analysis/pair_matrix.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <map>
#include <set>
#include <tuple>

#include "pair_matrix_groups.h"
#include "railcheck/analysis/fleet_outliers.h"
#include "railcheck/analysis/robust_stats.h"

namespace railcheck::analysis {
namespace pair_matrix_detail {

ComponentId nic_a_of(const LinkSample& sample) { return make_nic(sample.host_a, sample.nic_a, sample.rail); }
ComponentId nic_b_of(const LinkSample& sample) { return make_nic(sample.host_b, sample.nic_b, sample.rail); }
ComponentId link_of(const LinkSample& sample) {
  return make_link(sample.host_a, sample.nic_a, sample.host_b, sample.nic_b, sample.rail);
}
ComponentId end_a_of(const ComponentId& link) { return make_nic(link.host, link.nic, link.rail); }
ComponentId end_b_of(const ComponentId& link) { return make_nic(link.peer_host, link.peer_nic, link.rail); }

/// The way of `link` that `sample` measured (0 for metrics without a direction).
int way_of(const ComponentId& link, const LinkSample& sample) {
  return sample.directional && !(sample.host_a == link.host && sample.nic_a == link.nic) ? 1 : 0;
}
ComponentId sender_of(const ComponentId& link, int way) { return way == 0 ? end_a_of(link) : end_b_of(link); }
ComponentId receiver_of(const ComponentId& link, int way) { return way == 0 ? end_b_of(link) : end_a_of(link); }

/// Whether a NIC suspect in `direction` ("" = no direction) is at fault for a transfer in which it plays `side`.
bool side_covers(const std::string& direction, Side side) {
  if (direction.empty() || direction == "both") return true;
  return direction == (side == Side::kTx ? "tx" : "rx");
}

bool covers_way(const ComponentId& nic, const std::string& direction, const ComponentId& link, int w) {
  return side_covers(direction, sender_of(link, w) == nic ? Side::kTx : Side::kRx);
}

std::string way_direction(bool way0, bool way1) {
  return way0 && way1 ? "both" : way0 ? "a_to_b" : way1 ? "b_to_a" : "";
}

bool worse_than(double a, double b, bool higher_is_better) { return higher_is_better ? a < b : a > b; }

bool is_loss_metric(const std::string& metric) { return metric.ends_with("retrans_rate"); }
bool is_latency_metric(const std::string& metric) { return metric.find("lat_us") != std::string::npos; }

/// The link rule for one value against a centre: the outlier rule of `rule`, with the absolute floors of
/// `options` for latency (microseconds) and retransmits (an absolute share: healthy links have none).
bool slow_against(double value, const RobustCentre& centre, bool higher_is_better, const std::string& metric,
                  const OutlierOptions& rule, const PairMatrixOptions& options) {
  if (is_loss_metric(metric)) return value - centre.median >= options.loss_floor;
  const double worse = higher_is_better ? centre.median - value : value - centre.median;
  if (is_latency_metric(metric) &&
      worse < (metric.ends_with("p99") ? options.tail_latency_floor_us : options.latency_floor_us)) {
    return false;
  }
  return judge_outlier(value, centre, higher_is_better, rule) == VerdictStatus::kFail;
}

/// At least options.link.decisive_deviation worse than the healthy centre (a failed transfer is): the bar
/// above which no re-test is needed to fail a part seen that slow in min_slow_pairs of its pairs. Bandwidth
/// only: latency and retransmits always need their re-test.
bool decisive(const Way& way, const RailGroup& group, const PairMatrixOptions& options) {
  if (way.failed && !way.has_value) return true;
  if (!way.has_value || options.link.decisive_deviation <= 0.0 || group.healthy.median == 0.0) return false;
  // A share of retransmits has no "fraction worse"; latency is never judged without a re-test.
  if (is_loss_metric(group.key.metric) || is_latency_metric(group.key.metric)) return false;
  const double worse = group.higher_is_better ? group.healthy.median - way.value : way.value - group.healthy.median;
  return worse / std::fabs(group.healthy.median) >= options.link.decisive_deviation;
}

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

/// One side (transmit or receive) of a NIC: suspect only with min_slow_pairs measured that way, so a NIC
/// measured once in a direction is not blamed for that one pair (the overall rule handles few pairs).
bool is_side_suspect(int slow, int total, const PairMatrixOptions& options) {
  return total >= options.min_slow_pairs && is_suspect_by_rule(slow, total, options);
}

/// The rail's centre, robust while fewer than half of the NICs are bad, however many of the links they touch
/// (4 hosts, 1 bad: 3 of 6 pairs; 6 hosts, 2 bad: 9 of 15). Each NIC votes with its better-quartile link
/// value (the 75th percentile of bandwidth, the 25th of latency): a healthy NIC's better quarter is healthy
/// even with nearly half of its pairs slow and a dip besides. The median of the votes guides the centre: the
/// median of the measurements within link.fail_deviation of it, re-centred until it settles, and the centre
/// and spread are robust_centre() of the measurements near that, so the slow links neither widen the spread
/// nor pull the centre. The NICs' medians guided it before: with 2 of 6 hosts bad a healthy NIC's median is its
/// lowest healthy value, or a slow one after a dip, and the spread read 2.5x too wide and hid both bad NICs.
RobustCentre rail_centre(const RailGroup& group, const std::vector<double>& values, const OutlierOptions& link) {
  std::vector<double> votes;
  for (const auto& [nic, stats] : group.nics) {
    std::vector<double> own;
    for (const ComponentId& id : stats.links) {
      const LinkStats& l = group.links.at(id);
      for (const Way& way : l.ways) {
        if (way.has_value) own.push_back(way.value);
      }
    }
    if (!own.empty()) votes.push_back(quantile(own, group.higher_is_better ? 0.75 : 0.25));
  }
  if (votes.size() < 3) return robust_centre(values, link.min_relative_spread);  // no majority to lean on
  auto near = [&](double guide) {
    std::vector<double> out;
    for (double v : values) {
      if (std::fabs(v - guide) <= link.fail_deviation * std::fabs(guide)) out.push_back(v);
    }
    return out;
  };
  double guide = median(votes);
  for (int step = 0; step < 4; ++step) {
    const std::vector<double> around = near(guide);
    if (around.empty() || median(around) == guide) break;
    guide = median(around);
  }
  const std::vector<double> around = near(guide);
  RobustCentre c;
  if (around.empty()) {
    c.median = guide;
    c.spread = link.min_relative_spread * std::fabs(guide);
  } else {
    c = robust_centre(around, link.min_relative_spread);
  }
  c.count = static_cast<int>(values.size());
  return c;
}

void add_sample(RailGroup& group, const LinkSample& sample) {
  const ComponentId link = link_of(sample);
  LinkStats& stats = group.links[link];
  if (stats.samples.empty()) {
    group.nics[nic_a_of(sample)].links.push_back(link);
    if (nic_b_of(sample) != nic_a_of(sample)) group.nics[nic_b_of(sample)].links.push_back(link);
    stats.directional = sample.directional;
  }
  stats.samples.push_back(&sample);
  Way& way = stats.ways[static_cast<std::size_t>(way_of(link, sample))];
  ++way.samples;
  if (!sample.ok) {
    way.failed = stats.failed = true;
    return;
  }
  if (!way.has_value || worse_than(sample.value, way.value, group.higher_is_better)) way.value = sample.value;
  way.has_value = true;
  if (!stats.has_value || worse_than(sample.value, stats.value, group.higher_is_better)) stats.value = sample.value;
  stats.has_value = true;
}

/// Per NIC: slow pairs overall and per side, the suspect rule, the direction it is suspect in.
/// A NIC's pairs, slow ones and directional sides counted, leaving out the pairs `skip` says.
struct PairCounts {
  int slow = 0, total = 0;
  int tx_slow = 0, tx_total = 0, rx_slow = 0, rx_total = 0;
};

template <typename Skip>
PairCounts count_pairs(const RailGroup& group, const ComponentId& nic, const std::vector<ComponentId>& links,
                       Skip skip) {
  PairCounts counts;
  for (const ComponentId& id : links) {
    const LinkStats& link = group.links.at(id);
    if (skip(id, link)) continue;
    ++counts.total;
    counts.slow += link.slow ? 1 : 0;
    if (!link.directional) continue;
    for (int w = 0; w < 2; ++w) {
      const Way& way = link.ways[static_cast<std::size_t>(w)];
      if (way.samples == 0) continue;
      const bool sends = sender_of(id, w) == nic;
      (sends ? counts.tx_total : counts.rx_total) += 1;
      (sends ? counts.tx_slow : counts.rx_slow) += way.slow ? 1 : 0;
    }
  }
  return counts;
}

/// The NIC rule on counted pairs: overall, or one side (directional groups).
bool suspect_on(const PairCounts& counts, bool directional, const PairMatrixOptions& options) {
  return is_suspect_by_rule(counts.slow, counts.total, options) ||
         (directional && (is_side_suspect(counts.tx_slow, counts.tx_total, options) ||
                          is_side_suspect(counts.rx_slow, counts.rx_total, options)));
}

void judge_nics(RailGroup& group, const PairMatrixOptions& options) {
  for (auto& [nic, stats] : group.nics) {
    const PairCounts counts =
        count_pairs(group, nic, stats.links, [](const ComponentId&, const LinkStats&) { return false; });
    stats.slow = counts.slow;
    stats.tx_slow = counts.tx_slow;
    stats.tx_total = counts.tx_total;
    stats.rx_slow = counts.rx_slow;
    stats.rx_total = counts.rx_total;
    const int total = counts.total;
    const bool tx = group.directional && is_side_suspect(stats.tx_slow, stats.tx_total, options);
    const bool rx = group.directional && is_side_suspect(stats.rx_slow, stats.rx_total, options);
    stats.suspect = suspect_on(counts, group.directional, options);
    stats.unlocalized = stats.suspect && total < options.min_slow_pairs;
    // One side only when the other was measured enough to be judged, and found sound.
    const bool tx_judged = stats.tx_total >= options.min_slow_pairs,
               rx_judged = stats.rx_total >= options.min_slow_pairs;
    if (stats.suspect && group.directional) {
      stats.direction = tx && rx_judged && !rx ? "tx" : rx && tx_judged && !tx ? "rx" : "both";
    }
  }
}

/// The share of its pairs a NIC was slow in.
double slow_share(const NicStats& stats) {
  return stats.links.empty() ? 0.0 : static_cast<double>(stats.slow) / static_cast<double>(stats.links.size());
}

/// Explaining away: a NIC that is suspect only through its pairs with stronger suspects is not one. Suspects
/// are taken strongest first (the largest share of slow pairs, then the most), and each is judged again on
/// its pairs less those whose slow ways an accepted suspect at the other end is at fault for; one that is no
/// longer suspect on what is left, while something is left, is cleared. Six hosts with two capped: every
/// healthy host is slow with both, and one dip more (a busy CI host) made it a third "bad NIC" whose re-test
/// partners and shadowed links then blamed it for its bad peers (CI, 2026-12-07). A NIC with no pair left
/// keeps its suspicion: nothing clears it (two hosts, or three with two bad).
void clear_explained_suspects(RailGroup& group, const PairMatrixOptions& options) {
  std::vector<ComponentId> order;
  for (const auto& [nic, stats] : group.nics) {
    if (stats.suspect) order.push_back(nic);
  }
  auto strength = [&](const ComponentId& nic) {
    const NicStats& stats = group.nics.at(nic);
    return std::pair(slow_share(stats), stats.slow);
  };
  std::stable_sort(order.begin(), order.end(),
                   [&](const ComponentId& a, const ComponentId& b) { return strength(a) > strength(b); });

  std::set<ComponentId> accepted;
  for (const ComponentId& nic : order) {
    NicStats& stats = group.nics.at(nic);
    // A pair whose every slow way the accepted peer is at fault for says nothing about this NIC.
    const PairCounts left = count_pairs(group, nic, stats.links, [&](const ComponentId& id, const LinkStats& link) {
      const ComponentId peer = end_a_of(id) == nic ? end_b_of(id) : end_a_of(id);
      if (!link.slow || !accepted.contains(peer)) return false;
      for (int w = 0; w < 2; ++w) {
        if (link.ways[static_cast<std::size_t>(w)].slow && !covers_way(peer, group.nics.at(peer).direction, id, w))
          return false;
      }
      return true;
    });
    if (left.total == 0 || suspect_on(left, group.directional, options)) {
      accepted.insert(nic);
      continue;
    }
    stats.suspect = false;
    stats.unlocalized = false;
    stats.direction.clear();
    stats.explained_pairs = stats.slow - left.slow;
  }
}

/// Per slow direction of each link: explained by the sender's transmit or the receiver's receive side of a
/// suspect NIC, else the link itself is the suspect in that direction.
void judge_links(RailGroup& group) {
  for (auto& [id, stats] : group.links) {
    for (int w = 0; w < 2; ++w) {
      Way& way = stats.ways[static_cast<std::size_t>(w)];
      if (!way.slow) continue;
      const ComponentId sender = sender_of(id, w), receiver = receiver_of(id, w);
      const NicStats& s = group.nics[sender];
      const NicStats& r = group.nics[receiver];
      // Both ends suspect in the sides that carried it: the one slow in the larger share of its pairs (a NIC slow
      // with every peer, rather than one a dip made suspect), the sender on a tie.
      const bool sender_covers = s.suspect && side_covers(s.direction, Side::kTx);
      const bool receiver_covers = r.suspect && side_covers(r.direction, Side::kRx);
      std::optional<ComponentId> by;
      if (sender_covers && receiver_covers) {
        by = slow_share(r) > slow_share(s) ? receiver : sender;
      } else if (sender_covers) {
        by = sender;
      } else if (receiver_covers) {
        by = receiver;
      }
      way.suspect = !by;
      way.explained_by = by;
      if (by && !stats.explained_by) stats.explained_by = by;
      stats.suspect = stats.suspect || way.suspect;
    }
  }
}

/// A round of the first pass needs this many links before "most of them slow" says more about the moment
/// than about the links.
constexpr int kDisturbedRoundMinLinks = 3;

/// A first-pass round in which most links are slow with no suspect end to explain them ran at a disturbed
/// moment (a busy host, a burst of other traffic): the pairs of a round are disjoint, so independent bad
/// cables would not line up in one round. Those links are not suspects (their evidence says why); failed
/// transfers always stay suspects.
void clear_disturbed_rounds(RailGroup& group) {
  std::map<int, std::pair<int, int>> per_round;  // round -> (links, unexplained slow links)
  for (const auto& [id, stats] : group.links) {
    auto& [links, unexplained] = per_round[stats.samples.front()->round];
    ++links;
    unexplained += stats.suspect ? 1 : 0;
  }
  for (auto& [id, stats] : group.links) {
    const int round = stats.samples.front()->round;
    const auto& [links, unexplained] = per_round[round];
    if (!stats.suspect || stats.failed || links < kDisturbedRoundMinLinks || 2 * unexplained <= links) continue;
    stats.suspect = false;
    for (Way& way : stats.ways) way.suspect = false;
    stats.disturbed = "round " + std::to_string(round) + ": " + std::to_string(unexplained) + " of " +
                      std::to_string(links) + " links slow with no slow end";
  }
}

/// The first pass's bookkeeping, shared by analyze_pair_matrix() and confirm().
std::map<GroupKey, RailGroup> build_groups(std::span<const LinkSample> links, const PairMatrixOptions& options) {
  std::map<GroupKey, RailGroup> groups;
  for (const LinkSample& sample : links) {
    if (sample.retest) continue;
    const GroupKey key{sample.test, sample.rail, sample.metric, sample.size_bytes};
    auto [it, inserted] = groups.try_emplace(key);
    RailGroup& group = it->second;
    if (inserted) {
      group.key = key;
      group.higher_is_better = sample.higher_is_better;
      group.directional = sample.directional;
    }
    add_sample(group, sample);
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
      for (Way& way : stats.ways) {
        way.slow = way.failed ||
                   (group.comparable && way.has_value &&
                    slow_against(way.value, group.all, group.higher_is_better, key.metric, options.link, options));
        stats.slow = stats.slow || way.slow;
      }
      if (stats.slow) continue;
      ++group.healthy_links;
      for (const LinkSample* sample : stats.samples) {
        if (sample->ok) healthy.push_back(sample->value);
      }
    }
    group.healthy = healthy.empty() ? group.all : robust_centre(healthy, options.link.min_relative_spread);
    judge_nics(group, options);
    clear_explained_suspects(group, options);
    judge_links(group);
    clear_disturbed_rounds(group);
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
  evidence.spreads =
      group.healthy.spread > 0.0 ? std::fabs(measured - group.healthy.median) / group.healthy.spread : 0.0;
}

/// "p2p.bw bw_gbps 0.59 GB/s at 1 MiB, 41% below the rail's healthy-link median (1.00 GB/s, 9.3 spreads)";
/// a retransmit share reads "p2p.bw retrans_rate 2.10% retransmitted at 1 MiB against 0.00% (...)".
std::string numbers_text(const Evidence& evidence, const std::string& centre_name) {
  if (is_loss_metric(evidence.metric)) {
    char text[160];
    std::snprintf(text, sizeof text, "%.2f%% retransmitted%s against %.2f%% (%s)", evidence.measured * 100.0,
                  format_at_size(evidence.size_bytes).c_str(), evidence.expected * 100.0, centre_name.c_str());
    return evidence.metric + " " + text;
  }
  return evidence.metric + " " + format_value(evidence.measured, evidence.metric) +
         format_at_size(evidence.size_bytes) + ", " + describe_deviation(evidence.deviation) + " " + centre_name +
         " (" + format_value(evidence.expected, evidence.metric) + ", " + format_spreads(evidence.spreads) +
         " spreads)";
}

std::string pairs_text(int count) { return std::to_string(count) + (count == 1 ? " pair" : " pairs"); }

}  // namespace pair_matrix_detail

using namespace pair_matrix_detail;

namespace {

Finding nic_finding(const ComponentId& nic, const NicStats& stats, const RailGroup& group, bool rail_has_good_nic,
                    const PairMatrixOptions& options) {
  Finding finding;
  finding.component = nic;
  Evidence& evidence = finding.evidence;
  evidence.source = "pair_matrix";
  std::vector<double> values;
  for (const ComponentId& id : stats.links) {
    const LinkStats& link = group.links.at(id);
    for (int w = 0; w < 2; ++w) {
      const Way& way = link.ways[static_cast<std::size_t>(w)];
      if (way.samples == 0 || (stats.suspect && !covers_way(nic, stats.direction, id, w))) continue;
      if (way.has_value) values.push_back(way.value);
    }
    if (link.slow) {
      for (const LinkSample* sample : link.samples) evidence.refs.push_back(ref_of(*sample));
    }
  }
  fill_numbers(evidence, group, median(values));
  evidence.slow = stats.slow;
  evidence.total = static_cast<int>(stats.links.size());
  evidence.direction = stats.direction;
  std::string pairs = "slow in " + std::to_string(stats.slow) + " of " + pairs_text(evidence.total) + " it was in";
  if (group.directional && stats.slow > 0) {
    pairs += " (sending: " + std::to_string(stats.tx_slow) + " of " + std::to_string(stats.tx_total) +
             ", receiving: " + std::to_string(stats.rx_slow) + " of " + std::to_string(stats.rx_total) + ")";
  }
  evidence.text = label(nic) + ": ";
  if (values.empty()) {
    evidence.text += group.key.metric + format_at_size(group.key.size_bytes) + ": every transfer failed, " + pairs;
  } else {
    evidence.text += numbers_text(evidence, "the rail's healthy-link median") + ", " + pairs;
  }

  if (stats.suspect) {
    finding.status = VerdictStatus::kFail;
    if (stats.direction == "tx" || stats.direction == "rx") {
      evidence.text += "; " + describe_direction(nic, stats.direction);
    }
    if (stats.unlocalized) {
      evidence.text += "; with only " + pairs_text(evidence.total) + " a slow pair cannot be attributed to either end";
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
    if (stats.explained_pairs > 0) {
      evidence.text += "; " + std::to_string(stats.explained_pairs) + " of them with suspect NICs slower than it, " +
                       "which explain them: not a suspect on the rest";
    }
  }
  return finding;
}

Finding link_finding(const ComponentId& link, const LinkStats& stats, const RailGroup& group,
                     const PairMatrixOptions& options) {
  Finding finding;
  finding.component = link;
  Evidence& evidence = finding.evidence;
  evidence.source = "pair_matrix";
  // The suspect directions' worst value when the link is a suspect, else the worse direction's.
  double value = stats.value;
  if (stats.suspect) {
    bool first = true;
    for (const Way& way : stats.ways) {
      if (!way.suspect || !way.has_value) continue;
      if (first || worse_than(way.value, value, group.higher_is_better)) value = way.value;
      first = false;
    }
  }
  fill_numbers(evidence, group, value);
  evidence.total = static_cast<int>(stats.samples.size());
  for (const LinkSample* sample : stats.samples) {
    const bool slow_sample =
        !sample->ok || (group.comparable && slow_against(sample->value, group.all, group.higher_is_better,
                                                         group.key.metric, options.link, options));
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
  if (stats.directional && stats.slow) {
    evidence.direction = stats.suspect ? way_direction(stats.ways[0].suspect, stats.ways[1].suspect)
                                       : way_direction(stats.ways[0].slow, stats.ways[1].slow);
    evidence.text += "; slow " + describe_direction(link, evidence.direction);
  }

  if (stats.suspect) {
    finding.status = VerdictStatus::kFail;
    evidence.text += "; neither end is slow with its other peers: the cable or switch-port path";
  } else if (!stats.disturbed.empty()) {
    finding.status = VerdictStatus::kPass;
    evidence.text += "; the whole round was slow (" + stats.disturbed +
                     "): a disturbed moment, not this link; pairs of a round are disjoint";
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

/// Slow links explained by a suspect NIC that was not slow in all of its pairs (see ShadowedLink), over every
/// group, each with the NICs that explained it; sorted by link.
std::vector<ShadowedLink> shadowed_links(const std::map<GroupKey, RailGroup>& groups) {
  std::map<ComponentId, std::vector<ComponentId>> by_link;
  for (const auto& [key, group] : groups) {
    for (const auto& [id, stats] : group.links) {
      if (!stats.slow || stats.suspect || !stats.disturbed.empty()) continue;
      for (const Way& way : stats.ways) {
        if (!way.slow || !way.explained_by) continue;
        const NicStats& nic = group.nics.at(*way.explained_by);
        if (nic.slow < static_cast<int>(nic.links.size())) add_unique(by_link[id], *way.explained_by);
      }
    }
  }
  std::vector<ShadowedLink> shadowed;
  for (auto& [link, nics] : by_link) shadowed.push_back({link, std::move(nics)});
  return shadowed;
}

}  // namespace

PairMatrixResult analyze_pair_matrix(std::span<const LinkSample> links, const PairMatrixOptions& options) {
  const std::map<GroupKey, RailGroup> groups = build_groups(links, options);
  PairMatrixResult result;

  // Suspects, and NICs that cannot be trusted as re-test partners, over every group: the suspect NICs, and (by
  // how many) ends of slow links no suspect end explains.
  std::set<ComponentId> suspect_nics;
  std::map<ComponentId, int> unexplained_slow_links;
  std::vector<ComponentId> all_nics;
  for (const auto& [key, group] : groups) {
    for (const auto& [nic, stats] : group.nics) {
      add_unique(all_nics, nic);
      if (stats.suspect) {
        add_unique(result.suspects, nic);
        suspect_nics.insert(nic);
      }
    }
    for (const auto& [link, stats] : group.links) {
      if (!stats.slow) continue;
      if (stats.suspect) add_unique(result.suspects, link);
      // A slow link makes both ends untrusted unless a suspect end explains it (then the other end is fine).
      for (const ComponentId& end : {end_a_of(link), end_b_of(link)}) {
        if (stats.suspect || !stats.explained_by || *stats.explained_by == end) ++unexplained_slow_links[end];
      }
    }
  }
  std::sort(all_nics.begin(), all_nics.end());
  result.shadowed = shadowed_links(groups);
  std::set<int> rails_with_good_nic;
  for (const ComponentId& nic : all_nics) {
    if (suspect_nics.contains(nic)) continue;
    if (unexplained_slow_links.contains(nic)) {
      result.fallback_nics.push_back(nic);
      continue;
    }
    result.good_nics.push_back(nic);
    rails_with_good_nic.insert(nic.rail);
  }
  std::stable_sort(result.fallback_nics.begin(), result.fallback_nics.end(),
                   [&](const ComponentId& a, const ComponentId& b) {
                     return unexplained_slow_links[a] < unexplained_slow_links[b];
                   });

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

  // Up to `count` good NICs on `rail` whose host is not in `avoid_hosts`, those of `last_hosts` last, then least
  // used first (then in order).
  auto pick_partners = [&](int rail, const std::set<std::string>& avoid_hosts, int count,
                           const std::set<std::string>& last_hosts = {}) {
    std::vector<ComponentId> candidates, fallbacks;
    for (const ComponentId& nic : first_pass.good_nics) {
      if (nic.rail == rail && !avoid_hosts.contains(nic.host)) candidates.push_back(nic);
    }
    std::stable_sort(candidates.begin(), candidates.end(), [&](const ComponentId& a, const ComponentId& b) {
      return std::pair(last_hosts.contains(a.host), uses[a]) < std::pair(last_hosts.contains(b.host), uses[b]);
    });
    for (const ComponentId& nic : first_pass.fallback_nics) {
      if (nic.rail == rail && !avoid_hosts.contains(nic.host)) fallbacks.push_back(nic);
    }
    std::stable_sort(fallbacks.begin(), fallbacks.end(), [&](const ComponentId& a, const ComponentId& b) {
      return last_hosts.contains(a.host) < last_hosts.contains(b.host);
    });
    candidates.insert(candidates.end(), fallbacks.begin(), fallbacks.end());
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

  // A suspect NIC's shadowed links go to their own re-tests: its partners are other hosts where there are some.
  std::map<ComponentId, std::set<std::string>> shadow_peers;
  for (const ShadowedLink& shadowed : first_pass.shadowed) {
    for (const ComponentId& nic : shadowed.explained_by) {
      shadow_peers[nic].insert(nic.host == shadowed.link.host ? shadowed.link.peer_host : shadowed.link.host);
    }
  }

  for (const ComponentId& suspect : first_pass.suspects) {
    if (suspect.kind == ComponentKind::kNic) {
      for (const ComponentId& peer :
           pick_partners(suspect.rail, {suspect.host}, options.retest_peers, shadow_peers[suspect])) {
        plan.push_back({suspect, suspect.host, suspect.nic, peer.host, peer.nic, suspect.rail});
      }
    } else if (suspect.kind == ComponentKind::kLink) {
      for (int i = 0; i < options.retest_link_repeats; ++i)
        plan.push_back({suspect, suspect.host, suspect.nic, suspect.peer_host, suspect.peer_nic, suspect.rail});
      const std::set<std::string> ends = {suspect.host, suspect.peer_host};
      for (const ComponentId& end : {end_a_of(suspect), end_b_of(suspect)}) {
        for (const ComponentId& peer : pick_partners(suspect.rail, ends, 1)) {
          plan.push_back({suspect, end.host, end.nic, peer.host, peer.nic, suspect.rail});
        }
      }
    }
  }
  for (const ShadowedLink& shadowed : first_pass.shadowed) {
    const ComponentId& link = shadowed.link;
    for (int i = 0; i < options.retest_link_repeats; ++i)
      plan.push_back({link, link.host, link.nic, link.peer_host, link.peer_nic, link.rail});
  }
  return plan;
}

std::vector<std::vector<RetestPair>> retest_rounds(const std::vector<RetestPair>& plan,
                                                   const PairMatrixOptions& options) {
  std::vector<std::vector<RetestPair>> rounds;
  if (plan.size() <= static_cast<std::size_t>(std::max(options.retest_alone_max_pairs, 0))) {
    for (const RetestPair& pair : plan) rounds.push_back({pair});
    return rounds;
  }
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

}  // namespace railcheck::analysis
