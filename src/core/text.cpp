// Title and header folding (see text.hpp). Pure functions over bytes; no locale is consulted.
#include "glyphsieve/core/text.hpp"

#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string>

#include <fmt/compile.h>
#include <fmt/format.h>

namespace glyphsieve {
namespace {
bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool is_digit(char c) { return c >= '0' && c <= '9'; }
char lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

void append_utf8(std::string& out, std::uint32_t cp) {
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x110000) {
    out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

struct NamedEntity {
  std::string_view name;
  std::string_view text;
};
// Only the references seen in listing titles; the rest are kept verbatim.
constexpr NamedEntity kEntities[] = {
    {"amp", "&"},         {"quot", "\""},      {"apos", "'"},       {"lt", "<"},         {"gt", ">"},
    {"nbsp", " "},        {"trade", "\u2122"}, {"reg", "\u00AE"},   {"copy", "\u00A9"},  {"euro", "\u20AC"},
    {"pound", "\u00A3"},  {"yen", "\u00A5"},   {"times", "\u00D7"}, {"ndash", "\u2013"}, {"mdash", "\u2014"},
    {"hellip", "\u2026"}, {"deg", "\u00B0"},   {"plus", "+"},       {"sol", "/"},
};
}  // namespace

std::string fold_header(std::string_view header) {
  std::string out;
  out.reserve(header.size());
  for (const char c : header) {
    if (is_alpha(c) || is_digit(c)) out.push_back(lower(c));
  }
  return out;
}

std::string_view trim(std::string_view s) {
  const auto ws = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v'; };
  while (!s.empty() && ws(s.front())) s.remove_prefix(1);
  while (!s.empty() && ws(s.back())) s.remove_suffix(1);
  return s;
}

std::string decode_html_entities(std::string_view text) {
  if (text.find('&') == std::string_view::npos) return std::string(text);
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '&') {
      out.push_back(text[i]);
      continue;
    }
    const std::size_t semi = text.find(';', i + 1);
    if (semi == std::string_view::npos || semi - i > 10) {
      out.push_back('&');
      continue;
    }
    const std::string_view ref = text.substr(i + 1, semi - i - 1);
    bool done = false;
    if (ref.size() > 1 && ref[0] == '#') {
      const bool hex = ref[1] == 'x' || ref[1] == 'X';
      const std::string digits(ref.substr(hex ? 2 : 1));
      char* end = nullptr;
      const unsigned long cp = std::strtoul(digits.c_str(), &end, hex ? 16 : 10);
      if (!digits.empty() && *end == '\0' && cp > 0 && cp < 0x110000) {
        append_utf8(out, static_cast<std::uint32_t>(cp));
        done = true;
      }
    } else {
      for (const auto& e : kEntities) {
        if (e.name == ref) {
          out.append(e.text);
          done = true;
          break;
        }
      }
    }
    if (done) {
      i = semi;
    } else {
      out.push_back('&');
    }
  }
  return out;
}

