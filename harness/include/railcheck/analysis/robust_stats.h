// Median and MAD: centre and spread that a few broken parts cannot drag.
#pragma once

#include <span>

namespace railcheck::analysis {

/// Median (mean of the middle two for even counts). Empty: 0.
double median(std::span<const double> values);

/// The value a `share` (0-1) of `values` are at or below, linear between neighbours (0.5: the median). Empty: 0.
double quantile(std::span<const double> values, double share);

/// Median absolute deviation from the median (unscaled). Empty: 0.
double mad(std::span<const double> values);

struct RobustCentre {
  int count = 0;
  double median = 0.0;
  double mad = 0.0;
  double spread = 0.0;  ///< max(1.4826 * mad, min_relative_spread * |median|): the sigma-equivalent used
};

/// `min_relative_spread` keeps a very tight fleet from turning a 1% wobble into "20 spreads".
RobustCentre robust_centre(std::span<const double> values, double min_relative_spread);

}  // namespace railcheck::analysis
