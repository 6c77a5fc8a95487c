// Inline SVG charts for the HTML report. Layout is estimated (fixed 11 px font, ~6.2 px per character), every
// number is printed with fixed decimals and every text from data goes through escape().
#include "report/svg.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <iterator>

#include <fmt/format.h>

#include "report/format.hpp"

namespace glyphsieve::report::svg {

namespace {

constexpr std::string_view kReplacement = "\xEF\xBF\xBD";  // U+FFFD

// The length of the valid multi-byte UTF-8 sequence at the start of `s`, or 0 (bad lead or continuation byte,
// truncated, overlong, surrogate, past U+10FFFF). REQUIRES: s is not empty and s[0] is not ASCII.
std::size_t sequence_length(std::string_view s) {
  const auto byte = [&](std::size_t k) { return static_cast<unsigned>(static_cast<unsigned char>(s[k])); };
  const unsigned lead = byte(0);
  const std::size_t length = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : 2;
  // The second byte's range is what rules out overlongs, surrogates and code points past U+10FFFF.
  const unsigned second_lo = lead == 0xE0 ? 0xA0 : lead == 0xF0 ? 0x90 : 0x80;
  const unsigned second_hi = lead == 0xED ? 0x9F : lead == 0xF4 ? 0x8F : 0xBF;
  if (lead < 0xC2 || lead > 0xF4 || s.size() < length || byte(1) < second_lo || byte(1) > second_hi) return 0;
  for (std::size_t k = 2; k < length; ++k) {
    if ((byte(k) & 0xC0u) != 0x80u) return 0;
  }
  return length;
}

// 1, 2 or 5 × 10^exponent, computed so that it is the double nearest the decimal value.
double decimal(double mantissa, int exponent) {
  return exponent >= 0 ? mantissa * std::pow(10.0, exponent) : mantissa / std::pow(10.0, -exponent);
}

constexpr double kWidth = 720;
constexpr double kCharWidth = 6.2;  // average advance of an 11 px sans-serif character
constexpr std::size_t kLabelChars = 28;
constexpr std::array<std::string_view, 6> kPalette = {"#2563eb", "#f59e0b", "#10b981", "#8b5cf6", "#ef4444", "#64748b"};
constexpr std::string_view kInk = "#111827", kAxis = "#374151", kMuted = "#6b7280", kGrid = "#e5e7eb";

// A coordinate or length with one decimal; "-0.0" prints as "0.0", and a non-finite value (a bug) as 0.
std::string num(double v) {
  if (!std::isfinite(v)) return "0.0";
  std::string s = fmt::format("{:.1f}", v);
  return s == "-0.0" ? "0.0" : s;
}

double text_width(std::string_view text) {
  std::size_t chars = 0;
  for (const char c : text) chars += (static_cast<unsigned char>(c) & 0xC0u) != 0x80u ? 1 : 0;
  return static_cast<double>(chars) * kCharWidth;
}

// Past 10^12 fixed notation is unreadable (and slow: hundreds of digits), so is 0.0000x: "3.2e+15" instead.
bool extreme(double v) { return std::abs(v) >= 1e12 || (v != 0 && std::abs(v) < 1e-4); }
std::string scientific(double v) { return fmt::format("{:.3g}", v); }
std::string plain_number(double v) { return extreme(v) ? scientific(v) : format_trimmed(v, 6); }

double widest(const std::vector<std::string>& texts, double floor, double ceiling) {
  double w = floor;
  for (const auto& t : texts) w = std::max(w, text_width(t));
  return std::min(w, ceiling);
}

// A linear or log10 scale: the domain its ticks cover, mapped to the pixels [from, to].
struct Axis {
  Axis(double min, double max, bool log_scale, double from_px, double to_px)
      : ticks(log_scale ? log_ticks(min, max) : linear_ticks(min, max)),
        logarithmic(log_scale),
        from(from_px),
        to(to_px) {
    if (!ticks.empty()) {
      lo = t(ticks.front());
      hi = t(ticks.back());
    }
  }
  [[nodiscard]] double t(double v) const { return logarithmic ? std::log10(v) : v; }
  double operator()(double v) const { return hi > lo ? from + (t(v) - lo) / (hi - lo) * (to - from) : from; }

