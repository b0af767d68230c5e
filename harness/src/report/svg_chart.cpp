#include "railcheck/report/svg_chart.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>

#include "railcheck/analysis/robust_stats.h"

namespace railcheck::report {
namespace {

std::string number(double value) {
  char text[32];
  std::snprintf(text, sizeof text, "%.1f", value);
  return text;
}

// About five round steps from 0 to at least `top`.
std::vector<double> y_ticks(double top) {
  if (!(top > 0)) return {0.0, 1.0};
  const double raw = top / 5.0;
  const double power = std::pow(10.0, std::floor(std::log10(raw)));
  double step = power;
  for (const double f : {1.0, 2.0, 5.0, 10.0}) {
    step = f * power;
    if (step >= raw) break;
  }
  std::vector<double> ticks;
  for (double t = 0.0; t < top + step * 0.999; t += step) ticks.push_back(t);
  return ticks;
}

std::string hex2(int v) {
  char text[4];
  std::snprintf(text, sizeof text, "%02x", std::clamp(v, 0, 255));
  return text;
}

std::string mix(int r1, int g1, int b1, int r2, int g2, int b2, double t) {
  auto lerp = [t](int a, int b) { return static_cast<int>(std::lround(a + (b - a) * t)); };
  return "#" + hex2(lerp(r1, r2)) + hex2(lerp(g1, g2)) + hex2(lerp(b1, b2));
}

// <svg class=...> of the given size, drawn in its own pixels.
void open_svg(HtmlWriter& out, const char* cls, int width, int height) {
  out.open("svg", {{"xmlns", "http://www.w3.org/2000/svg"},
                   {"class", cls},
                   {"width", std::to_string(width)},
                   {"height", std::to_string(height)},
                   {"viewBox", "0 0 " + std::to_string(width) + " " + std::to_string(height)},
                   {"role", "img"}});
}

// Horizontal grid lines from x `left` to `right` at each tick, labelled left of the axis.
template <typename ToY>
void y_grid(HtmlWriter& out, const std::vector<double>& ticks, int left, int right, ToY py) {
  for (const double t : ticks) {
    out.empty("line", {{"x1", std::to_string(left)},
                       {"x2", std::to_string(right)},
                       {"y1", number(py(t))},
                       {"y2", number(py(t))},
                       {"stroke", "#ddd"}});
    out.element("text", figure(t),
                {{"x", std::to_string(left - 6)},
                 {"y", number(py(t) + 4)},
                 {"text-anchor", "end"},
                 {"font-size", "11"},
                 {"fill", "#444"}});
  }
}

}  // namespace

std::string figure(double value) {
  char text[32];
  const double magnitude = std::fabs(value);
  std::snprintf(text, sizeof text,
                magnitude >= 100  ? "%.0f"
                : magnitude >= 10 ? "%.1f"
                : magnitude >= 1  ? "%.2f"
                                  : "%.3g",
                value);
  return text;
}

std::string ratio_colour(double ratio) {
  const double t = std::clamp((ratio - 0.4) / 0.6, 0.0, 1.0);
  // red (0.4) -> amber (0.7) -> green (1.0)
  return t < 0.5 ? mix(0xc6, 0x28, 0x28, 0xf2, 0xb1, 0x34, t * 2.0)
                 : mix(0xf2, 0xb1, 0x34, 0x3e, 0x9b, 0x4f, (t - 0.5) * 2.0);
}

void heatmap(HtmlWriter& out, const LinkMatrix& matrix, const std::set<std::string>& failing,
             const std::set<std::string>& warning) {
  const int n = static_cast<int>(matrix.hosts.size());
  const int cell = std::clamp(640 / std::max(n, 1), 10, 48);
  const int left = 110, top = 100;
  const int width = left + n * cell + 10, height = top + n * cell + 10;
  std::map<std::pair<std::string, std::string>, const LinkCell*> cells;
  for (const LinkCell& c : matrix.cells) cells[{c.src, c.dst}] = &c;
  const bool bandwidth = matrix.higher_is_better;
  const std::string label_size = std::to_string(std::clamp(cell, 7, 12));  // labels no taller than a row
  const std::string unit = bandwidth ? " GB/s" : " us";

  out.open("svg", {{"xmlns", "http://www.w3.org/2000/svg"},
                   {"class", "heatmap"},
                   {"width", std::to_string(width)},
                   {"height", std::to_string(height)},
                   {"viewBox", "0 0 " + std::to_string(width) + " " + std::to_string(height)},
                   {"role", "img"},
                   {"data-test", matrix.test},
                   {"data-metric", matrix.metric},
                   {"data-rail", std::to_string(matrix.rail)}});
  out.element("title", (matrix.test.empty() ? std::string() : matrix.test + ": ") + matrix.metric + ", rail " +
                           std::to_string(matrix.rail) + ": rows send to columns");
  auto host_mark = [&](const std::string& host) -> std::vector<Attribute> {
    if (failing.contains(host))
      return {
          {"data-host", host}, {"class", "host-label failing-host"}, {"fill", kFailColour}, {"font-weight", "bold"}};
    if (warning.contains(host))
      return {{"data-host", host}, {"class", "host-label warning-host"}, {"fill", kWarnColour}};
    return {{"data-host", host}, {"class", "host-label"}, {"fill", "#222"}};
  };
  for (int i = 0; i < n; ++i) {
    const std::string& host = matrix.hosts[i];
    const std::string mark = failing.contains(host) ? " \u2716" : "";
    std::vector<Attribute> row = host_mark(host);
    row.insert(row.end(), {{"x", std::to_string(left - 6)},
                           {"y", std::to_string(top + i * cell + cell / 2 + 4)},
                           {"text-anchor", "end"},
                           {"font-size", label_size}});
    out.element("text", host + mark, row);
    std::vector<Attribute> column = host_mark(host);
    const int cx = left + i * cell + cell / 2 + 4;
    column.insert(column.end(),
                  {{"x", std::to_string(cx)},
                   {"y", std::to_string(top - 6)},
                   {"font-size", label_size},
                   {"transform", "rotate(-60 " + std::to_string(cx) + " " + std::to_string(top - 6) + ")"}});
    out.element("text", host + mark, column);
  }
  for (int i = 0; i < n; ++i) {
    for (int j = 0; j < n; ++j) {
      const std::string& src = matrix.hosts[i];
      const std::string& dst = matrix.hosts[j];
      const auto found = cells.find({src, dst});
      const LinkCell* c = found == cells.end() ? nullptr : found->second;
      const bool host_failing = failing.contains(src) || failing.contains(dst);
      const bool host_warning = !host_failing && (warning.contains(src) || warning.contains(dst));
      const bool link_failing = c != nullptr && c->failing_link;
      std::string fill = "#f0f0f0", tip = src + " \u2192 " + dst + ": not measured";
      std::string value;
      if (c != nullptr && c->samples == 0) {
        fill = "#222222";
        tip = src + " \u2192 " + dst + ": failed (" + c->error + ")";
      } else if (c != nullptr) {
        const double ratio = matrix.reference > 0 && c->value > 0
                                 ? (bandwidth ? c->value / matrix.reference : matrix.reference / c->value)
                                 : 0.0;
        fill = ratio_colour(ratio);
        value = figure(c->value);
        tip = src + " \u2192 " + dst + " rail " + std::to_string(matrix.rail) + ": " + value + unit + " (" +
              figure(ratio * 100.0) + " % of the rail's median " + figure(matrix.reference) + unit + ")";
        if (c->samples > 1) tip += ", median of " + std::to_string(c->samples);
        if (c->failed > 0) tip += ", " + std::to_string(c->failed) + " failed: " + c->error;
      }
      std::string cls = "cell";
      if (host_failing) cls += " failing-host";
      if (host_warning) cls += " warning-host";
      if (link_failing) cls += " failing-link";
      if (link_failing) {
        tip += " \u2014 FAILING LINK";
      } else if (host_failing) {
        tip += " \u2014 " + std::string(failing.contains(src) ? src : dst) + " FAILS";
      } else if (host_warning) {
        tip += " \u2014 " + std::string(warning.contains(src) ? src : dst) + " WARNS";
      }
      if (i == j) fill = "#ffffff";
      std::vector<Attribute> rect = {{"class", cls},
                                     {"x", std::to_string(left + j * cell)},
                                     {"y", std::to_string(top + i * cell)},
                                     {"width", std::to_string(cell - 1)},
                                     {"height", std::to_string(cell - 1)},
                                     {"fill", fill},
                                     {"data-src", src},
                                     {"data-dst", dst}};
      if (link_failing) {
        rect.insert(rect.end(), {{"stroke", kFailColour}, {"stroke-width", "4"}});
      } else if (host_failing) {
        rect.insert(rect.end(), {{"stroke", kFailColour}, {"stroke-width", "2"}});
      } else if (host_warning) {
        rect.insert(rect.end(), {{"stroke", kWarnColour}, {"stroke-width", "1"}});
      }
      out.open("rect", rect).element("title", tip).close();
      if (c != nullptr && cell >= 40 && !value.empty()) {
        out.element("text", value,
                    {{"x", std::to_string(left + j * cell + cell / 2)},
                     {"y", std::to_string(top + i * cell + cell / 2 + 4)},
                     {"text-anchor", "middle"},
                     {"font-size", "10"},
                     {"fill", "#000"},
                     {"pointer-events", "none"}});
      }
    }
  }
  out.close();
}

void line_chart(HtmlWriter& out, const LineChart& chart) {
  const int width = 680, height = 300, left = 64, right = 16, top = 14, bottom = 46;
  double x_min = 0, x_max = 0, y_max = 0;
  bool first = true;
  auto x_of_value = [&](double x) { return chart.log2_x ? std::log2(std::max(x, 1.0)) : x; };
  for (const ChartSeries& s : chart.series) {
    for (const ChartPoint& p : s.points) {
      const double x = x_of_value(p.x);
      x_min = first ? x : std::min(x_min, x);
      x_max = first ? x : std::max(x_max, x);
      y_max = std::max({y_max, p.y, p.high});
      first = false;
    }
  }
  for (const ChartMarker& m : chart.markers) {
    x_min = first ? x_of_value(m.x) : std::min(x_min, x_of_value(m.x));
    x_max = first ? x_of_value(m.x) : std::max(x_max, x_of_value(m.x));
    first = false;
  }
  if (x_max == x_min) {
    x_min -= 1;
    x_max += 1;
  }
  const std::vector<double> ticks = y_ticks(y_max * 1.05);
  const double y_top = ticks.back();
  auto px = [&](double x) { return left + (x_of_value(x) - x_min) / (x_max - x_min) * (width - left - right); };
  auto py = [&](double y) { return top + (1.0 - y / y_top) * (height - top - bottom); };

  open_svg(out, "chart", width, height);
  y_grid(out, ticks, left, width - right, py);
  std::vector<double> x_ticks = chart.x_ticks;
  if (x_ticks.empty()) {
    std::set<double> xs;
    for (const ChartSeries& s : chart.series)
      for (const ChartPoint& p : s.points) xs.insert(p.x);
    x_ticks.assign(xs.begin(), xs.end());
    if (x_ticks.size() > 12) {  // every k-th, so labels do not overlap
      std::vector<double> fewer;
      const std::size_t k = (x_ticks.size() + 11) / 12;
      for (std::size_t i = 0; i < x_ticks.size(); i += k) fewer.push_back(x_ticks[i]);
      x_ticks = fewer;
    }
  }
  for (const double x : x_ticks) {
    out.element("text", chart.x_tick ? chart.x_tick(x) : figure(x),
                {{"x", number(px(x))},
                 {"y", std::to_string(height - bottom + 16)},
                 {"text-anchor", "middle"},
                 {"font-size", "11"},
                 {"fill", "#444"}});
  }
  out.empty("line", {{"x1", std::to_string(left)},
                     {"x2", std::to_string(width - right)},
                     {"y1", number(py(0))},
                     {"y2", number(py(0))},
                     {"stroke", "#888"}});
  out.element("text", chart.x_label,
              {{"x", std::to_string((left + width - right) / 2)},
               {"y", std::to_string(height - 6)},
               {"text-anchor", "middle"},
               {"font-size", "12"}});
  out.element("text", chart.y_label,
              {{"x", "14"},
               {"y", std::to_string((top + height - bottom) / 2)},
               {"text-anchor", "middle"},
               {"font-size", "12"},
               {"transform", "rotate(-90 14 " + std::to_string((top + height - bottom) / 2) + ")"}});
  for (const ChartMarker& m : chart.markers) {
    out.open("line", {{"class", "marker"},
                      {"x1", number(px(m.x))},
                      {"x2", number(px(m.x))},
                      {"y1", std::to_string(top)},
                      {"y2", number(py(0))},
                      {"stroke", m.colour},
                      {"stroke-width", "2"},
                      {"stroke-dasharray", "4 3"}})
        .element("title", m.label)
        .close();
  }
  std::vector<const ChartSeries*> order;
  for (const ChartSeries& s : chart.series) order.push_back(&s);
  std::stable_partition(order.begin(), order.end(), [](const ChartSeries* s) { return !s->marked; });
  for (const ChartSeries* s : order) {
    std::string points, band_top, band_bottom;
    bool band = false;
    for (const ChartPoint& p : s->points) {
      points += number(px(p.x)) + "," + number(py(p.y)) + " ";
      band_top += number(px(p.x)) + "," + number(py(p.high)) + " ";
      band = band || p.low != p.y || p.high != p.y;
    }
    for (auto it = s->points.rbegin(); it != s->points.rend(); ++it) {
      band_bottom += number(px(it->x)) + "," + number(py(it->low)) + " ";
    }
    out.open("g",
             {{"class", s->marked ? "series failing-host" : "series"}, {s->host.empty() ? "" : "data-host", s->host}});
    out.element("title", s->name);
    if (band && s->points.size() > 1) {
      out.empty("polygon", {{"points", band_top + band_bottom}, {"fill", s->colour}, {"fill-opacity", "0.12"}});
    }
    out.empty("polyline", {{"points", points},
                           {"fill", "none"},
                           {"stroke", s->colour},
                           {"stroke-width", s->marked ? "3" : "1.5"},
                           {s->dashed ? "stroke-dasharray" : "", "6 4"}});
    for (const ChartPoint& p : s->points) {
      out.open("circle",
               {{"cx", number(px(p.x))}, {"cy", number(py(p.y))}, {"r", s->marked ? "4" : "3"}, {"fill", s->colour}})
          .element("title", p.tip)
          .close();
    }
    out.close();
  }
  out.close();
  if (chart.legend && chart.series.size() > 1) {
    out.open("div", {{"class", "legend"}});
    for (const ChartSeries& s : chart.series) {
      out.open("span", {{"class", s.marked ? "key failing-host" : "key"}});
      out.open("svg", {{"xmlns", "http://www.w3.org/2000/svg"}, {"width", "18"}, {"height", "10"}});
      out.empty("line", {{"x1", "0"},
                         {"x2", "18"},
                         {"y1", "5"},
                         {"y2", "5"},
                         {"stroke", s.colour},
                         {"stroke-width", s.marked ? "3" : "2"},
                         {s.dashed ? "stroke-dasharray" : "", "4 3"}});
      out.close();
      out.text(" " + s.name + "  ");
      out.close();
    }
    out.close();
  }
}

void bar_chart(HtmlWriter& out, const std::vector<Bar>& bars, const std::string& y_label) {
  const int n = static_cast<int>(bars.size());
  const int bar = std::clamp(620 / std::max(n, 1), 3, 40);
  const int left = 64, top = 14, bottom = 60, plot = 200;
  const int width = left + n * bar + 16, height = top + plot + bottom;
  double y_max = 0;
  std::vector<double> values;
  for (const Bar& b : bars) {
    y_max = std::max(y_max, b.value);
    values.push_back(b.value);
  }
  const std::vector<double> ticks = y_ticks(y_max * 1.05);
  const double y_top = ticks.back();
  auto py = [&](double y) { return top + (1.0 - y / y_top) * plot; };
  open_svg(out, "bars", width, height);
  y_grid(out, ticks, left, width - 16, py);
  out.element("text", y_label,
              {{"x", "14"},
               {"y", std::to_string(top + plot / 2)},
               {"text-anchor", "middle"},
               {"font-size", "12"},
               {"transform", "rotate(-90 14 " + std::to_string(top + plot / 2) + ")"}});
  for (int i = 0; i < n; ++i) {
    const Bar& b = bars[i];
    const double y = py(b.value);
    out.open("rect", {{"class", b.marked ? "bar failing-host" : "bar"},
                      {"x", std::to_string(left + i * bar + 1)},
                      {"y", number(y)},
                      {"width", std::to_string(std::max(bar - 2, 1))},
                      {"height", number(top + plot - y)},
                      {"fill", b.marked ? kFailColour : "#1f5fa8"},
                      {b.host.empty() ? "" : "data-host", b.host}})
        .element("title", b.tip)
        .close();
    if (bar >= 14) {
      const int x = left + i * bar + bar / 2;
      out.element("text", b.label,
                  {{"x", std::to_string(x)},
                   {"y", std::to_string(top + plot + 12)},
                   {"font-size", "10"},
                   {"text-anchor", "end"},
                   {"fill", b.marked ? kFailColour : "#444"},
                   {"transform", "rotate(-60 " + std::to_string(x) + " " + std::to_string(top + plot + 12) + ")"}});
    }
  }
  if (!values.empty()) {
    const double mid = analysis::median(values);
    out.open("line", {{"x1", std::to_string(left)},
                      {"x2", std::to_string(width - 16)},
                      {"y1", number(py(mid))},
                      {"y2", number(py(mid))},
                      {"stroke", "#000"},
                      {"stroke-dasharray", "5 3"}})
        .element("title", "median " + figure(mid))
        .close();
  }
  out.close();
}

}  // namespace railcheck::report
