// dedup (opt-in): marks repeated listings; drops them only when asked.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "glyphsieve/stages/stage.hpp"

namespace glyphsieve {

/// Stage contract — reads `source_url`, `canonical_model`, `seller`, `title`, `price` (each optional).
/// Writes `duplicate_flag` (PRIMARY | DUPLICATE) and `duplicate_of` (input line of the primary, empty
/// for primaries). A row duplicates an earlier one with the same non-empty source_url, or with the
/// same canonical model + seller + normalized title and a price within 1% (two missing prices match).
/// With drop, duplicates are filtered. Memory grows with the number of distinct listings kept.
class DedupStage final : public Stage {
 public:
  explicit DedupStage(bool drop);
  std::string_view name() const override { return "dedup"; }
  void bind(Header& header) override;
  RowOutcome process(Row& row, std::int64_t line) override;
  std::string summary() const override;
  std::string describe() const override;

 private:
  struct Seen {
    std::optional<double> price;
    std::int64_t line;
  };
  bool drop_;
  std::optional<std::size_t> url_, model_, seller_, title_, price_;
  std::size_t flag_ = 0, of_ = 0;
  std::unordered_map<std::string, std::int64_t> by_url_;
  std::unordered_map<std::string, std::vector<Seen>> by_listing_;
  std::int64_t duplicates_ = 0;
};

}  // namespace glyphsieve
