// The HTML report: one self-contained page per run (results.html beside results.json, `railcheck report
// results.json`) or for two runs side by side (`railcheck report OLD.json NEW.json`). Verdicts with their
// evidence and actions come first, then the link heatmaps per rail, bandwidth against size per collective, the
// ranks' spread and a soak's timelines with the telemetry of each interval. No scripts, no external anything: a
// Content-Security-Policy meta refuses every request the page could make, so it opens the same from a laptop,
// a CI artifact store or a mail attachment, with scripts blocked.
#pragma once

#include <string>

#include "railcheck/analysis/compare_runs.h"
#include "railcheck/report/report_data.h"

namespace railcheck::report {

/// The Content-Security-Policy every report carries.
inline constexpr const char* kReportPolicy =
    "default-src 'none'; style-src 'unsafe-inline'; img-src 'none'; base-uri 'none'; form-action 'none'";

/// One run's page.
std::string render_report(const RunView& run);

/// Two runs side by side: what changed first (parts newly failing or fixed, values that regressed, as
/// `railcheck compare` finds them), then each section of `before` beside the same section of `after`.
std::string render_comparison(const RunView& before, const RunView& after, const analysis::Comparison& comparison);

}  // namespace railcheck::report
