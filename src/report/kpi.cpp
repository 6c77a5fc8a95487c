// KPI lookup, --fail-if parsing and evaluation, and shell quoting for provenance (see kpi.hpp).
#include "glyphsieve/report/kpi.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>

#include <fmt/format.h>

#include "glyphsieve/core/error.hpp"
#include "glyphsieve/core/text.hpp"

namespace glyphsieve::report {

std::optional<double> kpi_value(const Kpis& k, std::string_view name) {
  const auto count = [](std::int64_t v) { return static_cast<double>(v); };
  if (name == "rows_read") return count(k.rows_read);
  if (name == "written") return count(k.written);
  if (name == "filtered") return count(k.filtered);
  if (name == "rejected") return count(k.rejected);
  if (name == "rejected_rate") return k.rejected_rate;
  if (name == "match_rate") return k.match_rate;
  if (name == "unknown_rate") return k.unknown_rate;
  if (name == "non_gpu_rate") return k.non_gpu_rate;
  if (name == "duplicate_rate") return k.duplicate_rate;
  if (name == "missing_price_rate") return k.missing_price_rate;
  if (name == "seconds") return k.seconds;
  return std::nullopt;
}

namespace {

constexpr std::string_view kOps[] = {">=", "<=", ">", "<"};  // two-character operators first

bool holds(double value, Gate::Op op, double threshold) {
  switch (op) {
    case Gate::Op::kGreater:
      return value > threshold;
    case Gate::Op::kGreaterEqual:
      return value >= threshold;
    case Gate::Op::kLess:
      return value < threshold;
    case Gate::Op::kLessEqual:
      return value <= threshold;
  }
  return false;
}

bool is_rate(std::string_view kpi) { return kpi.size() > 5 && kpi.substr(kpi.size() - 5) == "_rate"; }

}  // namespace

std::string_view to_string(Gate::Op op) {
  switch (op) {
    case Gate::Op::kGreater:
      return ">";
    case Gate::Op::kGreaterEqual:
      return ">=";
    case Gate::Op::kLess:
      return "<";
    case Gate::Op::kLessEqual:
      return "<=";
  }
  return "?";
}

Gate parse_gate(std::string_view text) {
  const auto fail = [&](const std::string& why) -> Gate {
    throw_usage_error(
        fmt::format("--fail-if '{}': {} (the form is KPI>NUMBER, with > >= < or <=, e.g. "
                    "'unknown_rate>0.05')",
                    text, why));
  };
  std::size_t at = std::string_view::npos;
  std::string_view op;
  for (const std::string_view candidate : kOps) {
    const std::size_t pos = text.find(candidate);
    if (pos != std::string_view::npos && (at == std::string_view::npos || pos < at)) {
      at = pos;
      op = candidate;
    }
  }
  if (at == std::string_view::npos) return fail("no comparison operator");
  Gate g;
  g.text = std::string(text);
  g.kpi = std::string(trim(text.substr(0, at)));
  if (g.kpi.empty()) return fail("no KPI name before the operator");
  g.op = op == ">="   ? Gate::Op::kGreaterEqual
         : op == "<=" ? Gate::Op::kLessEqual
         : op == ">"  ? Gate::Op::kGreater
                      : Gate::Op::kLess;
  if (std::none_of(kKpis.begin(), kKpis.end(), [&](const KpiInfo& k) { return k.name == g.kpi; })) {
    std::vector<std::string> names;
    std::string list;
    for (const KpiInfo& k : kKpis) {
      names.emplace_back(k.name);
      list += (list.empty() ? "" : ", ") + std::string(k.name);
    }
    const std::string near = suggest(g.kpi, names);
    return fail(fmt::format("no KPI named '{}'{}; the KPIs are {}", g.kpi,
                            near.empty() ? "" : fmt::format(" (did you mean '{}'?)", near), list));
  }
  std::string_view number = trim(text.substr(at + op.size()));
  double scale = 1;
  if (!number.empty() && number.back() == '%') {
    if (!is_rate(g.kpi)) return fail(fmt::format("a percentage fits a rate, and '{}' is not one", g.kpi));
    number = trim(number.substr(0, number.size() - 1));
    scale = 0.01;
  }
  double value = 0;
  const auto [end, ec] = std::from_chars(number.data(), number.data() + number.size(), value);
  if (number.empty() || ec != std::errc() || end != number.data() + number.size() || !std::isfinite(value)) {
    return fail(fmt::format("'{}' is not a number", number));
  }
  g.threshold = value * scale;
  return g;
}

std::vector<GateResult> evaluate_gates(const std::vector<Gate>& gates, const Kpis& kpis) {
  std::vector<GateResult> out;
  for (const Gate& g : gates) {
    GateResult r{g, kpi_value(kpis, g.kpi), false};
    r.failed = !r.value || holds(*r.value, g.op, g.threshold);
    out.push_back(std::move(r));
  }
  return out;
}

std::string describe(const GateResult& r) {
  const Gate& g = r.gate;
  std::string value = "unknown";
  if (r.value) {
    value =
        is_rate(g.kpi) ? fmt::format("{:.4g} ({:.2f}%)", *r.value, *r.value * 100) : fmt::format("{:.6g}", *r.value);
  }
  return fmt::format("{} = {}, {} {}{}{}", g.kpi, value, r.failed ? "fails" : "passes", g.kpi, to_string(g.op),
                     fmt::format("{:.6g}", g.threshold));
}

std::string shell_join(const std::vector<std::string>& args) {
  std::string out;
  for (const std::string& a : args) {
    if (!out.empty()) out += ' ';
    const bool plain = !a.empty() && a.find_first_not_of(
                                         "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                         "0123456789-_./=:,+@%") == std::string::npos;
    if (plain) {
      out += a;
      continue;
    }
    out += '\'';
    for (const char c : a) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
    out += '\'';
  }
  return out;
}

}  // namespace glyphsieve::report
