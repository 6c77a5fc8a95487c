// dedup stage: first occurrence is PRIMARY; later matches point back to its input line.
#include "glyphsieve/stages/dedup.hpp"

#include <algorithm>
#include <cmath>
#include <cstdlib>

#include <fmt/format.h>

#include "glyphsieve/core/text.hpp"

namespace glyphsieve {

DedupStage::DedupStage(bool drop) : drop_(drop) {}

void DedupStage::bind(Header& header) {
  url_ = header.find("source_url");
  model_ = header.find("canonical_model");
  seller_ = header.find("seller");
  title_ = header.find("title");
  price_ = header.find("price");
  flag_ = header.ensure("duplicate_flag");
  of_ = header.ensure("duplicate_of");
}

RowOutcome DedupStage::process(Row& row, std::int64_t line) {
  std::optional<std::int64_t> primary;
  std::string url = url_ ? std::string(trim(row[*url_])) : std::string();
  while (!url.empty() && url.back() == '/') url.pop_back();
  if (!url.empty()) {
    const auto [it, fresh] = by_url_.emplace(url, line);
    if (!fresh) primary = it->second;
  }
  std::optional<double> price;
  if (price_ && !row[*price_].empty()) {
    char* end = nullptr;
    const double v = std::strtod(row[*price_].c_str(), &end);
    if (*end == '\0') price = v;
  }
  if (!primary && (title_ || model_)) {
    const std::string key =
        fmt::format("{}\x1f{}\x1f{}", model_ ? row[*model_] : "", seller_ ? fold_header(row[*seller_]) : "",
                    title_ ? normalize_title(row[*title_]) : "");
    auto& seen = by_listing_[key];
    for (const auto& s : seen) {
      const bool both_missing = !s.price && !price;
      const bool close = s.price && price && std::fabs(*s.price - *price) <= 0.01 * std::max(*s.price, *price);
      if (both_missing || close) {
        primary = s.line;
        break;
      }
    }
    if (!primary) seen.push_back({price, line});
  }
  if (primary) {
    ++duplicates_;
    row[flag_] = "DUPLICATE";
    row[of_] = std::to_string(*primary);
    if (drop_) return RowOutcome::filter("duplicate");
  } else {
    row[flag_] = "PRIMARY";
    row[of_].clear();
  }
  return RowOutcome::keep();
}

std::string DedupStage::describe() const {
  return drop_ ? "same URL, or same model+seller+title within 1% of price: duplicates dropped"
               : "same URL, or same model+seller+title within 1% of price: duplicates flagged";
}

std::string DedupStage::summary() const {
  return fmt::format("duplicates {}{}", duplicates_, drop_ ? " (dropped)" : "");
}

}  // namespace glyphsieve
