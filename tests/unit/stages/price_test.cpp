// Price parsing: the formats real scrapes contain, and the ones that must be refused.
#include <gtest/gtest.h>

#include "glyphsieve/resources/context.hpp"
#include "glyphsieve/stages/clean.hpp"

namespace glyphsieve {
namespace {

class PriceTest : public ::testing::Test {
 protected:
  ParsedPrice parse(const std::string& s, const std::string& hint = "") {
    return parse_price(s, ctx_.currencies(), hint);
  }
  ResourceContext ctx_;
};

TEST_F(PriceTest, CommonFormats) {
  struct Case {
    const char* text;
    double value;
    const char* currency;
  };
  const Case cases[] = {
      {"$1,299.99", 1299.99, "USD"},
      {"USD 1,299", 1299, "USD"},
      {"1299.00 USD", 1299, "USD"},
      {"€1.299,00", 1299, "EUR"},
      {"1.299,00 EUR", 1299, "EUR"},
      {"£949.99", 949.99, "GBP"},
      {"$ 24,500", 24500, "USD"},
      {"1299", 1299, "USD"},
      {"1,099.00", 1099, "USD"},
      {"US $1,299.00", 1299, "USD"},
      {"1 299,50 €", 1299.5, "EUR"},
      {"12,49", 12.49, "USD"},
      {"$1,234,567.89", 1234567.89, "USD"},
      {"€1.299", 1299, "EUR"},
      {"CA$ 2,100", 2100, "CAD"},
      {"999.", 999, "USD"},
      {"$850 OBO", 850, "USD"},
  };
  for (const auto& c : cases) {
    const ParsedPrice p = parse(c.text);
    ASSERT_EQ(p.kind, ParsedPrice::kValue) << c.text << ": " << p.error;
    EXPECT_DOUBLE_EQ(p.value, c.value) << c.text;
    EXPECT_EQ(p.currency, c.currency) << c.text;
  }
}

TEST_F(PriceTest, HeaderHintSetsTheCurrency) {
  EXPECT_EQ(parse("1299", "EUR").currency, "EUR");
  EXPECT_EQ(parse("$1299", "EUR").currency, "USD");  // the cell's own symbol wins
}

TEST_F(PriceTest, NoDigitsOrZeroMeansMissing) {
  for (const char* s : {"", "Quote", "Call for price", "N/A", "\xE2\x80\x94", "$", "Out of Stock", "0.0", "0"}) {
    EXPECT_EQ(parse(s).kind, ParsedPrice::kMissing) << s;
  }
}

TEST_F(PriceTest, GarbageIsInvalid) {
  for (const char* s :
       {"12,49O.00", "-5", "NaN", "inf", "1e308", "$5,200-8,250", "1,29,9", "99999999999999999", "1.2.3,4,5",
        "$100 or \xE2\x82\xAC"
        "90"}) {
    const ParsedPrice p = parse(s);
    EXPECT_EQ(p.kind, ParsedPrice::kInvalid) << s;
    EXPECT_FALSE(p.error.empty()) << s;
  }
}

}  // namespace
}  // namespace glyphsieve

namespace glyphsieve {
namespace {

// Plain cells ("1299.99") take a fast path; these pin that it agrees with the general rules at its edges.
TEST_F(PriceTest, PlainNumbersAtTheEdgesOfTheFastPath) {
  struct Case {
    const char* text;
    const char* hint;
    ParsedPrice::Kind kind;
    double value;
    const char* currency;
  };
  const Case cases[] = {
      {"0.5", "", ParsedPrice::kValue, 0.5, "USD"},
      {"007", "", ParsedPrice::kValue, 7, "USD"},
      {"1299.9", "EUR", ParsedPrice::kValue, 1299.9, "EUR"},
      {" 1299.99 ", "", ParsedPrice::kValue, 1299.99, "USD"},
      {"99999999.99", "", ParsedPrice::kValue, 99999999.99, "USD"},
      {"100000000.01", "", ParsedPrice::kInvalid, 0, "USD"},  // implausibly large
      {"0.00", "", ParsedPrice::kMissing, 0, ""},
      {"0", "", ParsedPrice::kMissing, 0, ""},
      {"1234567890123456", "", ParsedPrice::kInvalid, 0, "USD"},  // too many digits
      {"1299.999", "EUR", ParsedPrice::kInvalid, 0, "EUR"},       // three decimals: the general rules (groups)
  };
  for (const auto& c : cases) {
    const ParsedPrice p = parse(c.text, c.hint);
    EXPECT_EQ(p.kind, c.kind) << c.text;
    if (c.kind == ParsedPrice::kValue) {
      EXPECT_DOUBLE_EQ(p.value, c.value) << c.text;
      EXPECT_EQ(p.currency, c.currency) << c.text;
    }
  }
}

}  // namespace
}  // namespace glyphsieve
