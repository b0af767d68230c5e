// Fleet-relative outliers: each unit against the median / MAD of its (metric, size, rail) group.
#include "railcheck/analysis/fleet_outliers.h"

#include <cmath>
#include <map>
#include <tuple>

namespace railcheck::analysis {

VerdictStatus judge_outlier(double value, const RobustCentre& centre, bool higher_is_better,
                            const OutlierOptions& options) {
  if (centre.median == 0.0) return VerdictStatus::kPass;
  const double worse = higher_is_better ? centre.median - value : value - centre.median;
  if (worse <= 0.0) return VerdictStatus::kPass;
  const double spreads = centre.spread > 0.0 ? worse / centre.spread : INFINITY;
  const double fraction = worse / std::fabs(centre.median);
  if (options.decisive_deviation > 0.0 && fraction >= options.decisive_deviation) return VerdictStatus::kFail;
  if (spreads > options.fail_spreads && fraction >= options.fail_deviation) return VerdictStatus::kFail;
  if (spreads > options.warn_spreads && fraction >= options.warn_deviation) return VerdictStatus::kWarn;
  return VerdictStatus::kPass;
}

std::string describe_deviation(double deviation) {
  const long percent = std::lround(std::fabs(deviation) * 100.0);
  if (percent == 0) return "at";
  return std::to_string(percent) + (deviation < 0.0 ? "% below" : "% above");
}

namespace {

struct GroupKey {
  std::string metric;
  std::size_t size_bytes = 0;
  int rail = -1;
  auto operator<=>(const GroupKey&) const = default;
};

struct Group {
  bool higher_is_better = true;
  ComponentKind kind = ComponentKind::kNode;
  std::map<ComponentId, std::vector<double>> values;  ///< per unit, in a stable (sorted) order
};

std::string plural_of(ComponentKind kind, int count) {
  const std::string noun = kind == ComponentKind::kNic    ? "NIC"
                           : kind == ComponentKind::kGpu  ? "GPU"
                           : kind == ComponentKind::kLink ? "link"
                                                          : "node";
  return std::to_string(count) + " " + noun + (count == 1 ? "" : "s");
}

std::string where_of(int rail) { return rail >= 0 ? "on rail " + std::to_string(rail) : "across the fleet"; }

}  // namespace

std::vector<Finding> fleet_outliers(std::span<const UnitSample> samples, const OutlierOptions& options) {
  std::map<GroupKey, Group> groups;
  for (const UnitSample& sample : samples) {
    auto [it, inserted] = groups.try_emplace(GroupKey{sample.metric, sample.size_bytes, sample.rail});
    if (inserted) {
      it->second.higher_is_better = sample.higher_is_better;
      it->second.kind = sample.unit.kind;
    }
    it->second.values[sample.unit].push_back(sample.value);
  }

  std::vector<Finding> findings;
  for (const auto& [key, group] : groups) {
    std::vector<double> unit_values;
    for (const auto& [unit, values] : group.values) unit_values.push_back(median(values));
    const RobustCentre centre = robust_centre(unit_values, options.min_relative_spread);
    const int units = centre.count;
    const std::string kinds = plural_of(group.kind, units);
    const std::string expected_from = "fleet median of " + kinds + " " + where_of(key.rail);

    std::size_t index = 0;
    for (const auto& [unit, values] : group.values) {
      const double measured = unit_values[index++];
      Finding finding;
      finding.component = unit;
      Evidence& evidence = finding.evidence;
      evidence.source = "fleet";
      evidence.metric = key.metric;
      evidence.size_bytes = key.size_bytes;
      evidence.measured = measured;
      evidence.expected = centre.median;
      evidence.expected_from = expected_from;
      evidence.total = static_cast<int>(values.size());
      if (units < options.min_units) {
        finding.status = VerdictStatus::kSkip;
        evidence.text = label(unit) + ": " + key.metric + format_at_size(key.size_bytes) + ": only " + kinds + " " +
                        where_of(key.rail) + ", fewer than min_units " + std::to_string(options.min_units) +
                        ": no fleet comparison";
        findings.push_back(std::move(finding));
        continue;
      }
      evidence.deviation = centre.median != 0.0 ? (measured - centre.median) / centre.median : 0.0;
      evidence.spreads = centre.spread > 0.0 ? std::fabs(measured - centre.median) / centre.spread : 0.0;
      finding.status = judge_outlier(measured, centre, group.higher_is_better, options);
      evidence.text = label(unit) + ": " + key.metric + " " + format_value(measured, key.metric) +
                      format_at_size(key.size_bytes) + ", " + describe_deviation(evidence.deviation) +
                      " the median of " + kinds + " " + where_of(key.rail) + " (" +
                      format_value(centre.median, key.metric) + ", " + format_spreads(evidence.spreads) + " spreads)";
      findings.push_back(std::move(finding));
    }
  }
  return findings;
}

}  // namespace railcheck::analysis
