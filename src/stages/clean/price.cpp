// Price-cell parsing: currency detection, thousands/decimal separator inference, strict validation.
#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdlib>

#include <fmt/format.h>

#include "glyphsieve/core/text.hpp"
#include "glyphsieve/stages/clean.hpp"

namespace glyphsieve {
namespace {

constexpr double kMaxPrice = 1e8;  // no single listing costs more; larger values are typos or overflow tricks

std::string ascii_lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// Removes every occurrence of `needle` (already lowercase) from `hay` when it stands alone as a word
// (for alphabetic symbols) or anywhere (for sign symbols like "$"). Returns true if one was removed.
bool remove_symbol(std::string& hay, std::string_view needle) {
  const bool alpha =
      std::all_of(needle.begin(), needle.end(), [](char c) { return std::isalpha(static_cast<unsigned char>(c)); });
  bool found = false;
  std::size_t pos = 0;
  while ((pos = hay.find(needle, pos)) != std::string::npos) {
    const bool left_ok = !alpha || pos == 0 || !std::isalpha(static_cast<unsigned char>(hay[pos - 1]));
    const std::size_t end = pos + needle.size();
    const bool right_ok = !alpha || end >= hay.size() || !std::isalpha(static_cast<unsigned char>(hay[end]));
    if (left_ok && right_ok) {
      // Overwrite with spaces rather than std::string::replace (which trips GCC 12's -Wrestrict
      // false positive); spaces between digits are ignored by the number reader anyway.
      std::fill_n(hay.begin() + static_cast<std::ptrdiff_t>(pos), needle.size(), ' ');
      pos = end;
      found = true;
    } else {
      pos = end;
    }
  }
  return found;
}

// Words that may surround a price without changing it.
constexpr std::string_view kFiller[] = {
    "obo",           "ono",           "each",       "ea",      "per unit", "approx",   "approximately", "ca",
    "firm",          "only",          "incl vat",   "inc vat", "ex vat",   "excl vat", "vat",           "shipped",
    "free shipping", "or best offer", "buy it now", "price",   "us"};

// The common cell: "1299" or "1299.99", digits with at most a '.' and one or two decimals. It has no
// symbol, word or separator to infer, so parse() reads it directly (the result is what the general
// path gives).
bool is_plain_number(std::string_view s) {
  const auto digits = [](std::string_view d) {
    return !d.empty() && std::all_of(d.begin(), d.end(), [](char c) { return c >= '0' && c <= '9'; });
  };
  if (s.size() > 15) return false;
  const std::size_t dot = s.find('.');
  if (dot == std::string_view::npos) return digits(s);
  const std::string_view frac = s.substr(dot + 1);
  return digits(s.substr(0, dot)) && (frac.size() == 1 || frac.size() == 2) && digits(frac);
}

// The end of every successful parse: `plain` ("1299.99") to a value, with the range checks.
ParsedPrice& read_value(const std::string& plain, ParsedPrice& out) {
  if (plain.size() > 15) {
    out.kind = ParsedPrice::kInvalid;
    out.error = "too many digits";
    return out;
  }
  char* end = nullptr;
  const double v = std::strtod(plain.c_str(), &end);
  if (*end != '\0' || !std::isfinite(v)) {
    out.kind = ParsedPrice::kInvalid;
    out.error = "not a number";
    return out;
  }
  if (v > kMaxPrice) {
    out.kind = ParsedPrice::kInvalid;
    out.error = "implausibly large";
    return out;
  }
  if (v == 0) {
    out.kind = ParsedPrice::kMissing;  // "0.0" is how scrapers write "no price"
    return out;
  }
  out.kind = ParsedPrice::kValue;
  out.value = v;
  return out;
}

}  // namespace

PriceParser::PriceParser(const Currencies& currencies) : currencies_(currencies) {
  for (const auto& c : currencies.currencies) {
    symbols_.emplace_back(ascii_lower(c.code), &c);
    for (const auto& sym : c.symbols) symbols_.emplace_back(ascii_lower(sym), &c);
  }
  std::stable_sort(symbols_.begin(), symbols_.end(),
                   [](const auto& a, const auto& b) { return a.first.size() > b.first.size(); });
}

namespace {
// "unexpected 'O' at character 6": the character as the cell has it (the parser works on a lowercased
// copy) and where, so the user can find it. Falls back to the lowercased form when it cannot be found.
std::string unexpected_character(std::string_view cell, char lowered) {
  for (std::size_t i = 0; i < cell.size(); ++i) {
    const char c = cell[i];
    const char l = (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
    if (l == lowered) {
      if (static_cast<unsigned char>(c) >= 0x80) return fmt::format("unexpected non-ASCII text at byte {}", i + 1);
      return fmt::format("unexpected '{}' at character {}", c, i + 1);
    }
  }
  return fmt::format("unexpected '{}'", lowered);
}
}  // namespace

ParsedPrice parse_price(std::string_view cell, const Currencies& currencies, const std::string& hint) {
  return PriceParser(currencies).parse(cell, hint);
}

ParsedPrice PriceParser::parse(std::string_view cell, const std::string& hint) const {
  const Currencies& currencies = currencies_;
  ParsedPrice out;
  const std::string_view trimmed = trim(cell);
  if (std::none_of(trimmed.begin(), trimmed.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    const std::string word = ascii_lower(trimmed);
    if (word == "nan" || word == "inf" || word == "-inf" || word == "+inf" || word == "infinity") {
      out.kind = ParsedPrice::kInvalid;
      out.error = "not a finite number";
      return out;
    }
    out.kind = ParsedPrice::kMissing;  // "Quote", "Call", "N/A", "—", ""
    return out;
  }
  const Currencies::Currency* hinted = nullptr;
  for (const auto& c : currencies.currencies) {
    if (c.code == hint) hinted = &c;
  }
  if (is_plain_number(trimmed)) {
    out.currency = hinted ? hinted->code : currencies.default_code;
    return read_value(std::string(trimmed), out);
  }
  std::string s = ascii_lower(decode_html_entities(trimmed));
  const Currencies::Currency* found = nullptr;
  // Longest symbols first so "us$" wins over "$".
  for (const auto& [sym, cur] : symbols_) {
    if (remove_symbol(s, sym)) {
      if (found && found != cur) {
        out.kind = ParsedPrice::kInvalid;
        out.error = fmt::format("names two currencies ({} and {})", found->code, cur->code);
        return out;
      }
      found = cur;
    }
  }
  for (const std::string_view f : kFiller) remove_symbol(s, f);
  const Currencies::Currency* cur = found ? found : hinted;
  out.currency = cur ? cur->code : currencies.default_code;

  // What is left must be one number: digits with ',', '.', ' ', '\'' separators.
  std::string num;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    if ((c >= '0' && c <= '9') || c == ',' || c == '.') {
      num.push_back(c);
    } else if (c == ' ' || c == '\'' || c == '\t') {
      // A space or apostrophe between digit groups is a thousands separator ("1 299,00"); elsewhere padding.
      continue;
    } else if (c == '-' && num.empty()) {
      out.kind = ParsedPrice::kInvalid;
      out.error = "negative price";
      return out;
    } else if (c == '-' || c == '/') {
      out.kind = ParsedPrice::kInvalid;
      out.error = "looks like a price range; give one price";
      return out;
    } else {
      out.kind = ParsedPrice::kInvalid;
      out.error = unexpected_character(trimmed, c);
      return out;
    }
  }
  while (!num.empty() && (num.back() == '.' || num.back() == ',')) num.pop_back();  // "1299." or "1,299.-"
  if (num.empty() || num.front() == '.' || num.front() == ',') {
    if (!num.empty() && num.front() == '.') {
      num.insert(num.begin(), '0');  // ".99"
    } else {
      out.kind = ParsedPrice::kInvalid;
      out.error = "not a number";
      return out;
    }
  }
  const std::size_t last_dot = num.rfind('.');
  const std::size_t last_comma = num.rfind(',');
  char decimal = 0;
  if (last_dot != std::string::npos && last_comma != std::string::npos) {
    decimal = last_dot > last_comma ? '.' : ',';
  } else if (last_comma != std::string::npos || last_dot != std::string::npos) {
    const char sep = last_comma != std::string::npos ? ',' : '.';
    const std::size_t last = sep == ',' ? last_comma : last_dot;
    const std::size_t count = static_cast<std::size_t>(std::count(num.begin(), num.end(), sep));
    const std::size_t digits_after = num.size() - last - 1;
    const bool comma_is_decimal_here = cur ? cur->decimal_comma : false;
    if (count > 1) {
      decimal = 0;  // "1,299,999" / "1.299.999": thousands only
    } else if (digits_after != 3) {
      decimal = sep;  // "12,49" / "1299.5"
    } else {
      // Exactly three digits after a single separator: thousands, unless the currency's usual
      // decimal mark is this separator... which then means thousands for the other style too.
      decimal = (sep == ',') ? '\0' : (comma_is_decimal_here ? '\0' : '.');
    }
  }
  // Validate grouping and build a plain number.
  std::string plain;
  const char thousands = decimal == ',' ? '.' : ',';
  std::size_t dec_pos = decimal ? num.rfind(decimal) : std::string::npos;
  std::string int_part = num.substr(0, dec_pos);
  const std::string frac_part = dec_pos == std::string::npos ? "" : num.substr(dec_pos + 1);
  if (frac_part.find_first_of(",.") != std::string::npos) {
    out.kind = ParsedPrice::kInvalid;
    out.error = "misplaced separator";
    return out;
  }
  if (int_part.find(thousands) != std::string::npos ||
      (decimal == 0 && int_part.find_first_of(",.") != std::string::npos)) {
    const char tsep = decimal == 0 ? (int_part.find(',') != std::string::npos ? ',' : '.') : thousands;
    std::size_t start = 0;
    bool first = true;
    while (true) {
      const std::size_t next = int_part.find(tsep, start);
      const std::string group = int_part.substr(start, next == std::string::npos ? std::string::npos : next - start);
      const bool ok = first ? (!group.empty() && group.size() <= 3) : group.size() == 3;
      if (!ok || group.find_first_of(",.") != std::string::npos) {
        out.kind = ParsedPrice::kInvalid;
        out.error = "digit groups do not match a thousands separator";
        return out;
      }
      plain += group;
      first = false;
      if (next == std::string::npos) break;
      start = next + 1;
    }
  } else {
    plain = int_part;
  }
  if (!frac_part.empty()) plain += "." + frac_part;
  return read_value(plain, out);
}

}  // namespace glyphsieve
