// Private helpers of the report: lenient cell parsing and the Markdown number/text formatting.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "glyphsieve/report/kpi.hpp"

namespace glyphsieve::report {

/// A whole-cell integer (surrounding whitespace allowed), else empty. Never throws.
std::optional<std::int64_t> parse_integer(std::string_view cell);

/// A fraction as a percentage with two decimals: format_percent(0.0833) == "8.33%".
std::string format_percent(double fraction);
/// "$1,299.00" (cents, thousands separators); "-$5.00" for negatives.
std::string format_usd(double value);
/// "12,345".
std::string format_count(std::int64_t value);
/// Fixed decimals with thousands separators: format_decimal(1234.56, 1) == "1,234.6"; "n/a" when not finite.
std::string format_decimal(double value, int decimals);

/// Up to `decimals` decimals without trailing zeros: format_trimmed(2.0, 2) == "2", (2.5, 2) == "2.5".
std::string format_trimmed(double value, int decimals);

/// A Markdown table cell of untrusted text (titles and sellers come from the web): line breaks become
/// spaces, and every character that could start Markdown or HTML (`\ ` * _ [ ] < > | ! ~ &`) is
/// backslash-escaped, so a title such as "<script>" or "![x](http://...)" shows as text, never as markup.
std::string md_cell(std::string_view text);
/// The KPI table of the Markdown and HTML reports: (name, value) in kKpis order, rates as "12.34%",
/// counts with thousands separators, seconds as "1.234 s" (left out when not timed). Plain text.
std::vector<std::pair<std::string, std::string>> kpi_rows(const Kpis& kpis);
/// "Flagged as price anomalies (below or above `threshold`x their model's median): line 144 (0.09x), ..."
/// for the frontier listings with an anomaly ratio; "" when there are none.
std::string frontier_anomalies(const std::vector<std::int64_t>& lines, const std::vector<std::optional<double>>& ratios,
                               double threshold);
/// At most `max_chars` UTF-8 characters: longer text is cut (at a character boundary) and ends with "…".
std::string shorten(std::string_view text, std::size_t max_chars = 70);

}  // namespace glyphsieve::report
