// Pair-matrix analysis: slow links per (rail, metric, size), the NICs they share, and the re-test pass.
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

#include "railcheck/analysis/fleet_outliers.h"
#include "railcheck/analysis/robust_stats.h"

namespace railcheck::analysis {
namespace {

struct GroupKey {
  std::string test;  ///< links of one suite test only: a TCP and a verbs pass are different fabrics
  int rail = 0;
  std::string metric;
  std::size_t size_bytes = 0;
  auto operator<=>(const GroupKey&) const = default;
};

/// One direction of a link: way 0 from the link's (host, nic) to its peer, way 1 back. Metrics without a
/// direction use way 0 alone.
struct Way {
  int samples = 0;
  bool has_value = false;  ///< a transfer this way succeeded
  double value = 0.0;      ///< the worst successful value this way
  bool failed = false;     ///< a transfer this way failed
  bool slow = false;
  bool suspect = false;                     ///< slow and no end NIC's matching side explains it
  std::optional<ComponentId> explained_by;  ///< slow, and this suspect end NIC's matching side explains it
};

struct LinkStats {
  std::vector<const LinkSample*> samples;
  bool directional = false;
  std::array<Way, 2> ways;
  bool has_value = false;                   ///< at least one transfer succeeded
  double value = 0.0;                       ///< the worse direction's value among successful transfers
  bool failed = false;                      ///< a transfer failed
  bool slow = false;                        ///< some direction is slow
  bool suspect = false;                     ///< some slow direction is not explained by an end
  std::optional<ComponentId> explained_by;  ///< a suspect end that explains a slow direction
  std::string disturbed;  ///< when its whole round was slow: "round R: N of M links slow" (not a suspect)
};

enum class Side { kTx, kRx };

struct NicStats {
  std::vector<ComponentId> links;  ///< distinct pairs this NIC was in
  int slow = 0;                    ///< pairs slow in any direction
  int tx_slow = 0, tx_total = 0;   ///< directional metrics: pairs it sent in (slow / measured)
  int rx_slow = 0, rx_total = 0;   ///< ... and received in
  bool suspect = false;
  bool unlocalized = false;  ///< suspect only because it had fewer pairs than min_slow_pairs, all slow
  std::string direction;     ///< when suspect in a directional metric: "tx", "rx" or "both"; else ""
};

struct RailGroup {
  GroupKey key;
  bool higher_is_better = true;
  bool directional = false;
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
      for (const Way& way : l.ways) {
        if (way.has_value) own.push_back(way.value);
      }
    }
    if (!own.empty()) nic_medians.push_back(median(own));
  }
  if (nic_medians.size() < 3) return robust_centre(values, link.min_relative_spread);  // no majority to lean on
  RobustCentre c;
  c.count = static_cast<int>(values.size());
  c.median = median(nic_medians);
  std::vector<double> deviations;
  for (double v : values) {
    if (std::fabs(v - c.median) <= link.fail_deviation * std::fabs(c.median))
      deviations.push_back(std::fabs(v - c.median));
  }
  c.mad = median(deviations);
  c.spread = std::max(1.4826 * c.mad, link.min_relative_spread * std::fabs(c.median));
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
void judge_nics(RailGroup& group, const PairMatrixOptions& options) {
  for (auto& [nic, stats] : group.nics) {
    for (const ComponentId& id : stats.links) {
      const LinkStats& link = group.links.at(id);
      stats.slow += link.slow ? 1 : 0;
      if (!link.directional) continue;
      for (int w = 0; w < 2; ++w) {
        const Way& way = link.ways[static_cast<std::size_t>(w)];
        if (way.samples == 0) continue;
        const bool sends = sender_of(id, w) == nic;
        (sends ? stats.tx_total : stats.rx_total) += 1;
        (sends ? stats.tx_slow : stats.rx_slow) += way.slow ? 1 : 0;
      }
    }
    const int total = static_cast<int>(stats.links.size());
    const bool tx = group.directional && is_side_suspect(stats.tx_slow, stats.tx_total, options);
    const bool rx = group.directional && is_side_suspect(stats.rx_slow, stats.rx_total, options);
    stats.suspect = is_suspect_by_rule(stats.slow, total, options) || tx || rx;
    stats.unlocalized = stats.suspect && total < options.min_slow_pairs;
    // One side only when the other was measured enough to be judged, and found sound.
    const bool tx_judged = stats.tx_total >= options.min_slow_pairs,
               rx_judged = stats.rx_total >= options.min_slow_pairs;
    if (stats.suspect && group.directional) {
      stats.direction = tx && rx_judged && !rx ? "tx" : rx && tx_judged && !tx ? "rx" : "both";
    }
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
      std::optional<ComponentId> by;
      if (s.suspect && side_covers(s.direction, Side::kTx)) {
        by = sender;
      } else if (r.suspect && side_covers(r.direction, Side::kRx)) {
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
      const Side side = sender_of(id, w) == nic ? Side::kTx : Side::kRx;
      if (way.samples == 0 || (stats.suspect && !side_covers(stats.direction, side))) continue;
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

  // Suspects, and NICs that cannot be trusted as re-test partners, over every group: the suspects, and (by how
  // many) ends of slow links no suspect end explains.
  std::set<ComponentId> untrusted;
  std::map<ComponentId, int> unexplained_slow_links;
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
        if (stats.suspect || !stats.explained_by || *stats.explained_by == end) {
          untrusted.insert(end);
          ++unexplained_slow_links[end];
        }
      }
    }
  }
  std::sort(all_nics.begin(), all_nics.end());
  result.shadowed = shadowed_links(groups);
  std::set<int> rails_with_good_nic;
  for (const ComponentId& nic : all_nics) {
    if (untrusted.contains(nic)) {
      const bool suspect = std::find(result.suspects.begin(), result.suspects.end(), nic) != result.suspects.end();
      if (!suspect) result.fallback_nics.push_back(nic);
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
          const Side side = sender_of(id, w) == suspect ? Side::kTx : Side::kRx;
          if (way.samples > 0 && side_covers(direction, side) && decisive(way, group, options)) any = true;
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

/// A NIC at one end of min_slow_pairs or more links confirmed slow (final status kFail), to distinct peers, is
/// the common cause: a NIC has one cable, so several slow paths through it are that NIC or its cable, not as
/// many bad paths (a NIC slow with only some peers, or so noisy that it stayed under the NIC rule while its
/// slowest pairs were confirmed). It gets a kFail "retest" finding naming them; the links are then explained by
/// it (explain_links_by_failing_nics). Pure apart from `final_status` and `added`.
void blame_common_ends(std::map<ComponentId, VerdictStatus>& final_status, std::vector<Finding>& added,
                       const PairMatrixOptions& options) {
  std::map<ComponentId, std::vector<ComponentId>> failing_links_of;
  for (const auto& [component, status] : final_status) {
    if (component.kind != ComponentKind::kLink || status != VerdictStatus::kFail) continue;
    failing_links_of[end_a_of(component)].push_back(component);
    failing_links_of[end_b_of(component)].push_back(component);
  }
  for (const auto& [nic, links] : failing_links_of) {
    if (static_cast<int>(links.size()) < options.min_slow_pairs) continue;
    if (const auto it = final_status.find(nic); it != final_status.end() && it->second == VerdictStatus::kFail)
      continue;
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
        sides.insert(way == "a_to_b"   ? (end_a_of(link) == nic ? "tx" : "rx")
                     : way == "b_to_a" ? (end_b_of(link) == nic ? "tx" : "rx")
                                       : "both");
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
