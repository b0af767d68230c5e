// The report's pictures as inline SVG: a node x node heatmap, lines over a numeric axis (bandwidth against
// size, a soak's intervals), bars (the ranks' spread). Colours and marks are SVG presentation attributes, not
// CSS, so they survive a viewer that blocks the page's style sheet (Jenkins' default CSP); every mark carries a
// <title> (the browser's tooltip) and data- attributes a test or a person's devtools can select on.
#pragma once

#include <functional>
#include <set>
#include <string>
#include <vector>

#include "railcheck/report/html_writer.h"
#include "railcheck/report/report_data.h"

namespace railcheck::report {

/// The colour of a cell whose value is `ratio` of its matrix's reference (bandwidth: value / reference;
/// latency: reference / value): red at 0.4 and below, amber at 0.7, green at 1 and above.
std::string ratio_colour(double ratio);

inline constexpr const char* kFailColour = "#d00000";  ///< a failing host's or link's mark
inline constexpr const char* kWarnColour = "#e08a00";

/// The matrix as rows (source host) by columns (destination host) in an <svg class="heatmap" data-test
/// data-metric data-rail>. Every cell: <rect class="cell" data-src data-dst> with a <title>; a cell of a failing host
/// (row or column) gets class "failing-host" and a red outline, a failing link's cell class "failing-link" and a
/// thicker one, a warning host's cell class "warning-host" and a thin amber one; the failing hosts' row and column
/// labels are red with data-host. `failing` / `warning`: hosts to mark.
void heatmap(HtmlWriter& out, const LinkMatrix& matrix, const std::set<std::string>& failing,
             const std::set<std::string>& warning);

struct ChartPoint {
  double x = 0.0, y = 0.0;
  double low = 0.0, high = 0.0;  ///< a band around y (equal to y: none)
  std::string tip;               ///< the point's tooltip
};

struct ChartSeries {
  std::string name;
  std::string colour = "#1f5fa8";
  bool dashed = false;
  bool marked = false;  ///< drawn thicker, last (a failing host's line)
  std::string host;     ///< data-host of the line, when it is one host's
  std::vector<ChartPoint> points;
};

/// A vertical line at x (a drift's first interval) with its tooltip.
struct ChartMarker {
  double x = 0.0;
  std::string label;
  std::string colour = kFailColour;
};

struct LineChart {
  std::string y_label;
  std::string x_label;
  bool log2_x = false;                        ///< message sizes
  std::function<std::string(double)> x_tick;  ///< an x value as the axis names it
  std::vector<double> x_ticks;                ///< where the axis has labels (empty: every point's x)
  std::vector<ChartSeries> series;
  std::vector<ChartMarker> markers;
  bool legend = true;
};

void line_chart(HtmlWriter& out, const LineChart& chart);

struct Bar {
  std::string label;
  double value = 0.0;
  std::string tip;
  std::string host;     ///< data-host
  bool marked = false;  ///< a failing host's bar
};

/// Horizontal-axis bars, one per entry, with the median drawn across them.
void bar_chart(HtmlWriter& out, const std::vector<Bar>& bars, const std::string& y_label);

/// "12.3" / "0.456" / "1234": a figure with three significant digits or more, for tooltips and cells.
std::string figure(double value);

}  // namespace railcheck::report
