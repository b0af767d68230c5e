// Pair-matrix analysis of pairwise link measurements (railcheck p2p, the circle-method rounds).
//
// Per (rail, metric, size): a link is slow when it is a fleet outlier among that rail's links (fail level of
// PairMatrixOptions::link) or its transfer failed. Row analysis: a NIC is suspect when it is in more than
// suspect_share of its pairs' slow ones (and at least min_slow_pairs of them); a slow link with no suspect
// end is itself the suspect (a cable or switch-port path). Second pass: suspects are re-tested paired with
// NICs that passed; only suspects slow again are failed, the others warn ("not reproduced: re-test").
//
// Choices: a NIC's pairs are the distinct peers it was measured with; both directions of one pair are one
// link, judged by its worse direction (slow when either direction is). The rail's centre is the median / MAD
// of every successful first-pass measurement; evidence's "expected" is the median of the healthy (not slow)
// links' measurements, and re-tests are judged against that healthy centre. A NIC with fewer pairs than
// min_slow_pairs, all slow (the 2-host case), is an "unlocalized" suspect: kFail when its rail has good NICs
// to re-test it with, else kWarn "too few hosts to localize". A rail (metric, size) with fewer than
// link.min_units links judges only failed transfers; its other links and NICs are kSkip.
#pragma once

#include <span>
#include <vector>

#include "railcheck/analysis/samples.h"
#include "railcheck/analysis/thresholds.h"
#include "railcheck/analysis/verdict.h"

namespace railcheck::analysis {

struct PairMatrixResult {
  std::vector<Finding> findings;        ///< every NIC and every link measured: pass, or warn/fail as suspect
  std::vector<ComponentId> suspects;    ///< NICs and links to re-test (kNic and kLink), in a stable order
  std::vector<ComponentId> good_nics;   ///< safe re-test partners: NICs that are no suspect and whose slow
                                        ///< pairs (if any) all have a suspect NIC at the other end; sorted
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
/// (spread over the good ones so no partner is overused), each suspect link once more as itself plus each of
/// its ends with a good NIC. Rounds are formed by the caller (no host in two pairs of one round). Pure.
std::vector<RetestPair> plan_retests(const PairMatrixResult& first_pass, const PairMatrixOptions& options);

/// Rounds of disjoint re-tests: no host appears twice in one round. Greedy, in plan order.
std::vector<std::vector<RetestPair>> retest_rounds(const std::vector<RetestPair>& plan);

/// Final findings: first-pass findings with each suspect's status set by its re-tests, judged against the
/// first pass's healthy link centre on that rail (the link rule with options.retest_spreads for
/// fail_spreads; a failed re-test is slow): fail when slow again in most of its re-tests (evidence
/// adds them, source "retest"), warn when not reproduced. Suspects with no re-test keep kWarn ("not
/// re-tested"). `retests` are the LinkSamples measured for plan_retests()' pairs. A suspect link whose end is
/// also slow with good peers (majority) is lowered to kWarn and that end NIC gets a kFail "retest" finding.
std::vector<Finding> confirm(const PairMatrixResult& first_pass, std::span<const LinkSample> first_links,
                             std::span<const LinkSample> retests, const PairMatrixOptions& options);

}  // namespace railcheck::analysis