  std::vector<double> ticks;
  bool logarithmic;
  double from, to, lo = 0, hi = 1;
};

class Svg {
 public:
  Svg(std::string_view kind, double height, std::string_view title, std::string_view attributes) {
    add(R"(<svg class="chart {}" viewBox="0 0 {} {}" role="img" )"
        R"(aria-label="{}" {} font-family="sans-serif" font-size="11">)",
        kind, num(kWidth), num(height), escape(title), attributes);
    add("<title>{}</title>", escape(title));
  }

  template <typename... Args>
  void add(fmt::format_string<Args...> format, Args&&... args) {
    fmt::format_to(std::back_inserter(out_), format, std::forward<Args>(args)...);
    out_ += '\n';
  }

  // `extra`: more attributes, each with a leading space.
  void text(double x, double y, std::string_view cls, std::string_view anchor, std::string_view fill,
            std::string_view content, std::string_view extra = "") {
    add(R"(<text class="{}" x="{}" y="{}" text-anchor="{}" fill="{}"{}>{}</text>)", cls, num(x), num(y), anchor, fill,
        extra, escape(content));
  }

  void line(std::string_view cls, double x1, double y1, double x2, double y2, std::string_view stroke) {
    add(R"(<line class="{}" x1="{}" y1="{}" x2="{}" y2="{}" stroke="{}"/>)", cls, num(x1), num(y1), num(x2), num(y2),
        stroke);
  }

  // The horizontal axis of a plot spanning [top, bottom]: a gridline and a label per tick, the axis title below.
  void x_axis(const Axis& axis, double top, double bottom, std::string (*format)(double), std::string_view title) {
    for (const double tick : axis.ticks) {
      const double x = axis(tick);
      line("grid", x, top, x, bottom, kGrid);
      text(x, bottom + 15, "tick", "middle", kMuted, format != nullptr ? format(tick) : plain_number(tick));
    }
    line("axis", axis.from, bottom, axis.to, bottom, kAxis);
    if (!title.empty()) text((axis.from + axis.to) / 2, bottom + 34, "axis-label", "middle", kAxis, title);
  }

  // The vertical axis of a plot spanning [left, right]; its title is rotated along the left edge.
  void y_axis(const Axis& axis, double left, double right, std::string_view title) {
    for (const double tick : axis.ticks) {
      const double y = axis(tick);
      line("grid", left, y, right, y, kGrid);
      text(left - 6, y + 4, "tick", "end", kMuted, plain_number(tick));
    }
    line("axis", left, axis.from, left, axis.to, kAxis);
    if (!title.empty()) {
      text(-(axis.from + axis.to) / 2, 14, "axis-label", "middle", kAxis, title, " transform=\"rotate(-90)\"");
    }
  }

  std::string finish() && {
    out_ += "</svg>\n";
    return std::move(out_);
  }

 private:
  std::string out_;
};

std::string no_data(std::string_view kind, std::string_view title, std::string_view attributes) {
  constexpr double kHeight = 60;
  Svg svg(kind, kHeight, title, attributes);
  svg.text(kWidth / 2, kHeight / 2 + 4, "no-data", "middle", kMuted, "No data");
  return std::move(svg).finish();
}

struct Box {
  double x0, y0, x1, y1;
  [[nodiscard]] bool overlaps(const Box& o) const { return x0 < o.x1 && o.x0 < x1 && y0 < o.y1 && o.y0 < y1; }
};

}  // namespace

std::string escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size();) {
    const char c = text[i];
    const auto byte = static_cast<unsigned char>(c);
    if (byte < 0x80) {
      if (c == '&') {
        out += "&amp;";
      } else if (c == '<') {
        out += "&lt;";
      } else if (c == '>') {
        out += "&gt;";
      } else if (c == '"') {
        out += "&quot;";
      } else if (c == '\'') {
        out += "&#39;";
      } else if (byte < 0x20 && c != '\t' && c != '\n' && c != '\r') {
        out += kReplacement;  // C0 controls are not XML characters
      } else {
        out += c;
      }
      ++i;
      continue;
    }
    // One U+FFFD per invalid byte (the next byte starts afresh); U+FFFE and U+FFFF are not XML characters.
    const std::size_t length = sequence_length(text.substr(i));
    const std::string_view sequence = text.substr(i, std::max<std::size_t>(length, 1));
    out += length == 0 || sequence == "\xEF\xBF\xBE" || sequence == "\xEF\xBF\xBF" ? kReplacement : sequence;
    i += sequence.size();
  }
  return out;
}

