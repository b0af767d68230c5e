// Pair-matrix analysis of pairwise link measurements (railcheck p2p, the circle-method rounds).
//
// Per (rail, metric, size): a link is slow when it is an outlier among that rail's links (fail level of
// PairMatrixOptions::link; latency also at least latency_floor_us worse, a retransmit share at least
// loss_floor above the centre) or its transfer failed. Directional metrics (one-way bandwidth, retransmits)
// are judged per direction, never pooled: each direction of a link is slow or not on its own, and a NIC's
// transmit side (the pairs it sent in) and receive side are judged apart. Row analysis: a NIC is suspect when
// it is in more than suspect_share of its pairs' slow ones (and at least min_slow_pairs of them), overall or
// in one side, and is blamed with that side ("tx", "rx" or "both"); suspects are then explained away, strongest
// first: one that is no suspect on its pairs less those a stronger suspect peer explains is cleared (two bad
// hosts of six make every healthy host slow in 2 of 5 pairs). A slow direction that neither the
// sender's transmit nor the receiver's receive side explains makes the link the suspect in that direction (a
// cable, one fibre or lane, or a switch-port path). Second pass: suspects are re-tested paired with NICs
// that passed, judged only on the metrics and directions they were suspect in, per way (a link) or side (a
// NIC); only suspects slow again are failed, the others pass with their first-pass dip as evidence. A link a
// suspect NIC explained while that NIC had healthy pairs too ("shadowed") is re-tested as itself and judged on
// its own once that NIC passes; a NIC under min_slow_pairs or more links confirmed slow is named for them. A suspect no
// re-test measured fails anyway when its first pass was decisive (decisive_deviation worse in min_slow_pairs pairs),
// passes when it is a latency suspect (latency is never reported unconfirmed), and warns otherwise, its evidence saying
// why it was not re-tested.
//
// Choices: a NIC's pairs are the distinct peers it was measured with. The rail's centre is the median / MAD
// of the first-pass measurements near the value the NICs vote for (each its better quartile, see rail_centre);
// evidence's "expected" is the median of the healthy (not slow) links' measurements, and re-tests are judged against
// that healthy centre. A NIC with fewer pairs than min_slow_pairs, all slow (the 2-host case), is an "unlocalized"
// suspect: kFail when its rail has good NICs to re-test it with, else kWarn "too few hosts to localize". A rail
// (metric, size) with fewer than link.min_units links judges only failed transfers; its other links and NICs are kSkip.
#pragma once

#include <span>
#include <vector>

#include "railcheck/analysis/samples.h"
#include "railcheck/analysis/thresholds.h"
#include "railcheck/analysis/verdict.h"

namespace railcheck::analysis {

/// A slow link of the first pass that a suspect NIC explained while that NIC also had pairs that were not slow:
/// a bad cable next to a NIC with transient dips (or a NIC slow with only some peers) hides behind the NIC.
/// It is re-tested as itself, and confirm() fails it as the link when it is slow again while every NIC that
/// explained it passed with good peers.
struct ShadowedLink {
  ComponentId link;
  std::vector<ComponentId> explained_by;  ///< the suspect NICs that explained its slow directions
};

struct PairMatrixResult {
  std::vector<Finding> findings;           ///< every NIC and every link measured: pass, or warn/fail as suspect
  std::vector<ComponentId> suspects;       ///< NICs and links to re-test (kNic and kLink), in a stable order
  std::vector<ComponentId> good_nics;      ///< safe re-test partners: NICs that are no suspect and whose slow
                                           ///< pairs (if any) all have a suspect NIC at the other end; sorted
  std::vector<ShadowedLink> shadowed;      ///< links hidden behind a suspect NIC, sorted by link
  std::vector<ComponentId> fallback_nics;  ///< no suspect, but an end of a slow link nothing explained: re-test
                                           ///< partners only where a rail has too few good NICs (transient dips
                                           ///< on a busy rail touch every host); fewest such links first
};

/// First pass over `links`. Pure. Findings of suspects are kFail with the evidence; confirm() may lower them.
PairMatrixResult analyze_pair_matrix(std::span<const LinkSample> links, const PairMatrixOptions& options);

/// A re-test to run: between a suspect's NIC (a) and a known-good NIC (b) on the same rail, or the suspect
/// link itself again. `suspect` is the component it is meant to confirm.
struct RetestPair {
  ComponentId suspect;
  std::string host_a, nic_a;
  std::string host_b, nic_b;
  int rail = 0;
};

/// Second-pass plan: each suspect NIC with up to options.retest_peers good NICs of other hosts on its rail
/// (spread over the good ones so no partner is overused; hosts it was slow with come last, so its partners
/// are fresh paths; fallback NICs only where the good ones are too few), each suspect link options.retest_link_repeats
/// times as itself plus each of its ends with a good NIC, and each shadowed link retest_link_repeats times as itself.
/// Rounds are formed by the caller (no host in two pairs of one round). Pure.
std::vector<RetestPair> plan_retests(const PairMatrixResult& first_pass, const PairMatrixOptions& options);

/// Rounds of the second pass, in plan order. A plan of at most options.retest_alone_max_pairs pairs: one pair
/// per round, alone. A larger one: rounds of disjoint re-tests (no host twice in one round), greedy. Pure.
std::vector<std::vector<RetestPair>> retest_rounds(const std::vector<RetestPair>& plan,
                                                   const PairMatrixOptions& options);

/// Final findings: first-pass findings with each suspect's status set by its re-tests, judged against the
/// first pass's healthy link centre on that rail (the link rule with options.retest_spreads for
/// fail_spreads; a failed re-test is slow), counting only re-tests in the metrics and directions it was
/// suspect in: fail when slow again in most of them (evidence adds them, source "retest"), pass when not
/// reproduced. Suspects with no re-test: kFail when decisive, kPass for latency-only suspects, else kWarn,
/// each saying why it was not re-tested. `retests` are the LinkSamples measured for plan_retests()' pairs. A suspect
/// link whose end is also slow with good peers (majority) is lowered to kWarn and that end NIC gets a kFail "retest"
/// finding. A shadowed link's own re-tests judge the link, not the NIC that explained it: when every such NIC
/// passes, the link gets a "retest" finding, kFail when slow again in most of them (the cable or switch-port
/// path), kPass when not, kWarn when it was not re-tested.
std::vector<Finding> confirm(const PairMatrixResult& first_pass, std::span<const LinkSample> first_links,
                             std::span<const LinkSample> retests, const PairMatrixOptions& options);

}  // namespace railcheck::analysis
