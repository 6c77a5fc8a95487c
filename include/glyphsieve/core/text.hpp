// Text folding shared by the header mapper, the title normalizer and the resource loaders.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace glyphsieve {

/// Header key: ASCII letters and digits only, lowercased ("Price (USD)" -> "priceusd").
std::string fold_header(std::string_view header);

/// Replaces HTML character references (&amp; &trade; &#8482; &#x2122; ...) by their characters.
/// Unknown named references are left as they are.
std::string decode_html_entities(std::string_view text);

/// The normalized title every pattern and alias is matched against (docs/normalization-spec.md §1):
/// entities decoded, ASCII-lowercased, non-alphanumerics to spaces (except '.' between digits, and '+'
/// unless it closes a word as in "Nitro+"),
/// a space at every letter/digit boundary, whitespace collapsed, then whole-token `synonyms` applied.
/// The result is plain ASCII.
std::string normalize_title(std::string_view title, const std::map<std::string, std::string>& synonyms = {});

/// Index of the first byte of `s` that is a NUL or not part of valid UTF-8 (overlong forms, surrogates
/// and code points past U+10FFFF are invalid), or std::string::npos. ASCII is checked 8 bytes at a time.
/// Shared by the CSV reader (damaged records) and the resource gate (resource files must be UTF-8).
std::size_t find_bad_byte(std::string_view s);

/// Sets `cell` to `value` with `decimals` (1, 2 or 3) digits after the point, exactly as
/// fmt::format("{:.2f}") writes it, reusing the cell's memory: the per-row number cells of the stages.
void assign_fixed(std::string& cell, double value, int decimals);

/// Strips ASCII whitespace at both ends.
std::string_view trim(std::string_view s);

/// A finite number spelled as a whole cell (surrounding whitespace allowed), else empty. Never throws:
/// how the report and the frontier read cells that earlier stages wrote (or a user edited).
std::optional<double> cell_number(std::string_view cell);
/// Whether a cell says "true" (any case, surrounding whitespace allowed).
bool cell_is_true(std::string_view cell);

}  // namespace glyphsieve
