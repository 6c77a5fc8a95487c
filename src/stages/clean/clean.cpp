// clean stage: header mapping through header_aliases.yaml, title fallback, price parsing.
#include "glyphsieve/stages/clean.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "glyphsieve/core/error.hpp"
#include "glyphsieve/core/text.hpp"

namespace glyphsieve {

CleanStage::CleanStage(const HeaderAliases& aliases, const Currencies& currencies)
    : aliases_(aliases), currencies_(currencies), prices_(currencies) {}

void CleanStage::bind(Header& header) {
  notes_.clear();
  const std::vector<std::string> original_names = header.names();
  // Map each input header to a canonical column; the first input column to claim a name wins.
  std::vector<std::string> claimed;
  std::vector<std::string> mapping;
  std::string price_header;
  for (std::size_t i = 0; i < header.size(); ++i) {
    const std::string original = header.names()[i];
    const std::string folded = fold_header(original);
    const HeaderAliases::Column* hit = nullptr;
    for (const auto& col : aliases_.columns) {
      if (std::find(col.aliases.begin(), col.aliases.end(), folded) != col.aliases.end()) {
        hit = &col;
        break;
      }
    }
    if (!hit) continue;
    if (std::find(claimed.begin(), claimed.end(), hit->name) != claimed.end()) {
      mapping.push_back(fmt::format("'{}' kept as is ('{}' already mapped)", original, hit->name));
      continue;
    }
    // An exact canonical header elsewhere in the file takes precedence over an alias.
    const auto exact = header.find(hit->name);
    if (exact && *exact != i) {
      mapping.push_back(fmt::format("'{}' kept as is (file also has '{}')", original, hit->name));
      continue;
    }
    claimed.push_back(hit->name);
    if (hit->name == "price") price_header = folded;
    if (original != hit->name) {
      mapping.push_back(fmt::format("'{}' -> '{}'", original, hit->name));
      header.rename(i, hit->name);
    }
  }
  title_ = header.find("title");
  model_ = header.find("model");
  if (!title_ && !model_) {
    std::string list;
    for (const auto& n : original_names) list += (list.empty() ? "'" : ", '") + n + "'";
    throw_data_error(
        fmt::format("no title or model column (header has {}); name one 'title' or 'model', or add "
                    "its spelling to header_aliases.yaml",
                    list.empty() ? "no columns" : list));
  }
  title_from_model_ = !title_;
  if (title_from_model_) {
    title_ = header.ensure("title");
    mapping.push_back("no title column: 'title' copied from 'model'");
  }
  price_ = header.find("price");
  header_currency_.clear();
  if (price_) {
    for (const auto& c : currencies_.currencies) {
      std::string code = c.code;
      for (char& ch : code) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
      if (price_header.size() > code.size() && price_header.ends_with(code)) header_currency_ = c.code;
    }
    currency_from_input_ = header.find("currency").has_value();
    currency_ = header.ensure("currency");
    price_raw_from_input_ = header.find("price_raw").has_value();
    price_raw_ = header.ensure("price_raw");
  } else {
    mapping.push_back("no price column: prices left out");
  }
  if (!mapping.empty()) {
    notes_.push_back("header mapping: " + fmt::format("{}", fmt::join(mapping, "; ")));
  } else {
    notes_.push_back("header mapping: all headers already canonical");
  }
}

RowOutcome CleanStage::process(Row& row, std::int64_t /*line*/) {
  if (title_from_model_) {
    row[*title_] = std::string(trim(row[*model_]));
    ++titles_filled_;
  }
  if (!price_) return RowOutcome::keep();
  // On a second run the original text is in price_raw; re-parse from it so the output is the same.
  const std::string raw = price_raw_from_input_ ? row[*price_raw_] : row[*price_];
  std::string hint = header_currency_;
  if (currency_from_input_ && !row[*currency_].empty()) hint = std::string(trim(row[*currency_]));
  const ParsedPrice p = prices_.parse(raw, hint);
  if (p.kind == ParsedPrice::kInvalid) {
    ++rejected_;
    return RowOutcome::reject(fmt::format("column 'price': cannot parse \"{}\" as a price ({})", raw, p.error));
  }
  row[*price_raw_] = raw;
  if (p.kind == ParsedPrice::kMissing) {
    ++missing_;
    row[*price_].clear();
    row[*currency_].clear();
  } else {
    ++parsed_;
    assign_fixed(row[*price_], p.value, 2);
    row[*currency_] = p.currency;
  }
  return RowOutcome::keep();
}

void CleanStage::merge(const Stage& other) {
  const auto& o = dynamic_cast<const CleanStage&>(other);
  parsed_ += o.parsed_;
  missing_ += o.missing_;
  rejected_ += o.rejected_;
  titles_filled_ += o.titles_filled_;
}

std::string CleanStage::describe() const { return "header names -> canonical columns; prices -> price, currency"; }

std::string CleanStage::summary() const {
  if (!price_) return fmt::format("no price column{}", title_from_model_ ? ", titles from model" : "");
  return fmt::format("prices parsed {}, missing {}, unparseable {}{}", parsed_, missing_, rejected_,
                     title_from_model_ ? ", titles from model" : "");
}

}  // namespace glyphsieve
