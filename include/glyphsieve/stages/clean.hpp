// clean: canonical column names, a title for every row, and numeric prices with a currency.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "glyphsieve/resources/types.hpp"
#include "glyphsieve/stages/stage.hpp"

namespace glyphsieve {

/// Result of parsing one price cell.
struct ParsedPrice {
  enum Kind { kValue, kMissing, kInvalid } kind = kMissing;
  double value = 0;      ///< kValue: >= 0 and finite
  std::string currency;  ///< ISO code, from the cell, else the hint, else the default
  std::string error;     ///< kInvalid: why
};

/// Parses "$1,299.99", "USD 1,299", "1299.00 USD", "€1.299,00", "£949" ...
/// Cells with no digits ("Quote", "Call for price", "", "N/A") and zero are kMissing; text that has
/// digits but is not one non-negative number (e.g. "12,49O.00", "-5", "NaN", "1e308", ranges) is kInvalid.
class PriceParser {
 public:
  explicit PriceParser(const Currencies& currencies);
  /// `hint` is a currency code implied by the column header ("Price_EUR") or a currency column, or empty.
  ParsedPrice parse(std::string_view cell, const std::string& hint) const;

 private:
  const Currencies& currencies_;
  std::vector<std::pair<std::string, const Currencies::Currency*>> symbols_;  // lowercase, longest first
};

/// One-off convenience over PriceParser (builds the symbol table each call).
ParsedPrice parse_price(std::string_view cell, const Currencies& currencies, const std::string& hint);

/// Stage contract — reads: every header; `title`/`model` (after mapping); `price` (raw text) and
/// `currency` if present; `price_raw` if present (a second run re-parses from it).
/// Writes: renames aliased headers to canonical names (kept in place); appends `title` (copied from
/// `model`) when there is no title; rewrites `price` as a plain number with two decimals (empty when
/// missing) and adds `currency` and `price_raw`.
/// Rejects a row whose price has digits but cannot be parsed. Throws at bind() when neither a title
/// nor a model column exists.
class CleanStage final : public Stage {
 public:
  CleanStage(const HeaderAliases& aliases, const Currencies& currencies);
  std::string_view name() const override { return "clean"; }
  void bind(Header& header) override;
  RowOutcome process(Row& row, std::int64_t line) override;
  std::string summary() const override;
  std::string describe() const override;
  std::vector<std::string> notes() const override { return notes_; }
  std::unique_ptr<Stage> clone() const override { return std::make_unique<CleanStage>(*this); }
  void merge(const Stage& other) override;

 private:
  const HeaderAliases& aliases_;
  const Currencies& currencies_;
  PriceParser prices_;
  std::vector<std::string> notes_;
  std::optional<std::size_t> title_, model_, price_, currency_, price_raw_;
  bool title_from_model_ = false;
  bool currency_from_input_ = false;
  bool price_raw_from_input_ = false;
  std::string header_currency_;
  std::int64_t parsed_ = 0, missing_ = 0, rejected_ = 0, titles_filled_ = 0;
};

}  // namespace glyphsieve