std::vector<double> linear_ticks(double lo, double hi) {
  if (!std::isfinite(lo) || !std::isfinite(hi)) return {};
  if (lo > hi) std::swap(lo, hi);
  const double magnitude = std::max(std::abs(lo), std::abs(hi));
  if (magnitude < 1e-100) return {0.0, 0.5, 1.0};
  if (hi - lo <= magnitude * 1e-9) {  // one value: pad by half its size, not below 0 for non-negative data
    const double pad = magnitude * 0.5;
    lo = lo >= 0 ? std::max(0.0, lo - pad) : lo - pad;
    hi += pad;
  }
  const double span = hi - lo;
  if (!std::isfinite(span)) return {lo, hi};
  constexpr std::array<double, 3> kMantissas = {1, 2, 5};
  constexpr double kSlack = 1e-9;  // a bound within rounding of a tick counts as that tick
  const int first_exponent = static_cast<int>(std::floor(std::log10(span))) - 1;
  for (int exponent = first_exponent; exponent <= first_exponent + 3; ++exponent) {
    for (const double mantissa : kMantissas) {
      const double step = decimal(mantissa, exponent);
      const double first = std::floor(lo / step + kSlack), last = std::ceil(hi / step - kSlack);
      if (last - first + 1 > 8) continue;
      const auto count = static_cast<int>(last - first) + 1;
      std::vector<double> ticks;
      ticks.reserve(static_cast<std::size_t>(count));
      for (int k = 0; k < count; ++k) ticks.push_back(decimal((first + k) * mantissa, exponent));
      return ticks;
    }
  }
  return {lo, hi};  // unreachable: a step of 10^(e+3) >= 100 × span gives at most 3 ticks
}

std::vector<double> log_ticks(double lo, double hi) {
  if (!std::isfinite(lo) || !std::isfinite(hi)) return {};
  if (lo > hi) std::swap(lo, hi);
  if (lo <= 0) return {};
  if (lo == hi) {
    lo /= 2;
    hi *= 2;
  }
  if (hi / lo < 3) {  // under a factor 3 the 1-2-5 ticks would squeeze the data: linear ticks, if all positive
    std::vector<double> ticks = linear_ticks(lo, hi);
    if (!ticks.empty() && ticks.front() > 0) return ticks;
  }
  const int first = static_cast<int>(std::floor(std::log10(lo))) - 1;
  const int last = static_cast<int>(std::ceil(std::log10(hi))) + 1;
  const std::vector<double> mantissas = last - first > 6 ? std::vector<double>{1} : std::vector<double>{1, 2, 5};
  std::vector<double> ticks;
  constexpr double kSlack = 1e-12;
  for (int exponent = first; exponent <= last; ++exponent) {
    for (const double mantissa : mantissas) {
      const double v = decimal(mantissa, exponent);
      if (v <= lo * (1 + kSlack)) ticks.clear();  // keep only the last value at or below lo
      ticks.push_back(v);
      if (v >= hi * (1 - kSlack)) return ticks;
    }
  }
  return ticks;
}

