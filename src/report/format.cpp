// Lenient cell parsing and Markdown formatting for the report (no locale, no exceptions from cell content).
#include "report/format.hpp"

#include <charconv>
#include <cmath>

#include <fmt/format.h>

#include "glyphsieve/core/text.hpp"

namespace glyphsieve::report {

std::optional<std::int64_t> parse_integer(std::string_view cell) {
  const std::string_view s = trim(cell);
  if (s.empty()) return std::nullopt;
  std::int64_t value = 0;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
  if (ec != std::errc() || end != s.data() + s.size()) return std::nullopt;
  return value;
}

namespace {
// Inserts a ',' every three digits of the integer part of a plain decimal ("-1234.50" -> "-1,234.50").
std::string group_thousands(std::string plain) {
  const std::size_t start = (!plain.empty() && plain[0] == '-') ? 1 : 0;
  std::size_t end = plain.find('.');
  if (end == std::string::npos) end = plain.size();
  std::string out = plain.substr(0, start);
  for (std::size_t i = start; i < end; ++i) {
    if (i > start && (end - i) % 3 == 0) out += ',';
    out += plain[i];
  }
  out += plain.substr(end);
  return out;
}
}  // namespace

std::string format_decimal(double value, int decimals) {
  if (!std::isfinite(value)) return "n/a";
  std::string plain = fmt::format("{:.{}f}", value, decimals);
  if (plain.find_first_not_of("-0.") == std::string::npos && plain[0] == '-') plain.erase(0, 1);  // no "-0.00"
  return group_thousands(std::move(plain));
}

std::string format_trimmed(double value, int decimals) {
  std::string out = format_decimal(value, decimals);
  if (out.find('.') == std::string::npos) return out;
  while (out.back() == '0') out.pop_back();
  if (out.back() == '.') out.pop_back();
  return out;
}

std::string format_percent(double fraction) { return format_decimal(fraction * 100, 2) + "%"; }

std::string format_usd(double value) {
  if (!std::isfinite(value)) return "n/a";
  std::string digits = format_decimal(value, 2);
  if (!digits.empty() && digits[0] == '-') return "-$" + digits.substr(1);
  return "$" + digits;
}

std::string format_count(std::int64_t value) { return group_thousands(std::to_string(value)); }

std::string md_cell(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '\\' || c == '`' || c == '*' || c == '_' || c == '[' || c == ']' || c == '<' || c == '>' || c == '|' ||
        c == '!' || c == '~' || c == '&') {
      out += '\\';
      out += c;
    } else if (c == '\r' || c == '\n') {
      if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ++i;
      out += ' ';
    } else {
      out += c;
    }
  }
  return out;
}

std::string shorten(std::string_view text, std::size_t max_chars) {
  // Character = UTF-8 lead byte (anything but 10xxxxxx); invalid bytes count as one character each.
  const auto is_lead = [](char c) { return (static_cast<unsigned char>(c) & 0xC0u) != 0x80u; };
  std::size_t chars = 0;
  for (const char c : text) chars += is_lead(c) ? 1 : 0;
  if (chars <= max_chars || max_chars == 0) return std::string(text);
  std::size_t keep = 0, seen = 0;
  for (; keep < text.size(); ++keep) {
    if (is_lead(text[keep]) && seen++ == max_chars - 1) break;
  }
  std::string out(text.substr(0, keep));
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out + "…";
}

std::string frontier_anomalies(const std::vector<std::int64_t>& lines, const std::vector<std::optional<double>>& ratios,
                               double threshold) {
  std::string out;
  for (std::size_t i = 0; i < lines.size() && i < ratios.size(); ++i) {
    if (!ratios[i]) continue;
    out += fmt::format("{}line {} ({}×)", out.empty() ? "" : ", ", lines[i], format_decimal(*ratios[i], 2));
  }
  if (out.empty()) return out;
  return fmt::format(
      "Flagged as price anomalies (beyond {}× or 1/{}× their model's median; a typo or a scam is "
      "likelier than a bargain): {}.",
      format_trimmed(threshold, 2), format_trimmed(threshold, 2), out);
}

std::vector<std::pair<std::string, std::string>> kpi_rows(const Kpis& k) {
  const auto percent = format_percent;
  std::vector<std::pair<std::string, std::string>> rows = {
      {"rows_read", format_count(k.rows_read)},      {"written", format_count(k.written)},
      {"filtered", format_count(k.filtered)},        {"rejected", format_count(k.rejected)},
      {"rejected_rate", percent(k.rejected_rate)},   {"match_rate", percent(k.match_rate)},
      {"unknown_rate", percent(k.unknown_rate)},     {"non_gpu_rate", percent(k.non_gpu_rate)},
      {"duplicate_rate", percent(k.duplicate_rate)}, {"missing_price_rate", percent(k.missing_price_rate)}};
  if (k.seconds) rows.emplace_back("seconds", fmt::format("{:.3f} s", *k.seconds));
  return rows;
}

}  // namespace glyphsieve::report
