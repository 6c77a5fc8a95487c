// libFuzzer target: one price cell through PriceParser. The first byte picks the currency hint (byte % 4:
// "", USD, EUR, GBP; the seeds use '0'..'3'), the rest is the cell. The parser never throws; checks
// cover ParsedPrice's contract and that the one-off parse_price() agrees with PriceParser.
#include <array>
#include <cmath>
#include <string>

#include "fuzz.hpp"
#include "glyphsieve/resources/context.hpp"
#include "glyphsieve/stages/clean.hpp"

using glyphsieve::fuzz::check;

namespace {

const glyphsieve::Currencies& currencies() {
  static glyphsieve::ResourceContext ctx;
  return ctx.currencies();  // decoded on the first call, then cached by ctx
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const std::array<std::string, 4> kHints = {"", "USD", "EUR", "GBP"};
  static const glyphsieve::PriceParser kParser(currencies());
  if (size == 0) return 0;
  const std::string& hint = kHints[data[0] % kHints.size()];
  const std::string_view cell = glyphsieve::fuzz::as_text(data + 1, size - 1);

  const glyphsieve::ParsedPrice p = kParser.parse(cell, hint);
  switch (p.kind) {
    case glyphsieve::ParsedPrice::kValue:
      check(std::isfinite(p.value) && p.value >= 0, "a kValue price is finite and >= 0");
      check(p.value != 0, "zero is kMissing, not kValue");
      check(currencies().find(p.currency) != nullptr, "a kValue price has a known currency");
      break;
    case glyphsieve::ParsedPrice::kInvalid:
      check(!p.error.empty(), "a kInvalid price says why");
      break;
    case glyphsieve::ParsedPrice::kMissing:
      break;
    default:
      check(false, "kind is kValue, kMissing or kInvalid");
  }

  const glyphsieve::ParsedPrice q = glyphsieve::parse_price(cell, currencies(), hint);
  check(q.kind == p.kind && q.currency == p.currency && q.error == p.error &&
            (q.value == p.value || (std::isnan(q.value) && std::isnan(p.value))),
        "parse_price() agrees with PriceParser::parse()");
  return 0;
}