std::string scatter(const ScatterSpec& spec) {
  // Points that cannot be placed are left out: a non-finite coordinate, or x <= 0 on a log axis.
  std::vector<const Point*> drawn;
  for (const Point& p : spec.points) {
    if (std::isfinite(p.x) && std::isfinite(p.y) && (!spec.log_x || p.x > 0)) drawn.push_back(&p);
  }
  std::vector<const Point*> frontier;
  std::copy_if(drawn.begin(), drawn.end(), std::back_inserter(frontier), [](const Point* p) { return p->highlighted; });
  const std::string attributes = fmt::format(R"(data-points="{}" data-frontier="{}")", drawn.size(), frontier.size());
  if (drawn.empty()) return no_data("scatter", spec.title, attributes);

  constexpr double kHeight = 420, kLeft = 72, kRight = 700, kTop = 14, kBottom = 360;
  constexpr std::string_view kPointStyle = R"(r="3.5" fill="#60a5fa" fill-opacity="0.75")";
  constexpr std::string_view kFrontierStyle = R"(r="5.5" fill="#dc2626" stroke="#fff")";
  const auto [x_min, x_max] =
      std::minmax_element(drawn.begin(), drawn.end(), [](auto a, auto b) { return a->x < b->x; });
  const auto [y_min, y_max] =
      std::minmax_element(drawn.begin(), drawn.end(), [](auto a, auto b) { return a->y < b->y; });
  const Axis x((*x_min)->x, (*x_max)->x, spec.log_x, kLeft, kRight);
  const Axis y((*y_min)->y, (*y_max)->y, false, kBottom, kTop);
  Svg svg("scatter", kHeight, spec.title, attributes);
  svg.x_axis(x, kTop, kBottom, spec.x_format, spec.x_label);
  svg.y_axis(y, kLeft, kRight, spec.y_label);

  const auto circle = [&](const Point& p) {
    std::string tip = p.tooltip.empty() ? p.label : p.tooltip;
    if (tip.empty())
      tip = (spec.x_format != nullptr ? spec.x_format(p.x) : plain_number(p.x)) + ", " + plain_number(p.y);
    svg.add(R"(<circle class="{}" cx="{}" cy="{}" {}>)", p.highlighted ? "point frontier" : "point", num(x(p.x)),
            num(y(p.y)), p.highlighted ? kFrontierStyle : kPointStyle);
    svg.add("<title>{}</title></circle>", escape(tip));
  };
  for (const Point* p : drawn) {
    if (!p->highlighted) circle(*p);
  }
  // The frontier in x order, joined by straight segments (no staircase: it reads the same either way round).
  std::stable_sort(frontier.begin(), frontier.end(),
                   [](const Point* a, const Point* b) { return a->x < b->x || (a->x == b->x && a->y < b->y); });
  if (frontier.size() >= 2) {
    std::string points;
    for (const Point* p : frontier) {
      if (!points.empty()) points += ' ';
      points += num(x(p->x));
      points += ',';
      points += num(y(p->y));
    }
    svg.add(R"(<polyline class="frontier-line" points="{}" fill="none" stroke="#dc2626" stroke-width="1.5" )"
            R"(stroke-opacity="0.6"/>)",
            points);
  }
  for (const Point* p : frontier) circle(*p);

  // Labels: above the point, or below (neighbours alternate which they try first); a label that would overlap
  // a frontier point or a label already drawn, or leave the plot, is skipped: its point still has its tooltip.
  std::vector<Box> placed;
  placed.reserve(frontier.size() * 2);
  for (const Point* p : frontier) placed.push_back({x(p->x) - 6, y(p->y) - 6, x(p->x) + 6, y(p->y) + 6});
  for (std::size_t i = 0; i < frontier.size(); ++i) {
    const std::string label = shorten(frontier[i]->label, kLabelChars);
    if (label.empty()) continue;
    const double w = text_width(label), cy = y(frontier[i]->y);
    const double cx = std::max(kLeft + w / 2, std::min(x(frontier[i]->x), kRight - w / 2));
    constexpr std::array<double, 2> kAbove = {-9, 17}, kBelow = {17, -9};
    for (const double dy : i % 2 == 0 ? kAbove : kBelow) {
      const Box box{cx - w / 2, cy + dy - 10, cx + w / 2, cy + dy + 3};
      if (box.y0 < kTop || box.y1 > kBottom || box.x0 < kLeft - 1 ||
          std::any_of(placed.begin(), placed.end(), [&](const Box& b) { return b.overlaps(box); })) {
        continue;
      }
      svg.text(cx, cy + dy, "point-label", "middle", kInk, label,
               R"( stroke="#fff" stroke-width="3" paint-order="stroke")");
      placed.push_back(box);
      break;
    }
  }
  return std::move(svg).finish();
}

std::string ranges(const RangeSpec& spec) {
  struct Row {
    const Range* range;
    double lo, hi;
  };
  std::vector<Row> rows;
  for (const Range& r : spec.ranges) {
    const double lo = std::min(r.min, r.max), hi = std::max(r.min, r.max);
    if (std::isfinite(r.min) && std::isfinite(r.max) && (!spec.log_x || lo > 0)) rows.push_back({&r, lo, hi});
  }
  const std::string attributes = fmt::format(R"(data-rows="{}")", rows.size());
  if (rows.empty()) return no_data("ranges", spec.title, attributes);

  std::vector<std::string> labels, notes;
  for (const Row& row : rows) {
    labels.push_back(shorten(row.range->label, kLabelChars));
    notes.push_back(shorten(row.range->note, kLabelChars));
  }
  constexpr double kRow = 24, kTop = 10;
  const double left = widest(labels, 30, 200) + 20, right = kWidth - widest(notes, 12, 180) - 20;
  const double bottom = kTop + kRow * static_cast<double>(rows.size());
  const auto lo = std::min_element(rows.begin(), rows.end(), [](auto& a, auto& b) { return a.lo < b.lo; })->lo;
  const auto hi = std::max_element(rows.begin(), rows.end(), [](auto& a, auto& b) { return a.hi < b.hi; })->hi;
  const Axis x(lo, hi, spec.log_x, left, right);
  Svg svg("ranges", bottom + 44, spec.title, attributes);
  svg.x_axis(x, kTop, bottom, spec.x_format, spec.x_label);

  const auto value = [&](double v) { return spec.x_format != nullptr ? spec.x_format(v) : plain_number(v); };
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const Range& r = *rows[i].range;
    const double cy = kTop + kRow * (static_cast<double>(i) + 0.5);
    const bool has_median = std::isfinite(r.median) && (!spec.log_x || r.median > 0);
    std::string tip = r.tooltip;
    if (tip.empty()) {
      tip =
          r.label + ": " + value(rows[i].lo) + " – " + (has_median ? value(r.median) + " – " : "") + value(rows[i].hi);
    }
    svg.add(R"(<g class="row"><title>{}</title>)", escape(tip));
    svg.text(left - 8, cy + 4, "row-label", "end", kInk, labels[i]);
    double x0 = x(rows[i].lo), x1 = x(rows[i].hi);
    if (x1 - x0 < 2) {  // min == max still shows
      x0 = (x0 + x1) / 2 - 1;
      x1 = x0 + 2;
    }
    svg.add(R"(<rect class="range" x="{}" y="{}" width="{}" height="10" rx="2" fill="#93c5fd"/>)", num(x0), num(cy - 5),
            num(x1 - x0));
    if (has_median) {
      // Clamped to the bar: a median outside [min, max] is the caller's inconsistency, not a reason to leave the plot.
      const double m = x(std::clamp(r.median, rows[i].lo, rows[i].hi));
      svg.add(R"(<line class="median" x1="{}" y1="{}" x2="{}" y2="{}" stroke="#1e3a8a" stroke-width="2"/>)", num(m),
              num(cy - 7), num(m), num(cy + 7));
    }
    if (!notes[i].empty()) svg.text(right + 8, cy + 4, "note", "start", kMuted, notes[i]);
    svg.add("</g>");
  }
  return std::move(svg).finish();
}

