// Fleet-relative outliers, no baseline needed: within each (metric, size, rail) the units are compared with
// their robust centre (median) and spread (MAD); a unit worse than the centre by more than the set number of
// spreads AND the set fraction is flagged, with the numbers.
#pragma once

#include <span>
#include <string>
#include <vector>

#include "railcheck/analysis/robust_stats.h"
#include "railcheck/analysis/samples.h"
#include "railcheck/analysis/thresholds.h"
#include "railcheck/analysis/verdict.h"

namespace railcheck::analysis {

/// One Finding per unit and (metric, size, rail) group: pass, warn or fail (source "fleet"); a group with
/// fewer than options.min_units units gives kSkip findings saying so. Several samples of the same unit in one
/// group are reduced to their median first. "Worse" follows higher_is_better. Pure.
std::vector<Finding> fleet_outliers(std::span<const UnitSample> samples, const OutlierOptions& options);

/// The outlier rule on its own (pair_matrix uses it for links): kFail when `value` is worse than the centre
/// by more than fail_spreads spreads AND by at least fail_deviation of the centre, kWarn likewise with the
/// warn levels, else kPass. A centre of 0 never flags.
VerdictStatus judge_outlier(double value, const RobustCentre& centre, bool higher_is_better,
                            const OutlierOptions& options);

/// "41% below" / "12% above" (the sign of `deviation`, rounded to whole percent; "at").
std::string describe_deviation(double deviation);

}  // namespace railcheck::analysis
