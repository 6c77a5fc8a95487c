// Inline SVG charts for the HTML report (scatter, min/median/max ranges, grouped bars) and the XML escaping
// the page shares with them. Pure markup: no scripts, fonts or URLs; the same input gives the same bytes.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace glyphsieve::report::svg {

/// XML/HTML text and attribute escaping: & < > " ' become &amp; &lt; &gt; &quot; &#39;. Every byte that is
/// not part of valid UTF-8 (overlong forms and surrogates included), and every character XML 1.0 forbids
/// (C0 controls but tab, LF, CR; U+FFFE, U+FFFF), becomes U+FFFD, so the result is always valid UTF-8.
std::string escape(std::string_view text);

// Every chart is one <svg> element with a viewBox and no width/height (it scales to its container; the
// page's CSS may cap it), role="img", an aria-label and a <title> from the spec's title (not drawn), and
// fill/stroke attributes that look right without the page's CSS. Numbers are printed with fixed decimals,
// so the same spec always gives the same string. Non-finite values are never drawn. Text from data is
// escaped; labels are shortened to 28 characters with "…". An empty chart is a small SVG saying "No data".

struct Point {
  double x = 0, y = 0;
  bool highlighted = false;  ///< on the Pareto frontier
  std::string label;         ///< drawn next to highlighted points (shortened), else unused
  std::string tooltip;       ///< the circle's <title> (hover text); empty: the label, else "x, y"
};
struct ScatterSpec {
  std::string title;  ///< accessible name: aria-label and <title>
  std::string x_label, y_label;
  bool log_x = false;                         ///< log10 x axis with 1-2-5 ticks; points with x <= 0 are skipped
  std::string (*x_format)(double) = nullptr;  ///< x tick labels (e.g. "$1k"); nullptr: plain number
  std::vector<Point> points;
};
/// Scatter plot: each drawable point (finite x and y; x > 0 on a log axis) is one <circle class="point">
/// (highlighted: class="point frontier", red and larger, drawn on top) with a <title> child. The highlighted
/// points, in x order, are joined by straight segments of one <polyline class="frontier-line"> (when there are
/// two or more) and labelled by <text class="point-label">: above or below the point, alternately first, and
/// skipped where it would cover a frontier point or a label already drawn, or leave the plot. Axes with ticks,
/// gridlines and labels. <svg class="chart scatter" data-points="N" data-frontier="M">: N points drawn, M of them
/// highlighted.
std::string scatter(const ScatterSpec& spec);

struct Range {
  std::string label;  ///< e.g. model name
  double min = 0, median = 0, max = 0;
  std::string note;     ///< right-hand annotation, e.g. "$31.20/GB"
  std::string tooltip;  ///< hover text of the row; empty: "label: min – median – max"
};
struct RangeSpec {
  std::string title, x_label;
  bool log_x = false;
  std::string (*x_format)(double) = nullptr;
  std::vector<Range> ranges;  ///< drawn top to bottom in the given order (the caller sorts them)
};
/// One <g class="row"> per range with finite min and max (> 0 on a log axis; min > max is swapped; others are
/// skipped): a bar from min to max (<rect class="range">, at least 2 px wide so min == max shows), a median tick
/// (<line class="median">, clamped to the bar; left out when not finite), the label on the left, the note on the
/// right, the tooltip as the row's <title>. <svg class="chart ranges" data-rows="N">: N rows drawn.
std::string ranges(const RangeSpec& spec);

struct BarGroup {
  std::string label;           ///< e.g. model name
  std::vector<double> values;  ///< one per series; NaN (or inf, or missing) = unknown: no bar, "–" shown
};
struct BarSpec {
  std::string title, x_label;
  std::vector<std::string> series;  ///< legend names, e.g. {"7b", "13b", "70b"}; empty: no legend
  std::vector<BarGroup> groups;
  int decimals = 0;       ///< value labels printed at the end of each bar
  double max_value = 0;   ///< 0: from the data; else a fixed scale maximum (longer bars are cut at it)
  bool percent = false;   ///< values are fractions, printed as "12.5%"
  std::string css_class;  ///< added to the <svg>'s classes ("chart bars quality"), so a page can tell charts apart
};
/// Grouped horizontal bars from 0 (negative values to the left): per group, one <rect class="bar series-K"> per
/// known value (K = series index; colours repeat after 6; a value of 0 is a zero-width bar) with a value label and
/// a <title>, a legend on top.
/// <svg class="chart bars" data-groups="N">: N groups drawn (all of them).
std::string bars(const BarSpec& spec);

/// Ticks covering [lo, hi] (either order): 3-8 increasing multiples of one step of 1, 2 or 5 × 10^k, the first
/// <= lo and the last >= hi. lo == hi is padded first (by half its size, or to [0, 1] for 0). Empty if a bound
/// is not finite.
std::vector<double> linear_ticks(double lo, double hi);
/// Ticks covering [lo, hi] on a log10 axis: the 1-2-5 values of each decade (only powers of ten past 4 decades),
/// the first <= lo and the last >= hi; lo == hi is widened to [lo/2, 2·lo]. Spans under a factor 3 use
/// linear_ticks when those stay positive. Empty if lo <= 0 or a bound is not finite.
std::vector<double> log_ticks(double lo, double hi);

}  // namespace glyphsieve::report::svg
