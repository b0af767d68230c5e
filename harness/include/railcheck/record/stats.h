// Summary statistics of timing samples (seconds in, microseconds out), perftest-style percentiles.
#pragma once

#include <span>

namespace railcheck {

struct SampleStats {
  int count = 0;
  double mean_us = 0.0;
  double min_us = 0.0;
  double max_us = 0.0;
  double p50_us = 0.0;  ///< median (perftest's "typical")
  double p99_us = 0.0;
  double stdev_us = 0.0;
  double p99_9_us = 0.0;  ///< perftest's 99.9% column (last, so positional initialisers keep their meaning)
};

/// Statistics of `samples_s` (durations in seconds). Percentiles by nearest rank. Empty input: count 0.
SampleStats summarize(std::span<const double> samples_s);

}  // namespace railcheck