std::string bars(const BarSpec& spec) {
  const std::string attributes = fmt::format(R"(data-groups="{}")", spec.groups.size());
  const std::string kind = spec.css_class.empty() ? std::string("bars") : "bars " + escape(spec.css_class);
  if (spec.groups.empty()) return no_data(kind, spec.title, attributes);

  std::size_t series = spec.series.size();
  double lo = 0, hi = 0;  // bars start at 0
  for (const BarGroup& g : spec.groups) {
    series = std::max(series, g.values.size());
    for (const double v : g.values) {
      if (std::isfinite(v)) {
        lo = std::min(lo, v);
        hi = std::max(hi, v);
      }
    }
  }
  series = std::max<std::size_t>(series, 1);
  if (spec.max_value > 0 && std::isfinite(spec.max_value)) hi = spec.max_value;
  const auto format_value = [&](double v) {
    const double shown = spec.percent ? v * 100 : v;
    return (std::abs(shown) >= 1e12 ? scientific(shown) : format_decimal(shown, spec.decimals)) +
           (spec.percent ? "%" : "");
  };

  std::vector<std::string> labels;
  for (const BarGroup& g : spec.groups) labels.push_back(shorten(g.label, kLabelChars));
  constexpr double kBar = 12, kGap = 2, kPad = 12, kLegendRow = 18;
  const double left = widest(labels, 30, 200) + 20, right = kWidth - 64;
  const double stride = static_cast<double>(series) * (kBar + kGap) - kGap + kPad;

  // Legend: one swatch and name per series, wrapping onto more rows when wider than the chart.
  std::vector<std::array<double, 2>> legend;  // x, y of each swatch
  double lx = left, ly = 8;
  for (std::size_t k = 0; k < spec.series.size(); ++k) {
    const double w = 14 + text_width(shorten(spec.series[k], kLabelChars)) + 16;
    if (lx + w > kWidth - 12 && lx > left) {
      lx = left;
      ly += kLegendRow;
    }
    legend.push_back({lx, ly});
    lx += w;
  }
  const double top = spec.series.empty() ? 10 : ly + kLegendRow + 6;
  const double bottom = top + stride * static_cast<double>(spec.groups.size());
  const Axis x(lo, hi, false, left, right);
  Svg svg(kind, bottom + 44, spec.title, attributes);
  for (std::size_t k = 0; k < legend.size(); ++k) {
    svg.add(R"(<rect class="swatch series-{}" x="{}" y="{}" width="10" height="10" fill="{}"/>)", k, num(legend[k][0]),
            num(legend[k][1]), kPalette[k % kPalette.size()]);
    svg.text(legend[k][0] + 14, legend[k][1] + 9, "legend", "start", kInk, shorten(spec.series[k], kLabelChars));
  }
  svg.x_axis(x, top, bottom, spec.percent ? +[](double v) { return plain_number(v * 100) + "%"; } : nullptr,
             spec.x_label);

  const double zero = x(0);
  for (std::size_t i = 0; i < spec.groups.size(); ++i) {
    const BarGroup& g = spec.groups[i];
    const double group_top = top + stride * static_cast<double>(i) + kPad / 2;
    svg.text(left - 8, group_top + (stride - kPad) / 2 + 4, "group-label", "end", kInk, labels[i]);
    for (std::size_t k = 0; k < series; ++k) {
      const double y = group_top + static_cast<double>(k) * (kBar + kGap);
      if (k >= g.values.size() || !std::isfinite(g.values[k])) {
        svg.text(zero + 4, y + kBar - 2, "value unknown", "start", kMuted, "–");
        continue;
      }
      const double v = g.values[k], end = x(std::min(v, x.ticks.back()));  // longer than a fixed maximum: cut
      const std::string name = k < spec.series.size() ? spec.series[k] : fmt::format("series {}", k + 1);
      svg.add(R"(<rect class="bar series-{}" x="{}" y="{}" width="{}" height="{}" fill="{}">)", k,
              num(std::min(zero, end)), num(y), num(std::abs(end - zero)), num(kBar), kPalette[k % kPalette.size()]);
      svg.add("<title>{}</title></rect>", escape(g.label + " · " + name + ": " + format_value(v)));
      svg.text(std::max(zero, end) + 4, y + kBar - 2, "value", "start", kInk, format_value(v));
    }
  }
  return std::move(svg).finish();
}

}  // namespace glyphsieve::report::svg
