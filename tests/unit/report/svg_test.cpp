// report::svg: escaping, tick choice, and the three charts' markup (element counts, data attributes, escaping,
// skipped non-finite values, empty charts, determinism), each checked for well-formed XML by a small checker.
#include "report/svg.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <random>
#include <set>

namespace glyphsieve::report::svg {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kInf = std::numeric_limits<double>::infinity();
const std::string kHostile = "<script>alert(1)</script> \"&'";

std::size_t count(std::string_view haystack, std::string_view needle) {
  std::size_t n = 0;
  for (auto at = haystack.find(needle); at != std::string_view::npos; at = haystack.find(needle, at + 1)) ++n;
  return n;
}

bool is_entity(std::string_view rest) {
  for (const std::string_view e : {"&amp;", "&lt;", "&gt;", "&quot;", "&#39;"}) {
    if (rest.substr(0, e.size()) == e) return true;
  }
  return false;
}

// Well-formedness in the sense the charts need: one <svg> root, balanced elements, double-quoted attributes
// without '<', no raw '>' in text, '&' only as one of the five entities. Returns "" or what is wrong.
std::string xml_problem(std::string_view s) {
  std::vector<std::string> open;
  int roots = 0;
  std::size_t i = 0;
  const auto name_at = [&](std::size_t from) {
    std::size_t to = from;
    while (to < s.size() && (std::isalnum(static_cast<unsigned char>(s[to])) != 0 || s[to] == '-' || s[to] == ':')) {
      ++to;
    }
    return std::string(s.substr(from, to - from));
  };
  while (i < s.size()) {
    if (s[i] == '&' && !is_entity(s.substr(i))) return "bad entity at " + std::to_string(i);
    if (s[i] == '>') return "raw '>' in text at " + std::to_string(i);
    if (s[i] != '<') {
      if (open.empty() && s[i] != '\n') return "text outside the root at " + std::to_string(i);
      ++i;
      continue;
    }
    if (i + 1 < s.size() && s[i + 1] == '/') {
      const std::string name = name_at(i + 2);
      if (open.empty() || open.back() != name || s.substr(i + 2 + name.size(), 1) != ">") return "bad </" + name + ">";
      open.pop_back();
      i += name.size() + 3;
      continue;
    }
    const std::string name = name_at(i + 1);
    if (name.empty()) return "bad tag at " + std::to_string(i);
    if (open.empty() && (++roots > 1 || name != "svg")) return "second root <" + name + ">";
    std::size_t j = i + 1 + name.size();
    for (;;) {
      while (j < s.size() && s[j] == ' ') ++j;
      if (j >= s.size()) return "unterminated <" + name + ">";
      if (s.substr(j, 2) == "/>") {
        j += 2;
        break;
      }
      if (s[j] == '>') {
        open.push_back(name);
        ++j;
        break;
      }
      const std::string attribute = name_at(j);
      const std::size_t value = j + attribute.size() + 2;
      if (attribute.empty() || s.substr(j + attribute.size(), 2) != "=\"") return "bad attribute in <" + name + ">";
      const std::size_t close = s.find('"', value);
      if (close == std::string_view::npos) return "unterminated attribute in <" + name + ">";
      for (std::size_t k = value; k < close; ++k) {
        if (s[k] == '<' || (s[k] == '&' && !is_entity(s.substr(k)))) return "bad attribute value in <" + name + ">";
      }
      j = close + 1;
    }
    i = j;
  }
  if (!open.empty()) return "unclosed <" + open.back() + ">";
  return roots == 1 ? "" : "no root";
}

// Strict UTF-8 (no overlongs, surrogates or code points past U+10FFFF).
bool valid_utf8(std::string_view s) {
  for (std::size_t i = 0; i < s.size();) {
    const auto b = static_cast<unsigned char>(s[i]);
    const int n = b < 0x80 ? 1 : (b >> 5) == 0x6 ? 2 : (b >> 4) == 0xE ? 3 : (b >> 3) == 0x1E ? 4 : 0;
    if (n == 0 || i + n > s.size()) return false;
    std::uint32_t cp = n == 1 ? b : b & (0x7Fu >> n);
    for (int k = 1; k < n; ++k) {
      const auto c = static_cast<unsigned char>(s[i + k]);
      if ((c & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (c & 0x3Fu);
    }
    const std::uint32_t min = n == 1 ? 0 : n == 2 ? 0x80 : n == 3 ? 0x800 : 0x10000;
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
    i += n;
  }
  return true;
}

// Every geometry attribute is a finite number: nothing non-finite reached the output.
void expect_finite_geometry(const std::string& svg) {
  static const std::set<std::string, std::less<>> kGeometry = {"cx", "cy", "r",  "x",     "y",     "x1",
                                                               "y1", "x2", "y2", "width", "height"};
  for (auto at = svg.find("=\""); at != std::string::npos; at = svg.find("=\"", at + 1)) {
    const std::size_t name = svg.rfind(' ', at) + 1, end = svg.find('"', at + 2);
    if (kGeometry.count(svg.substr(name, at - name)) == 0) continue;
    const std::string value = svg.substr(at + 2, end - at - 2);
    char* rest = nullptr;
    const double v = std::strtod(value.c_str(), &rest);
    EXPECT_TRUE(!value.empty() && *rest == '\0' && std::isfinite(v)) << svg.substr(name, end + 1 - name);
  }
  EXPECT_EQ(svg.find("nan"), std::string::npos);
  EXPECT_EQ(svg.find("inf"), std::string::npos);
}

void expect_sound(const std::string& svg) {
  EXPECT_EQ(xml_problem(svg), "") << svg;
  EXPECT_TRUE(valid_utf8(svg));
  expect_finite_geometry(svg);
}

std::string usd_k(double v) { return v >= 1000 ? "$" + std::to_string(static_cast<int>(v / 1000)) + "k" : "$"; }

ScatterSpec sample_scatter() {
  ScatterSpec spec{"Price vs score", "Unit price (USD)", "Score", true, usd_k, {}};
  spec.points = {{150, 20, false, "GTX 1080", "GTX 1080 · $150.00"},
                 {400, 45, true, "RTX 3060", "RTX 3060 · $400.00 · score 45.0 · line 3"},
                 {900, 60, true, "RTX 3090", ""},
                 {1600, 71.2, true, "RTX 4090", "RTX 4090 · $1,599.00 · score 71.2 · line 17"},
                 {2500, 50, false, "", ""},
                 {30000, 90, true, "H100", "H100"}};
  return spec;
}

TEST(SvgEscape, EscapesMarkupCharacters) {
  EXPECT_EQ(escape("<script>alert(1)</script>"), "&lt;script&gt;alert(1)&lt;/script&gt;");
  EXPECT_EQ(escape(R"("&')"), "&quot;&amp;&#39;");
  EXPECT_EQ(escape("RTX 4090 · €1.599 — 日本 🚀\tx\n"), "RTX 4090 · €1.599 — 日本 🚀\tx\n");
  EXPECT_EQ(escape(""), "");
}

TEST(SvgEscape, ReplacesEachInvalidByteAndForbiddenCharacter) {
  const std::string r = "\xEF\xBF\xBD";
  EXPECT_EQ(escape("a\xFF"
                   "b"),
            "a" + r + "b");
  EXPECT_EQ(escape("\xE2\x82"), r + r);                  // truncated
  EXPECT_EQ(escape("\xC0\xAF"), r + r);                  // overlong '/'
  EXPECT_EQ(escape("\xED\xA0\x80"), r + r + r);          // surrogate
  EXPECT_EQ(escape("\xF4\x90\x80\x80"), r + r + r + r);  // past U+10FFFF
  EXPECT_EQ(escape("x\x01y\x7F"), "x" + r + "y\x7F");    // C0 control
  EXPECT_EQ(escape("\xEF\xBF\xBF"), r);                  // U+FFFF
  EXPECT_TRUE(valid_utf8(escape("\x80\xBF\xFE\xC3(\xE0\x80\x80\xF0\x28\x8C\xBC")));
}

TEST(SvgTicks, LinearTicksAreNice) {
  EXPECT_EQ(linear_ticks(0, 97), (std::vector<double>{0, 20, 40, 60, 80, 100}));
  EXPECT_EQ(linear_ticks(97, 0), linear_ticks(0, 97));
  EXPECT_EQ(linear_ticks(0, 1), (std::vector<double>{0, 0.2, 0.4, 0.6, 0.8, 1}));
  EXPECT_EQ(linear_ticks(0, 0), (std::vector<double>{0, 0.5, 1}));
  EXPECT_TRUE(linear_ticks(kNaN, 1).empty());
  EXPECT_TRUE(linear_ticks(0, kInf).empty());

  std::mt19937 rng(7);
  std::uniform_real_distribution<double> exponent(-4, 7), unit(-1, 1);
  for (int n = 0; n < 2000; ++n) {
    const double scale = std::pow(10.0, exponent(rng));
    const double lo = unit(rng) * scale, hi = n % 50 == 0 ? lo : unit(rng) * scale;
    const std::vector<double> t = linear_ticks(lo, hi);
    ASSERT_GE(t.size(), 3u) << lo << " " << hi;
    ASSERT_LE(t.size(), 8u) << lo << " " << hi;
    const double min = std::min(lo, hi), max = std::max(lo, hi);
    EXPECT_LE(t.front(), min + std::abs(min) * 1e-9);
    EXPECT_GE(t.back(), max - std::abs(max) * 1e-9);
    const double step = t[1] - t[0];
    const double mantissa = step / std::pow(10.0, std::floor(std::log10(step) + 1e-9));
    EXPECT_TRUE(std::abs(mantissa - 1) < 1e-6 || std::abs(mantissa - 2) < 1e-6 || std::abs(mantissa - 5) < 1e-6)
        << step;
    for (std::size_t k = 1; k < t.size(); ++k) EXPECT_NEAR(t[k] - t[k - 1], step, step * 1e-6);
  }
}

TEST(SvgTicks, LogTicksAreOneTwoFivePerDecade) {
  const std::vector<double> t = log_ticks(80, 30000);
  EXPECT_EQ(t, (std::vector<double>{50, 100, 200, 500, 1000, 2000, 5000, 10000, 20000, 50000}));
  const std::vector<double> wide = log_ticks(0.5, 2e8);
  EXPECT_EQ(wide.front(), 0.1);
  EXPECT_EQ(wide.back(), 1e9);
  for (const double v : wide) EXPECT_DOUBLE_EQ(std::log10(v), std::round(std::log10(v)));  // powers of ten only
  EXPECT_EQ(log_ticks(100, 1000), (std::vector<double>{100, 200, 500, 1000}));
  EXPECT_EQ(log_ticks(100, 100), (std::vector<double>{50, 100, 200}));
  EXPECT_EQ(log_ticks(1000, 1250), (std::vector<double>{1000, 1050, 1100, 1150, 1200, 1250}));  // narrow: linear
  EXPECT_TRUE(log_ticks(0, 100).empty());
  EXPECT_TRUE(log_ticks(-5, 100).empty());
  EXPECT_TRUE(log_ticks(1, kNaN).empty());
}

TEST(SvgScatter, OneCirclePerFinitePointAndDataAttributes) {
  ScatterSpec spec = sample_scatter();
  spec.points.push_back({kNaN, 10, true, "nan", ""});
  spec.points.push_back({500, kInf, false, "inf", ""});
  spec.points.push_back({-kInf, 3, false, "", ""});
  spec.points.push_back({0, 30, true, "free", ""});  // x <= 0 on a log axis: skipped
  const std::string svg = scatter(spec);
  expect_sound(svg);
  EXPECT_EQ(count(svg, R"(<circle class="point)"), 6u);
  EXPECT_EQ(count(svg, R"(<circle class="point frontier")"), 4u);
  EXPECT_NE(svg.find(R"(class="chart scatter")"), std::string::npos);
  EXPECT_NE(svg.find(R"(data-points="6" data-frontier="4")"), std::string::npos);
  EXPECT_EQ(count(svg, "<polyline class=\"frontier-line\""), 1u);
  EXPECT_EQ(count(svg, "<title>"), 7u);                               // the chart's and one per circle
  EXPECT_NE(svg.find("<title>RTX 3090</title>"), std::string::npos);  // no tooltip: the label
  EXPECT_NE(svg.find("<title>$2k, 50</title>"), std::string::npos);   // neither: the coordinates
  EXPECT_NE(svg.find(">$10k</text>"), std::string::npos);             // x_format on the ticks
  EXPECT_NE(svg.find(R"(viewBox="0 0 720.0 420.0")"), std::string::npos);
  EXPECT_NE(svg.find(R"(role="img" aria-label="Price vs score")"), std::string::npos);
  const std::size_t labels = count(svg, R"(<text class="point-label")");
  EXPECT_GE(labels, 3u);
  EXPECT_LE(labels, 4u);

  spec.log_x = false;  // on a linear axis x = 0 is drawn
  EXPECT_NE(scatter(spec).find(R"(data-points="7" data-frontier="5")"), std::string::npos);
}

TEST(SvgScatter, EscapesTextFromData) {
  ScatterSpec spec{kHostile, kHostile, kHostile,
                   false,    nullptr,  {{1, 2, true, kHostile, kHostile}, {2, 3, true, "ok", ""}}};
  const std::string svg = scatter(spec);
  expect_sound(svg);
  EXPECT_EQ(svg.find("<script"), std::string::npos);
  EXPECT_NE(svg.find("&lt;script&gt;alert(1)&lt;/script&gt; &quot;&amp;&#39;"), std::string::npos);
  EXPECT_NE(svg.find(R"(aria-label="&lt;script&gt;)"), std::string::npos);
}

TEST(SvgScatter, InvalidUtf8AndLongLabels) {
  ScatterSpec spec;
  spec.points = {{1, 1, true, "bad \xFF\xC3 label", "tip \xE2\x82"},
                 {2, 2, true, "A very long model name that goes on and on and on", ""}};
  const std::string svg = scatter(spec);
  expect_sound(svg);
  EXPECT_NE(svg.find("bad \xEF\xBF\xBD\xEF\xBF\xBD label"), std::string::npos);
  EXPECT_NE(svg.find("A very long model name that…"), std::string::npos);
}

TEST(SvgScatter, DegenerateInput) {
  const std::vector<std::vector<Point>> cases = {
      {{5, 5, true, "only", ""}},
      {{0, 0, true, "zero", ""}},
      {{3, 1, false, "", ""}, {3, 2, true, "a", ""}, {3, 9, true, "b", ""}},    // equal x
      {{1, 7, true, "a", ""}, {2, 7, true, "b", ""}, {900, 7, false, "", ""}},  // equal y
      {{-1e300, 1, false, "", ""}, {1e300, 2, false, "", ""}},
  };
  for (const auto& points : cases) {
    for (const bool log : {false, true}) {
      const std::string svg = scatter({"t", "x", "y", log, nullptr, points});
      expect_sound(svg);
    }
  }
  EXPECT_NE(scatter({"t", "x", "y", false, nullptr, {{5, 5, true, "only", ""}}}).find(R"(data-points="1")"),
            std::string::npos);
}

TEST(SvgScatter, EmptyIsNoData) {
  for (const std::vector<Point>& points : {std::vector<Point>{}, std::vector<Point>{{kNaN, 1, true, "x", ""}}}) {
    const std::string svg = scatter({"Empty", "x", "y", false, nullptr, points});
    expect_sound(svg);
    EXPECT_NE(svg.find(">No data</text>"), std::string::npos);
    EXPECT_NE(svg.find(R"(data-points="0" data-frontier="0")"), std::string::npos);
    EXPECT_EQ(svg.find("<circle"), std::string::npos);
  }
}

TEST(SvgScatter, Deterministic) {
  EXPECT_EQ(scatter(sample_scatter()), scatter(sample_scatter()));
  EXPECT_NE(scatter(sample_scatter()).find(R"(cx=")"), std::string::npos);
}

RangeSpec sample_ranges() {
  return {"Prices",
          "USD",
          true,
          usd_k,
          {{"RTX 4090", 1400, 1600, 2100, "$66.67/GB", ""},
           {"RTX 3060", 250, 300, 400, "$25.00/GB", "RTX 3060 · 12 listings"},
           {"Same", 500, 500, 500, "", ""},
           {"Swapped", 900, 800, 700, "", ""},
           {"Unknown median", 100, kNaN, 200, "", ""},
           {"No max", 100, 150, kNaN, "", ""},
           {"Free", 0, 10, 20, "", ""}}};
}

TEST(SvgRanges, OneRowPerFiniteRange) {
  const std::string svg = ranges(sample_ranges());
  expect_sound(svg);
  EXPECT_NE(svg.find(R"(class="chart ranges")"), std::string::npos);
  EXPECT_NE(svg.find(R"(data-rows="5")"), std::string::npos);  // "No max" and, on a log axis, "Free" skipped
  EXPECT_EQ(count(svg, R"(<g class="row">)"), 5u);
  EXPECT_EQ(count(svg, R"(<rect class="range")"), 5u);
  EXPECT_EQ(count(svg, R"(<line class="median")"), 4u);
  EXPECT_NE(svg.find(">$66.67/GB</text>"), std::string::npos);
  EXPECT_NE(svg.find("<title>RTX 3060 · 12 listings</title>"), std::string::npos);
  EXPECT_NE(svg.find("<title>Same: $ – $ – $</title>"), std::string::npos);
  EXPECT_EQ(svg.find(R"(width="0.0")"), std::string::npos);  // min == max is still visible
  EXPECT_EQ(svg, ranges(sample_ranges()));

  RangeSpec linear = sample_ranges();
  linear.log_x = false;
  EXPECT_NE(ranges(linear).find(R"(data-rows="6")"), std::string::npos);
}

TEST(SvgRanges, EscapesAndEmpty) {
  const std::string svg = ranges({kHostile, kHostile, false, nullptr, {{kHostile, 1, 2, 3, kHostile, kHostile}}});
  expect_sound(svg);
  EXPECT_EQ(svg.find("<script"), std::string::npos);
  const std::string empty = ranges({"Empty", "x", false, nullptr, {{"nan", kNaN, kNaN, kNaN, "", ""}}});
  expect_sound(empty);
  EXPECT_NE(empty.find(R"(data-rows="0")"), std::string::npos);
  EXPECT_NE(empty.find(">No data</text>"), std::string::npos);
}

BarSpec sample_bars() {
  BarSpec spec{"Capable share", "Listings", {"7b", "13b", "70b"}, {}, 1, 1.0, true};
  spec.groups = {{"RTX 4090", {1.0, 0.5, 0.125}}, {"RTX 3060", {0.75, 0, kNaN}}, {"Short", {0.25}}};
  return spec;
}

TEST(SvgBars, OneRectPerKnownValue) {
  const std::string svg = bars(sample_bars());
  expect_sound(svg);
  EXPECT_NE(svg.find(R"(class="chart bars")"), std::string::npos);
  EXPECT_NE(svg.find(R"(data-groups="3")"), std::string::npos);
  EXPECT_EQ(count(svg, R"(<rect class="bar )"), 6u);
  EXPECT_EQ(count(svg, R"(<rect class="bar series-2")"), 1u);
  EXPECT_EQ(count(svg, ">–</text>"), 3u);  // NaN and two missing values
  EXPECT_EQ(count(svg, R"(<rect class="swatch)"), 3u);
  EXPECT_NE(svg.find(">12.5%</text>"), std::string::npos);
  EXPECT_NE(svg.find(">0.0%</text>"), std::string::npos);
  EXPECT_NE(svg.find(R"(width="0.0" height="12.0")"), std::string::npos);  // a value of 0: zero width
  EXPECT_NE(svg.find(">100%</text>"), std::string::npos);                  // tick at the fixed maximum
  EXPECT_NE(svg.find("<title>RTX 4090 · 13b: 50.0%</title>"), std::string::npos);
  EXPECT_EQ(svg, bars(sample_bars()));
}

TEST(SvgBars, ScaleFromDataAndCutAtFixedMaximum) {
  BarSpec spec{"Counts", "n", {}, {{"a", {3, 12}}, {"b", {kInf, 0}}}, 0, 0, false};
  std::string svg = bars(spec);
  expect_sound(svg);
  EXPECT_EQ(count(svg, R"(<rect class="bar )"), 3u);
  EXPECT_EQ(svg.find("swatch"), std::string::npos);  // no series names: no legend
  EXPECT_NE(svg.find(">12</text>"), std::string::npos);
  spec.max_value = 10;
  svg = bars(spec);
  expect_sound(svg);
  EXPECT_NE(svg.find(">12</text>"), std::string::npos);  // the label keeps the value; the bar stops at 10
}

TEST(SvgBars, EscapesAndEmpty) {
  const std::string svg = bars({kHostile, kHostile, {kHostile}, {{kHostile, {1}}}, 0, 0, false});
  expect_sound(svg);
  EXPECT_EQ(svg.find("<script"), std::string::npos);
  const std::string empty = bars({"Empty", "x", {"7b"}, {}, 0, 0, false});
  expect_sound(empty);
  EXPECT_NE(empty.find(R"(data-groups="0")"), std::string::npos);
  EXPECT_NE(empty.find(">No data</text>"), std::string::npos);
}

// Random input, hostile values included, always gives sound markup.
TEST(SvgCharts, RandomInputGivesSoundMarkup) {
  std::mt19937 rng(11);
  const std::vector<double> specials = {kNaN, kInf, -kInf, 0, -1, 1e-300, 1e300, 5, 5};
  const auto value = [&] {
    return rng() % 3 == 0 ? specials[rng() % specials.size()] : std::uniform_real_distribution<double>(0, 5000)(rng);
  };
  for (int n = 0; n < 60; ++n) {
    ScatterSpec s{"s", "x", "y", n % 2 == 0, nullptr, {}};
    RangeSpec r{"r", "x", n % 2 == 0, nullptr, {}};
    BarSpec b{"b", "x", {"a", "b"}, {}, 2, n % 3 == 0 ? 1.0 : 0.0, n % 4 == 0};
    for (std::size_t k = rng() % 12; k > 0; --k) {
      s.points.push_back({value(), value(), rng() % 2 == 0, "p\xFF<", ""});
      r.ranges.push_back({"r&", value(), value(), value(), "n", ""});
      b.groups.push_back({"g'", {value(), value()}});
    }
    expect_sound(scatter(s));
    expect_sound(ranges(r));
    expect_sound(bars(b));
  }
}

}  // namespace
}  // namespace glyphsieve::report::svg