std::string normalize_title(std::string_view title, const std::map<std::string, std::string>& synonyms) {
  const std::string decoded = decode_html_entities(title);
  const std::string_view s = decoded;
  std::string out;
  out.reserve(s.size() + 8);
  // kind of the last emitted character: 0 = space/start, 1 = letter, 2 = digit, 3 = other token ('+')
  int last = 0;
  const auto space = [&] {
    if (last != 0) {
      out.push_back(' ');
      last = 0;
    }
  };
  // A '+' after a word and before no letter or digit ends a product name ("Nitro+"): it is dropped.
  const auto plus_closes_word = [&](std::size_t at) {
    return (last == 1 || last == 2) && (at + 1 == s.size() || !(is_alpha(s[at + 1]) || is_digit(s[at + 1])));
  };
  for (std::size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    if (is_alpha(c)) {
      if (last == 2 || last == 3) space();
      out.push_back(lower(c));
      last = 1;
    } else if (is_digit(c)) {
      if (last == 1 || last == 3) space();
      out.push_back(c);
      last = 2;
    } else if (c == '.' && last == 2 && i + 1 < s.size() && is_digit(s[i + 1])) {
      out.push_back('.');
    } else if (c == '+' && !plus_closes_word(i)) {
      space();
      out.push_back('+');
      last = 3;
    } else {
      space();  // punctuation, whitespace, every byte of a non-ASCII character, a '+' closing a word
    }
  }
  if (!out.empty() && out.back() == ' ') out.pop_back();
  if (synonyms.empty()) return out;
  std::string replaced;
  replaced.reserve(out.size());
  std::size_t start = 0;
  while (start <= out.size()) {
    std::size_t sp = out.find(' ', start);
    if (sp == std::string::npos) sp = out.size();
    const std::string token = out.substr(start, sp - start);
    const auto it = synonyms.find(token);
    if (!replaced.empty()) replaced.push_back(' ');
    replaced += it == synonyms.end() ? token : it->second;
    start = sp + 1;
  }
  return replaced;
}

std::size_t find_bad_byte(std::string_view s) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const std::size_t n = s.size();
  std::size_t i = 0;
  while (i < n) {
    // ASCII fast path: 8 bytes with no high bit and no zero byte.
    if (i + 8 <= n) {
      std::uint64_t w;
      std::memcpy(&w, p + i, 8);
      const std::uint64_t high = w & 0x8080808080808080ULL;
      const std::uint64_t zero = (w - 0x0101010101010101ULL) & ~w & 0x8080808080808080ULL;
      if ((high | zero) == 0) {
        i += 8;
        continue;
      }
    }
    const unsigned char c = p[i];
    if (c == 0) return i;
    if (c < 0x80) {
      ++i;
      continue;
    }
    std::size_t len = 0;
    std::uint32_t cp = 0;
    if (c >= 0xC2 && c <= 0xDF) {
      len = 2;
      cp = c & 0x1Fu;
    } else if (c >= 0xE0 && c <= 0xEF) {
      len = 3;
      cp = c & 0x0Fu;
    } else if (c >= 0xF0 && c <= 0xF4) {
      len = 4;
      cp = c & 0x07u;
    } else {
      return i;  // continuation byte without a lead, 0xC0/0xC1 (overlong), or 0xF5..0xFF
    }
    if (i + len > n) return i;
    for (std::size_t k = 1; k < len; ++k) {
      if ((p[i + k] & 0xC0u) != 0x80u) return i;
      cp = (cp << 6) | (p[i + k] & 0x3Fu);
    }
    if ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10FFFF)) || (cp >= 0xD800 && cp <= 0xDFFF)) {
      return i;  // overlong, past U+10FFFF, or a UTF-16 surrogate
    }
    i += len;
  }
  return std::string::npos;
}

void assign_fixed(std::string& cell, double value, int decimals) {
  cell.clear();
  auto out = std::back_inserter(cell);
  // Compiled formats: no format-string parsing per cell.
  switch (decimals) {
    case 1:
      fmt::format_to(out, FMT_COMPILE("{:.1f}"), value);
      break;
    case 2:
      fmt::format_to(out, FMT_COMPILE("{:.2f}"), value);
      break;
    default:
      fmt::format_to(out, FMT_COMPILE("{:.3f}"), value);
      break;
  }
}

std::optional<double> cell_number(std::string_view cell) {
  const std::string_view s = trim(cell);
  if (s.empty()) return std::nullopt;
  double value = 0;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
  if (ec != std::errc() || end != s.data() + s.size() || !std::isfinite(value)) return std::nullopt;
  return value;
}

bool cell_is_true(std::string_view cell) {
  const std::string_view s = trim(cell);
  return s.size() == 4 && (s[0] == 't' || s[0] == 'T') && (s[1] == 'r' || s[1] == 'R') &&
         (s[2] == 'u' || s[2] == 'U') && (s[3] == 'e' || s[3] == 'E');
}

}  // namespace glyphsieve
