// Internals shared by the pair matrix's first pass (pair_matrix.cpp) and its second pass (pair_matrix_confirm.cpp):
// the per (test, rail, metric, size) groups of link samples with their slow links and suspect NICs, and the
// helpers both passes judge and describe them with. Not a public interface.
#pragma once

#include <array>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "railcheck/analysis/robust_stats.h"
#include "railcheck/analysis/samples.h"
#include "railcheck/analysis/thresholds.h"
#include "railcheck/analysis/verdict.h"

namespace railcheck::analysis::pair_matrix_detail {

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
  int explained_pairs = 0;   ///< cleared as a suspect: its slow pairs that stronger suspect peers explain
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

ComponentId nic_a_of(const LinkSample& sample);
ComponentId nic_b_of(const LinkSample& sample);
ComponentId link_of(const LinkSample& sample);
ComponentId end_a_of(const ComponentId& link);
ComponentId end_b_of(const ComponentId& link);
/// The way of `link` that `sample` measured (0 for metrics without a direction).
int way_of(const ComponentId& link, const LinkSample& sample);
ComponentId sender_of(const ComponentId& link, int way);
ComponentId receiver_of(const ComponentId& link, int way);
/// Whether a NIC suspect in `direction` ("" = no direction) is at fault for a transfer in which it plays `side`.
bool side_covers(const std::string& direction, Side side);
/// The same for way `w` of `link`, of which `nic` is an end (it sends that way or receives it).
bool covers_way(const ComponentId& nic, const std::string& direction, const ComponentId& link, int w);
/// "both", "a_to_b", "b_to_a" or "" for the ways that are true.
std::string way_direction(bool way0, bool way1);
bool worse_than(double a, double b, bool higher_is_better);
bool is_loss_metric(const std::string& metric);
bool is_latency_metric(const std::string& metric);
/// The link rule for one value against a centre (see pair_matrix.cpp).
bool slow_against(double value, const RobustCentre& centre, bool higher_is_better, const std::string& metric,
                  const OutlierOptions& rule, const PairMatrixOptions& options);
/// Decisively worse than the healthy centre: no re-test needed (see pair_matrix.cpp).
bool decisive(const Way& way, const RailGroup& group, const PairMatrixOptions& options);
/// "round 1: node1(mlx5_0)->node3(mlx5_0) 0.61 GB/s" or "... failed: <error>".
std::string ref_of(const LinkSample& sample);
/// The first pass's bookkeeping, shared by analyze_pair_matrix() and confirm().
std::map<GroupKey, RailGroup> build_groups(std::span<const LinkSample> links, const PairMatrixOptions& options);
/// Fills measured / expected / deviation / spreads against the group's healthy centre.
void fill_numbers(Evidence& evidence, const RailGroup& group, double measured);
/// "p2p.bw bw_gbps 0.59 GB/s at 1 MiB, 41% below <centre_name> (1.00 GB/s, 9.3 spreads)" or a retransmit share.
std::string numbers_text(const Evidence& evidence, const std::string& centre_name);
std::string pairs_text(int count);

}  // namespace railcheck::analysis::pair_matrix_detail
