// A soak's parts followed over its intervals: drift (the last intervals against the first ones after warm-up)
// and dips (one interval well below), from the interval-tagged samples of a soak (take_soak_samples).
#pragma once

#include <vector>

#include "railcheck/analysis/samples.h"
#include "railcheck/analysis/thresholds.h"
#include "railcheck/analysis/verdict.h"

namespace railcheck::analysis {

/// Findings (source "soak") about the parts a soak's samples describe; samples outside a soak are ignored.
///
/// One-way p2p bandwidth ("p2p.bw bw_gbps"), per test and size: each directed pair's value in an interval is
/// the median of its samples there (a failed transfer counts 0), over its reference, the median of its values
/// in the reference intervals (the first window_intervals after warmup_intervals; a pair with no reference
/// takes the median reference of the others). A NIC's transmit (receive) ratio in an interval is the median of
/// its pairs' ratios as source (destination), leaving out pairs whose other end is low in that interval with
/// a lower ratio (one NIC sending slowly makes each of its peers receive slowly from it; the peers are not to
/// blame). An interval where more than fabric_share of the NIC directions are low blames no part: the whole
/// fabric or job slowed (the evidence says so).
///   - fail "drift": the median of a NIC direction's last window_intervals judged ratios is below 1 - drift;
///     the evidence names the interval it began in (the first low interval from which the median stays low)
///     and that interval's start time.
///   - warn "dip": no drift, but a judged interval's ratio is below 1 - dip.
///   - pass: neither (a part that was followed and held steady).
/// Collective busbw per (test, size, group): drift of a group warns every host in it (a collective does not say
/// which part slowed: bisect), unless a NIC of one of those hosts fails by drift, which explains it (pass,
/// saying so); a steady group passes its hosts.
/// A noisy metric needs a larger drop: drift is at least noise_spreads x its noise, the robust spread of its
/// steps from one interval to the next (each pair's, each group's), a dip dip_noise_spreads x (a single value
/// of one part among the soak's many), and the evidence says when the drift threshold was raised.
/// Nothing is judged for a metric with fewer than warmup_intervals + window_intervals + 1 intervals.
std::vector<Finding> soak_findings(const Samples& soak, const SoakOptions& options);

/// The intervals a metric needs before anything is judged: warm-up, reference, and one more.
int soak_intervals_needed(const SoakOptions& options);

}  // namespace railcheck::analysis
